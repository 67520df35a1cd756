import type { EntryContract } from '../../contract/entry';

/**
 * The module namespace a template wraps: the entry's own exports, or under `default` when a
 * CommonJS entry was bundled as ESM.
 */
export function entryExports(userModule: unknown, exportName: string): Record<string, unknown> {
  const mod = (userModule !== null && typeof userModule === 'object' ? userModule : {}) as Record<string, unknown>;
  const fallback = mod.default;
  if (exportName in mod || fallback === null || typeof fallback !== 'object') return mod;
  return fallback as Record<string, unknown>;
}

/**
 * The function the entry must export, checked at init, so a wrong export fails the first
 * cold start with one clear message (what is missing, what the module does export) instead
 * of failing every event.
 */
export function requireEntryFunction<T>(construct: string, userModule: unknown, contract: EntryContract): T {
  const exports = entryExports(userModule, contract.exportName);
  const value = exports[contract.exportName];
  if (typeof value !== 'function') {
    const found = Object.keys(exports).join(', ') || 'nothing';
    throw new TypeError(
      `${construct} entry: the module must export a function "${contract.exportName}" (${contract.description}); it exports ${found}. ` +
        'The template provides the Lambda handler itself; export only your business logic.',
    );
  }
  return value as T;
}

/** How a batch template hands a record's payload to the entry: parsed JSON or the raw text. */
export type BodyFormat = 'json' | 'text';

/** The entry's optional `bodyFormat` export (default `json`), checked at init. */
export function entryBodyFormat(construct: string, userModule: unknown, contract: EntryContract): BodyFormat {
  const bodyFormat = entryExports(userModule, contract.exportName).bodyFormat ?? 'json';
  if (bodyFormat !== 'json' && bodyFormat !== 'text') {
    throw new TypeError(`${construct} entry: "bodyFormat" must be "json" or "text", got ${JSON.stringify(bodyFormat)}.`);
  }
  return bodyFormat;
}
