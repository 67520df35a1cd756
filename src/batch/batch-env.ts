/**
 * Names shared by the SqsBatchConsumer construct and its bundled template (internal: not
 * re-exported from the package index). A function in another runtime (`HandlerCode.fromCode`)
 * can read the same variables to configure Powertools for Python, Java or .NET.
 */
export const BATCH_ENV = {
  /** `STANDARD` or `FIFO`: which Powertools batch processor the template uses. */
  queueType: 'BATCH_QUEUE_TYPE',
  /** `true`/`false`: FIFO only; keep processing other message groups after a failure. */
  skipGroupOnError: 'BATCH_SKIP_GROUP_ON_ERROR',
  /** The SQS message attribute whose string value becomes the log correlation id. */
  correlationIdAttribute: 'BATCH_CORRELATION_ID_ATTRIBUTE',
} as const;

// Per-record idempotency is configured with the variables IdempotentFunction uses
// (`IDEMPOTENCY_ENV` in ../idempotency/idempotency-constants: table name, key JMESPath,
// expiry, sort key, static partition value); here the key JMESPath is evaluated over
// `{ "messageId": ..., "body": <parsed body> }` of each record.

/** Environment prefixes only the construct may set (`environment` cannot). */
export const RESERVED_ENV_PREFIXES = ['BATCH_', 'IDEMPOTENCY_'];

/** Queue types, as written to `BATCH_QUEUE_TYPE`. */
export const QUEUE_TYPES = { standard: 'STANDARD', fifo: 'FIFO' } as const;

/** EMF metric names the template publishes per invocation (and the dashboard graphs). */
export const BATCH_METRICS = {
  processed: 'RecordsProcessed',
  failed: 'RecordsFailed',
  /** Business metric of the demo logic. */
  ordersRecorded: 'OrdersRecorded',
} as const;

/** Default message attribute carrying a correlation id. */
export const DEFAULT_CORRELATION_ID_ATTRIBUTE = 'correlationId';

/** JMESPath of the default idempotency key: the SQS message id. */
export const MESSAGE_ID_KEY_JMESPATH = 'messageId';
