/**
 * Per-record idempotency of the stream template: a separate chunk, loaded only by functions
 * that configure it (the idempotency library and the DynamoDB client are not loaded otherwise).
 */
import type { StreamLogic, StreamRecordContext } from './logic';
import type { DynamoDbJsonClient } from '../../../core/runtime/shared/dynamodb/client';
import { createRecordIdempotency, RecordIdempotency } from '../../../core/runtime/shared/record-idempotency';
import type { RecordIdempotencySettings } from '../../../core/runtime/shared/record-idempotency-settings';

/** What the key is selected from (STREAM_IDEMPOTENCY_PAYLOAD in the contract). */
export interface StreamIdempotencyPayload {
  readonly eventId?: string;
  readonly sequenceNumber: string;
  readonly payload: unknown;
}

export type StreamRecordIdempotency = RecordIdempotency<StreamIdempotencyPayload, StreamRecordContext>;

export function createStreamIdempotency(
  logic: StreamLogic,
  settings: RecordIdempotencySettings,
  captureClient?: (client: DynamoDbJsonClient) => DynamoDbJsonClient,
): StreamRecordIdempotency {
  // The construct path (IDEMPOTENCY_KEY_PREFIX) is the prefix; this stable fallback only
  // serves environments the construct did not write (a changed prefix forgets every processed record).
  const keyPrefix = `${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'stream-batch'}#record`;
  const run = (p: StreamIdempotencyPayload, context: StreamRecordContext) => logic.processRecord(p.payload, context);
  return createRecordIdempotency(run, settings, keyPrefix, captureClient);
}
