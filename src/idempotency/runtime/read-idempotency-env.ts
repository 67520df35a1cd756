import { TemplateEnv } from '../../core/contract/env-reader';
import { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_ENV } from '../contract';

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
  };
}
