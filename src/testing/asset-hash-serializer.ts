/**
 * Jest snapshot serializer that masks CDK asset hashes, so a snapshot changes only when a
 * template's shape changes, not when the bytes of a bundled handler do.
 *
 * Not part of the jsii API (jest is a JavaScript tool): import it by path, e.g.
 * `snapshotSerializers: ['cdk-serverless-powertools/lib/testing/asset-hash-serializer']`.
 */

// A 64-hex-digit asset hash, with the extension CDK adds to staged file names.
const ASSET_HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;
const MASK = 'ASSET_HASH';

/** The string with every asset hash replaced by `ASSET_HASH` (extensions kept). */
export function maskAssetHashes(value: string): string {
  return value.replace(ASSET_HASH, (_m, ext) => `${MASK}${ext ?? ''}`);
}

/** Jest's serializer hook: handles strings that contain an asset hash. */
export function test(value: unknown): boolean {
  // A global regex keeps its position between calls; start each test from the beginning.
  ASSET_HASH.lastIndex = 0;
  return typeof value === 'string' && ASSET_HASH.test(value);
}

/** Jest's serializer hook: the string, masked and quoted as jest prints strings. */
export function serialize(value: string): string {
  return JSON.stringify(maskAssetHashes(value));
}
