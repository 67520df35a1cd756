import type { EntryLogger, EntryMetrics, LambdaContext } from '../core/contract/entry';
import type { EntryParameters } from '../core/contract/parameters';
import { IDEMPOTENCY_ENV_PREFIX } from '../idempotency/contract';

/**
 * The contract between SqsBatchConsumer and its template (runtime/batch): dependency-free, so
 * the template bundles it; neither side holds a copy of anything here. A function in another
 * runtime (`HandlerCode.fromCode`) can read the same variables to configure Powertools for
 * Python, Java or .NET.
 */
export const BATCH_ENV = {
  /** `STANDARD` or `FIFO`: which Powertools batch processor the template uses. */
  queueType: { name: 'BATCH_QUEUE_TYPE', prop: 'fifo (or existingQueue.fifo)' },
  /** `true`/`false`: FIFO only; keep processing other message groups after a failure. */
  skipGroupOnError: { name: 'BATCH_SKIP_GROUP_ON_ERROR', prop: 'skipGroupOnError' },
  /** The SQS message attribute whose string value becomes the log correlation id. */
  correlationIdAttribute: { name: 'BATCH_CORRELATION_ID_ATTRIBUTE', prop: 'correlationIdAttribute' },
  /** `true`/`false`: standard queues only; `false` runs the records of a batch one at a time, in order. */
  processInParallel: { name: 'BATCH_PROCESS_IN_PARALLEL', prop: 'processInParallel' },
} as const;

// Per-record idempotency is configured with the variables IdempotentFunction uses
// (`IDEMPOTENCY_ENV` in ../idempotency/idempotency-constants: table name, key JMESPath,
// expiry, sort key, static partition value); here the key JMESPath is evaluated over
// `{ "messageId": ..., "body": <parsed body> }` of each record.

/** Environment prefixes only the construct may set (`environment` cannot). */
export const RESERVED_ENV_PREFIXES = ['BATCH_', IDEMPOTENCY_ENV_PREFIX];

/** Queue types, as written to `BATCH_QUEUE_TYPE`. */
export const QUEUE_TYPES = { standard: 'STANDARD', fifo: 'FIFO' } as const;

/** EMF metric names the template publishes per invocation (and the dashboard graphs). */
export const BATCH_METRICS = {
  processed: 'RecordsProcessed',
  failed: 'RecordsFailed',
  /** Business metric of the demo logic. */
  ordersRecorded: 'OrdersRecorded',
} as const;

/** Defaults both sides apply when a prop (or its variable) is unset. */
export const BATCH_DEFAULTS = {
  /** Message attribute carrying a correlation id. */
  correlationIdAttribute: 'correlationId',
  skipGroupOnError: false,
  processInParallel: true,
} as const;

/** What a `HandlerCode.fromEntry` module of an SqsBatchConsumer must export. */
export const BATCH_ENTRY = {
  exportName: 'processRecord',
  description:
    'export function processRecord(body, context) (sync or async; throw to fail the record); ' +
    'optionally export const bodyFormat = "json" | "text"',
} as const;

/** JMESPath of the default idempotency key: the SQS message id. */
export const MESSAGE_ID_KEY_JMESPATH = 'messageId';

// What the template calls an entry's `processRecord` with (shipped as
// `cdk-serverless-powertools/lib/entry-types`; the template builds its context with these types).

/** An SQS message attribute as Lambda delivers it. */
export interface SqsMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly stringListValues?: string[];
  readonly binaryListValues?: string[];
}

/** The SQS record as Lambda delivers it (the shape of `aws-lambda`'s `SQSRecord`). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly SenderId: string;
    readonly ApproximateFirstReceiveTimestamp: string;
    readonly MessageGroupId?: string;
    readonly MessageDeduplicationId?: string;
    readonly SequenceNumber?: string;
  };
  readonly messageAttributes: Record<string, SqsMessageAttribute>;
  readonly md5OfBody: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** What the per-record function gets besides the body. */
export interface RecordContext {
  /** The raw SQS record (attributes, message attributes, receive count...). */
  readonly record: SqsRecord;
  readonly messageId: string;
  /** From the configured message attribute, when the message carries it. */
  readonly correlationId?: string;
  /** A logger whose lines carry this record's `message_id` and `correlation_id`. */
  readonly logger: EntryLogger;
  /** Shared EMF metrics, published once at the end of the invocation. */
  readonly metrics: EntryMetrics;
  readonly lambdaContext?: LambdaContext;
  /** The parameters and secrets declared on the construct (`await context.parameters.get('key')`). */
  readonly parameters: EntryParameters;
}

/**
 * The `processRecord` export: called once per record with the parsed body (`bodyFormat`
 * `json`, the default) or the raw string (`text`); sync or async; throw to fail the record.
 */
export type ProcessRecordFunction = (body: any, context: RecordContext) => unknown;

/** The optional `bodyFormat` export: `json` parses the body (malformed JSON fails the record), `text` passes the string. */
export type BodyFormat = 'json' | 'text';
