import { TemplateEnv } from '../../../core/contract/env-reader';
import { readRecordIdempotencySettings, RecordIdempotencySettings } from '../../../core/runtime/shared/record-idempotency-settings';
import { BATCH_DEFAULTS, BATCH_ENV, MESSAGE_ID_KEY_JMESPATH, QUEUE_TYPES } from '../../contract';

/** Per-record idempotency settings; absent when idempotency is off. The key JMESPath is over `{ messageId, body }`. */
export type IdempotencySettings = RecordIdempotencySettings;

/** What the construct configures through environment variables. */
export interface BatchSettings {
  readonly fifo: boolean;
  readonly skipGroupOnError: boolean;
  /** Standard queues: run the batch's records concurrently (Powertools' default) or one at a time, in order. */
  readonly processInParallel: boolean;
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
  return {
    fifo: queueType === QUEUE_TYPES.fifo,
    skipGroupOnError: reader.flag(BATCH_ENV.skipGroupOnError, BATCH_DEFAULTS.skipGroupOnError),
    processInParallel: reader.flag(BATCH_ENV.processInParallel, BATCH_DEFAULTS.processInParallel),
    correlationIdAttribute: reader.optional(BATCH_ENV.correlationIdAttribute) ?? BATCH_DEFAULTS.correlationIdAttribute,
    idempotency: readRecordIdempotencySettings(reader, MESSAGE_ID_KEY_JMESPATH),
  };
}
