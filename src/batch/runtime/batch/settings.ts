import { TemplateEnv } from '../../../core/contract/env-reader';
import { IdempotencyAttributeNames, readIdempotencyEnv } from '../../../idempotency/runtime/read-idempotency-env';
import { BATCH_DEFAULTS, BATCH_ENV, MESSAGE_ID_KEY_JMESPATH, QUEUE_TYPES } from '../../contract';

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
  /** Powertools' keyPrefix (the construct path by default). */
  readonly keyPrefix?: string;
  /** Record attribute names that differ from Powertools' defaults. */
  readonly attributes?: IdempotencyAttributeNames;
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
 * deployment mistake, so it fails the init loudly (TemplateConfigError) instead of guessing.
 */
export function readSettings(env: Env = process.env): BatchSettings {
  const reader = new TemplateEnv('SqsBatchConsumer', env);
  const queueType = reader.oneOf(BATCH_ENV.queueType, [QUEUE_TYPES.standard, QUEUE_TYPES.fifo], QUEUE_TYPES.standard);
  const idempotency = readIdempotencyEnv(reader);
  return {
    fifo: queueType === QUEUE_TYPES.fifo,
    skipGroupOnError: reader.flag(BATCH_ENV.skipGroupOnError, BATCH_DEFAULTS.skipGroupOnError),
    correlationIdAttribute: reader.optional(BATCH_ENV.correlationIdAttribute) ?? BATCH_DEFAULTS.correlationIdAttribute,
    idempotency: idempotency && {
      tableName: idempotency.tableName,
      keyJmesPath: idempotency.keyJmesPath ?? MESSAGE_ID_KEY_JMESPATH,
      expiresAfterSeconds: idempotency.expiresAfterSeconds,
      ...(idempotency.sortKeyAttr ? { sortKeyAttr: idempotency.sortKeyAttr, staticPkValue: idempotency.staticPkValue } : {}),
      ...(idempotency.keyPrefix !== undefined ? { keyPrefix: idempotency.keyPrefix } : {}),
      ...(Object.keys(idempotency.attributes).length > 0 ? { attributes: idempotency.attributes } : {}),
    },
  };
}
