import { BATCH_ENV, DEFAULT_CORRELATION_ID_ATTRIBUTE, MESSAGE_ID_KEY_JMESPATH, QUEUE_TYPES } from '../../batch/batch-env';

/** Per-record idempotency settings; absent when idempotency is off. */
export interface IdempotencySettings {
  readonly tableName: string;
  /** JMESPath over `{ messageId, body }` selecting the key. */
  readonly keyJmesPath: string;
  readonly expiresAfterSeconds: number;
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
  const tableName = env[BATCH_ENV.idempotencyTableName];
  let idempotency: IdempotencySettings | undefined;
  if (tableName) {
    const expiresRaw = env[BATCH_ENV.idempotencyExpiresAfterSeconds] ?? '3600';
    const expiresAfterSeconds = Number(expiresRaw);
    if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 1) {
      throw new Error(`${BATCH_ENV.idempotencyExpiresAfterSeconds} must be a whole number of seconds, got "${expiresRaw}"`);
    }
    idempotency = {
      tableName,
      keyJmesPath: env[BATCH_ENV.idempotencyKeyJmesPath] || MESSAGE_ID_KEY_JMESPATH,
      expiresAfterSeconds,
    };
  }
  return {
    fifo: queueType === QUEUE_TYPES.fifo,
    skipGroupOnError: env[BATCH_ENV.skipGroupOnError] === 'true',
    correlationIdAttribute: env[BATCH_ENV.correlationIdAttribute] || DEFAULT_CORRELATION_ID_ATTRIBUTE,
    idempotency,
  };
}
