import { TemplateEnv } from '../../../core/contract/env-reader';
import { readRecordIdempotencySettings, RecordIdempotencySettings } from '../../../core/runtime/shared/record-idempotency-settings';
import { STREAM_ENV, STREAM_IDEMPOTENCY_PAYLOAD, STREAM_SOURCE_TYPES } from '../../contract';

/** What the construct configures. */
export interface StreamSettings {
  readonly kinesis: boolean;
  /** Per-record idempotency; absent when off. The key JMESPath is over STREAM_IDEMPOTENCY_PAYLOAD. */
  readonly idempotency?: RecordIdempotencySettings;
}

type Env = { [key: string]: string | undefined };

/** Reads the settings once at init; a value the construct never writes fails the cold start. */
export function readSettings(env: Env = process.env): StreamSettings {
  const reader = new TemplateEnv('StreamBatchConsumer', env);
  const type = reader.oneOf(STREAM_ENV.sourceType, [STREAM_SOURCE_TYPES.kinesis, STREAM_SOURCE_TYPES.dynamoDb], STREAM_SOURCE_TYPES.kinesis);
  const idempotency = readRecordIdempotencySettings(reader, STREAM_IDEMPOTENCY_PAYLOAD.eventId);
  return idempotency ? { kinesis: type === STREAM_SOURCE_TYPES.kinesis, idempotency } : { kinesis: type === STREAM_SOURCE_TYPES.kinesis };
}
