import { TemplateEnv } from '../../core/contract/env-reader';
import type { RecordAttributeNames } from '../../core/runtime/shared/dynamodb/persistence';
import { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_ENV, IDEMPOTENCY_RECORD_ATTRIBUTES } from '../contract';

/**
 * Record attribute names for the persistence layer: only those the construct set (the rest
 * keep Powertools' defaults). One shape, the persistence layer's own.
 */
export type IdempotencyAttributeNames = RecordAttributeNames;

/** The idempotency settings both templates that use Powertools idempotency read the same way. */
export interface IdempotencyEnv {
  readonly tableName: string;
  /** Sort key attribute of a shared sort-key table (set together with `staticPkValue`). */
  readonly sortKeyAttr?: string;
  /** The partition key value this function writes in the sort-key layout. */
  readonly staticPkValue?: string;
  /** The key JMESPath as the construct wrote it; undefined when unset. */
  readonly keyJmesPath?: string;
  readonly expiresAfterSeconds: number;
  /** Powertools' keyPrefix; undefined only for an environment written before the construct set one. */
  readonly keyPrefix?: string;
  readonly attributes: IdempotencyAttributeNames;
}

/**
 * Reads the idempotency variables of IDEMPOTENCY_ENV once at init, or undefined when no
 * table is configured. A combination the construct never writes fails loudly.
 */
export function readIdempotencyEnv(env: TemplateEnv): IdempotencyEnv | undefined {
  const v = IDEMPOTENCY_ENV;
  const tableName = env.optional(v.tableName);
  if (tableName === undefined) return undefined;
  const sortKeyAttr = env.optional(v.sortKeyAttr);
  const staticPkValue = env.optional(v.staticPkValue);
  if (sortKeyAttr && !staticPkValue) env.fail(v.staticPkValue, `is not set although ${v.sortKeyAttr.name} is (the shared sort-key layout needs both)`);
  if (staticPkValue && !sortKeyAttr) env.fail(v.staticPkValue, `only applies with ${v.sortKeyAttr.name} (a table with a sort key); set both or neither`);
  return {
    tableName,
    ...(sortKeyAttr ? { sortKeyAttr, staticPkValue } : {}),
    keyJmesPath: env.optional(v.eventKeyJmesPath),
    expiresAfterSeconds: env.positiveInteger(v.expiresAfterSeconds, IDEMPOTENCY_DEFAULTS.expiresAfterSeconds),
    keyPrefix: readKeyPrefix(env),
    attributes: readAttributeNames(env),
  };
}

function readKeyPrefix(env: TemplateEnv): string | undefined {
  const prefix = env.optional(IDEMPOTENCY_ENV.keyPrefix);
  if (prefix !== undefined && (prefix.includes('#') || prefix.trim() !== prefix)) {
    env.fail(IDEMPOTENCY_ENV.keyPrefix, `must not contain "#" or surrounding spaces, got "${prefix}"`);
  }
  return prefix;
}

function readAttributeNames(env: TemplateEnv): IdempotencyAttributeNames {
  const a = IDEMPOTENCY_RECORD_ATTRIBUTES;
  const names: Record<string, string> = {};
  const set = (option: keyof IdempotencyAttributeNames, variable: (typeof a)[keyof typeof a]['env']) => {
    const value = env.optional(variable);
    if (value !== undefined) names[option] = value;
  };
  set('keyAttr', a.key.env);
  set('expiryAttr', a.expiry.env);
  set('inProgressExpiryAttr', a.inProgressExpiry.env);
  set('statusAttr', a.status.env);
  set('dataAttr', a.data.env);
  set('validationKeyAttr', a.validation.env);
  return names;
}
