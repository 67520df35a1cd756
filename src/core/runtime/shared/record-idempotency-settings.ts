import { IdempotencyAttributeNames, readIdempotencyEnv } from '../../../idempotency/runtime/read-idempotency-env';
import type { TemplateEnv } from '../../contract/env-reader';

/** Per-record idempotency settings of a batch template; absent when idempotency is off. */
export interface RecordIdempotencySettings {
  readonly tableName: string;
  /** JMESPath over the record's idempotency payload (its ids and decoded body) selecting the key. */
  readonly keyJmesPath: string;
  readonly expiresAfterSeconds: number;
  /** Sort key attribute of a shared sort-key table (set together with `staticPkValue`). */
  readonly sortKeyAttr?: string;
  /** The partition key value this consumer writes in the sort-key layout. */
  readonly staticPkValue?: string;
  /** Powertools' keyPrefix (the construct path by default); undefined only for an environment the construct did not write. */
  readonly keyPrefix?: string;
  /** Record attribute names that differ from Powertools' defaults. */
  readonly attributes?: IdempotencyAttributeNames;
}

/**
 * Reads the IDEMPOTENCY_* variables once at init (undefined when no table is configured),
 * with the template's default key. Kept apart from record-idempotency.ts so reading the
 * settings never loads the idempotency library: a template loads that chunk only when on.
 */
export function readRecordIdempotencySettings(reader: TemplateEnv, defaultKeyJmesPath: string): RecordIdempotencySettings | undefined {
  const idempotency = readIdempotencyEnv(reader);
  if (!idempotency) return undefined;
  return {
    tableName: idempotency.tableName,
    keyJmesPath: idempotency.keyJmesPath ?? defaultKeyJmesPath,
    expiresAfterSeconds: idempotency.expiresAfterSeconds,
    ...(idempotency.sortKeyAttr ? { sortKeyAttr: idempotency.sortKeyAttr, staticPkValue: idempotency.staticPkValue } : {}),
    ...(idempotency.keyPrefix !== undefined ? { keyPrefix: idempotency.keyPrefix } : {}),
    ...(Object.keys(idempotency.attributes).length > 0 ? { attributes: idempotency.attributes } : {}),
  };
}
