import { IDEMPOTENCY_ENV_PREFIX } from '../idempotency/contract';

/**
 * The contract between StreamBatchConsumer and its template (runtime/stream): dependency-free,
 * so the template bundles it; neither side holds a copy of anything here. A function in another
 * runtime (`HandlerCode.fromCode`) can read the same variables.
 */
export const STREAM_ENV = {
  /** `KINESIS` or `DYNAMODB`: which Powertools event type the template processes. */
  sourceType: { name: 'STREAM_SOURCE_TYPE', prop: 'source (StreamSource.kinesis() or StreamSource.dynamoDb())' },
} as const;

// Per-record idempotency is configured with the variables IdempotentFunction uses
// (IDEMPOTENCY_ENV in ../idempotency/contract: table name, key JMESPath, expiry, sort key,
// static partition value); here the key JMESPath is evaluated over STREAM_IDEMPOTENCY_PAYLOAD.

/** Environment prefixes only the construct may set (`environment` cannot). */
export const RESERVED_ENV_PREFIXES = ['STREAM_', IDEMPOTENCY_ENV_PREFIX];

/**
 * What the per-record idempotency key is selected from, for each record:
 * `{ "eventId": <eventID>, "sequenceNumber": <sequence number>, "payload": <decoded payload> }`.
 * The construct writes a JMESPath over it; these are its fields.
 */
export const STREAM_IDEMPOTENCY_PAYLOAD = {
  /** DynamoDB: the record's `eventID`; Kinesis: `shardId-…:<sequence number>`. */
  eventId: 'eventId',
  sequenceNumber: 'sequenceNumber',
  /** The decoded Kinesis data or the unmarshalled DynamoDB change. */
  payload: 'payload',
} as const;

/** Source types, as written to `STREAM_SOURCE_TYPE`. */
export const STREAM_SOURCE_TYPES = { kinesis: 'KINESIS', dynamoDb: 'DYNAMODB' } as const;

/** EMF metric names the template publishes per invocation (and the dashboard graphs). */
export const STREAM_METRICS = {
  /** Records the logic processed successfully. */
  processed: 'RecordsProcessed',
  /**
   * Records reported in `batchItemFailures`: the first failed record and every record after
   * it in the batch (Lambda retries them all from the first failed sequence number).
   */
  failed: 'RecordsFailed',
} as const;

/** What a `HandlerCode.fromEntry` module of a StreamBatchConsumer must export. */
export const STREAM_ENTRY = {
  exportName: 'processRecord',
  description:
    'export function processRecord(payload, context) (sync or async; throw to fail the record and retry it and every later record of the shard); ' +
    'optionally export const bodyFormat = "json" | "text" (Kinesis data only)',
} as const;
