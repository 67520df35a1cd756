import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RecordIdempotencyKey } from './record-idempotency-key';
import { PowertoolsFunctionOptions } from '../core/function-options';
import { IdempotencyTableAttributes } from '../idempotency/table-attributes';

/** Per-record idempotency of an SqsBatchConsumer. */
export interface SqsBatchIdempotencyOptions {
  /**
   * The idempotency table, e.g. `myIdempotencyTable.table` to share one IdempotencyTable.
   * It must use the Powertools layout: a String partition key `id`, TTL on `expiration`,
   * and optionally a String sort key (the shared layout, which needs
   * `staticPartitionKeyValue`). The key schema of a `dynamodb.Table` defined in this app is
   * checked at synth; for an imported table set `sortKeyName` if it has a sort key. The
   * function gets exactly GetItem, PutItem, UpdateItem and DeleteItem on it.
   *
   * @default - a new `IdempotencyTable` (no sort key) inside this construct
   */
  readonly table?: dynamodb.ITable;

  /**
   * Sort key of an imported `table` that uses the shared sort-key layout. Only needed when
   * the key schema cannot be read (imported tables); for a table defined in the app it is
   * read from the table, and a different value is an error.
   *
   * @default - read from the table when possible, otherwise no sort key
   */
  readonly sortKeyName?: string;

  /**
   * The partition key value this consumer writes in the shared sort-key layout (the hashed
   * record key goes into the sort key), e.g. `"orders-consumer"`. Required when the table
   * has a sort key, so functions sharing the table never collide; not allowed otherwise.
   *
   * @default - none (required with a sort-key table)
   */
  readonly staticPartitionKeyValue?: string;

  /**
   * What identifies a record.
   *
   * @default RecordIdempotencyKey.messageId()
   */
  readonly key?: RecordIdempotencyKey;

  /**
   * How long a processed record is remembered: a duplicate arriving later runs again.
   * Whole seconds, at least 1 second. A token (e.g. from a CfnParameter) must be given in
   * seconds, `Duration.seconds(param.valueAsNumber)`: CloudFormation cannot convert units.
   *
   * @default Duration.hours(1)
   */
  readonly expiresAfter?: Duration;

  /**
   * The prefix of every record key (`<prefix>#<hash>`). The default survives function
   * replacement, unlike Powertools' own (the function name). Changing it, or moving the
   * construct while relying on the default, starts a new key space: records already
   * processed run once more if redelivered before their old records expire. Must not be
   * empty or contain `#`.
   *
   * @default - the construct path, e.g. `Shop/Orders`
   */
  readonly keyPrefix?: string;

  /**
   * Attribute names of an existing `table` whose layout differs from Powertools' defaults
   * (`key` must be its partition key, `expiry` its TTL attribute).
   *
   * @default - Powertools' names: `id`, `expiration`, `in_progress_expiration`, `status`, `data`, `validation`
   */
  readonly tableAttributes?: IdempotencyTableAttributes;
}

/**
 * Properties of an SqsBatchConsumer. Every prop is optional:
 * `new SqsBatchConsumer(this, 'Orders')` gives a standard queue, a DLQ, a function running
 * the bundled Powertools batch template, alarms and a dashboard.
 */
export interface SqsBatchConsumerProps extends PowertoolsFunctionOptions {
  /**
   * Create FIFO queues (source and DLQ) and use the Powertools FIFO partial processor,
   * which processes records in order and stops at the first failure.
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * FIFO only: deduplicate messages by a SHA-256 of their body instead of a
   * producer-supplied deduplication id.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * FIFO only: after a record fails, keep processing records of other message groups in
   * the batch and fail only the rest of the failed record's group.
   *
   * @default false - stop at the first failure and fail every later record of the batch
   */
  readonly skipGroupOnError?: boolean;

  /**
   * Consume an existing queue instead of creating one. Its redrive policy, encryption and
   * visibility timeout are yours: the queue-shaping props (`fifo`, `encryptionKey`,
   * `maxReceiveCount`, `visibilityTimeout`, `retentionPeriod`, `contentBasedDeduplication`)
   * must then be unset. Its FIFO-ness is read from `existingQueue.fifo`.
   *
   * @default - a new queue
   */
  readonly existingQueue?: sqs.IQueue;

  /**
   * With `existingQueue`: the dead-letter queue its redrive policy points at, for the DLQ
   * alarm, the dashboard and `grantRedriveFromDeadLetterQueue`. Not changed by the construct.
   *
   * @default - a new DLQ with a new queue; none with `existingQueue`
   */
  readonly existingDeadLetterQueue?: sqs.IQueue;

  /**
   * A customer managed KMS key for both queues.
   *
   * @default - SQS-managed server-side encryption (SSE-SQS)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Receives before a message moves to the DLQ (1 to 1000). Values outside 3 to 5 (the
   * recommended range: enough retries for transient errors, poison messages leave quickly)
   * are a synth warning.
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;

  /**
   * The queue's visibility timeout. Must be at least the function timeout; below
   * 6 × function timeout + `maxBatchingWindow` (AWS's guidance) it is a warning.
   * At most 12 hours.
   *
   * @default - 6 × the function timeout + `maxBatchingWindow`
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long the source queue keeps a message (1 minute to 14 days). The DLQ always keeps
   * messages 14 days.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Records per invocation: 1 to 10, or up to 10000 with a `maxBatchingWindow` (standard
   * queues only).
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long the event source mapping gathers records before invoking (up to 5 minutes).
   * Not supported for FIFO queues.
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * The most concurrent invocations the event source mapping starts (2 to 1000).
   *
   * @default - no limit beyond the function's concurrency
   */
  readonly maxConcurrency?: number;

  /**
   * Event filter patterns (`lambda.FilterCriteria.filter(...)`), at most 5. Messages that
   * match none are deleted without invoking the function.
   *
   * @default - every message is processed
   */
  readonly filters?: Array<{ [key: string]: any }>;

  /**
   * Whether the event source mapping polls the queue.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The message attribute whose string value the template logs as `correlation_id`.
   *
   * @default "correlationId"
   */
  readonly correlationIdAttribute?: string;

  /**
   * Alarm when the oldest message in the queue is older than this (1 minute to 14 days).
   * A token must be given in seconds, `Duration.seconds(param.valueAsNumber)`.
   *
   * @default - the longer of 15 minutes and `visibilityTimeout` × `maxReceiveCount` (the
   * time a failing message may legitimately spend being retried)
   */
  readonly oldestMessageAgeAlarmThreshold?: Duration;

  /**
   * Per-record idempotency: a record whose key was already processed is skipped, so
   * duplicate deliveries cause no duplicate side effects. Uses Powertools idempotency with
   * a DynamoDB table.
   *
   * @default - no idempotency
   */
  readonly idempotency?: SqsBatchIdempotencyOptions;
}
