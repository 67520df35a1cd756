import type { RecordContext, RecordLogic } from './record-logic';
import type { IdempotencySettings } from './settings';
import type { DynamoDbJsonClient } from '../../../core/runtime/shared/dynamodb/client';
import { createRecordIdempotency as createIdempotency, RecordIdempotency as Idempotency } from '../../../core/runtime/shared/record-idempotency';

/** What is hashed into the key: the JMESPath selects from it. */
export interface IdempotencyPayload {
  readonly messageId: string;
  readonly body: unknown;
}

/** Runs a record's logic at most once per key while the key's record lives. */
export type RecordIdempotency = Idempotency<IdempotencyPayload, RecordContext>;

/**
 * The SQS record logic made idempotent (the shared core piece, keyed over
 * `{ messageId, body }`). Built once at init: the DynamoDB client lives outside the handler.
 */
export function createRecordIdempotency(
  logic: RecordLogic,
  settings: IdempotencySettings,
  captureClient?: (client: DynamoDbJsonClient) => DynamoDbJsonClient,
): RecordIdempotency {
  // The construct path (IDEMPOTENCY_KEY_PREFIX) is the prefix; this stable fallback only
  // serves environments the construct did not write.
  const keyPrefix = `${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'sqs-batch'}#record`;
  const run = (payload: IdempotencyPayload, context: RecordContext) => logic.processRecord(payload.body, context);
  return createIdempotency(run, settings, keyPrefix, captureClient);
}
