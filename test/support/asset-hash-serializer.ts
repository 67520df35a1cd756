/**
 * Jest snapshot serializer that masks CDK asset hashes, so a snapshot changes only when
 * the template's shape changes, not when a bundled handler's bytes do.
 */
const ASSET_HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;
const MASK = 'ASSET_HASH';

function containsHash(value: string): boolean {
  ASSET_HASH.lastIndex = 0;
  return ASSET_HASH.test(value);
}

export = {
  test: (value: unknown): boolean => typeof value === 'string' && containsHash(value),
  serialize: (value: string): string => JSON.stringify(value.replace(ASSET_HASH, (_m, ext) => `${MASK}${ext ?? ''}`)),
};
