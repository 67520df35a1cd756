import { BATCH_ENV, DEFAULT_CORRELATION_ID_ATTRIBUTE, MESSAGE_ID_KEY_JMESPATH, QUEUE_TYPES } from '../../batch/batch-env';
import { IDEMPOTENCY_ENV } from '../../idempotency/idempotency-constants';

/** Per-record idempotency settings; absent when idempotency is off. */
export interface IdempotencySettings {
  readonly tableName: string;
  /** JMESPath over `{ messageId, body }` selecting the key. */
  readonly keyJmesPath: string;
  readonly expiresAfterSeconds: number;
  /** Sort key attribute of a shared sort-key table (set together with `staticPkValue`). */
  readonly sortKeyAttr?: string;
  /** The partition key value this consumer writes in the sort-key layout. */
  readonly staticPkValue?: string;
}

/** What the construct configures through environment variables. */
export interface BatchSettings {
  readonly fifo: boolean;
  readonly skipGroupOnError: boolean;
  readonly correlationIdAttribute: string;
  readonly idempotency?: IdempotencySettings;
}

type Env = { [key: string]: string | undefined };

/**
 * Reads the settings once at init. A value the construct would never write is a
 * deployment mistake, so it fails the init loudly instead of guessing.
 */
export function readSettings(env: Env = process.env): BatchSettings {
  const queueType = (env[BATCH_ENV.queueType] ?? QUEUE_TYPES.standard).toUpperCase();
  if (queueType !== QUEUE_TYPES.standard && queueType !== QUEUE_TYPES.fifo) {
    throw new Error(`${BATCH_ENV.queueType} must be ${QUEUE_TYPES.standard} or ${QUEUE_TYPES.fifo}, got "${queueType}"`);
  }
  return {
    fifo: queueType === QUEUE_TYPES.fifo,
    skipGroupOnError: env[BATCH_ENV.skipGroupOnError] === 'true',
    correlationIdAttribute: env[BATCH_ENV.correlationIdAttribute] || DEFAULT_CORRELATION_ID_ATTRIBUTE,
    idempotency: readIdempotencySettings(env),
  };
}

function readIdempotencySettings(env: Env): IdempotencySettings | undefined {
  const tableName = env[IDEMPOTENCY_ENV.tableName];
  if (!tableName) return undefined;
  const expiresRaw = env[IDEMPOTENCY_ENV.expiresAfterSeconds] ?? '3600';
  const expiresAfterSeconds = Number(expiresRaw);
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 1) {
    throw new Error(`${IDEMPOTENCY_ENV.expiresAfterSeconds} must be a whole number of seconds, got "${expiresRaw}"`);
  }
  const sortKeyAttr = env[IDEMPOTENCY_ENV.sortKeyAttr] || undefined;
  const staticPkValue = env[IDEMPOTENCY_ENV.staticPkValue] || undefined;
  if (sortKeyAttr && !staticPkValue) {
    throw new Error(`${IDEMPOTENCY_ENV.sortKeyAttr} is set, so ${IDEMPOTENCY_ENV.staticPkValue} must be set too (the shared sort-key layout).`);
  }
  if (staticPkValue && !sortKeyAttr) {
    throw new Error(`${IDEMPOTENCY_ENV.staticPkValue} only applies with ${IDEMPOTENCY_ENV.sortKeyAttr} (a table with a sort key); set both or neither.`);
  }
  return {
    tableName,
    keyJmesPath: env[IDEMPOTENCY_ENV.eventKeyJmesPath] || MESSAGE_ID_KEY_JMESPATH,
    expiresAfterSeconds,
    ...(sortKeyAttr ? { sortKeyAttr, staticPkValue } : {}),
  };
}
