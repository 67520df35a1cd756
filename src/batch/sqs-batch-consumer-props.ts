import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RecordIdempotencyKey } from './record-idempotency-key';
import { PowertoolsFunctionOptions } from '../core/function-options';
import { RecordIdempotencyOptions } from '../core/record-idempotency';

/** Per-record idempotency of an SqsBatchConsumer. */
export interface SqsBatchIdempotencyOptions extends RecordIdempotencyOptions {
  /**
   * What identifies a record.
   *
   * @default RecordIdempotencyKey.messageId()
   */
  readonly key?: RecordIdempotencyKey;
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
   * Standard queues: run the records of a batch concurrently (Powertools' default) or, with
   * `false`, one at a time in batch order, for order-sensitive or rate-limited downstreams.
   * Each failure is still reported on its own. FIFO queues are always processed in order,
   * so `true` with `fifo` is an error.
   *
   * @default true
   */
  readonly processInParallel?: boolean;

  /**
   * Provisioned mode of the event source mapping: a minimum of always-on event pollers
   * (each handles about 5 MB/s) and a maximum to scale to, for spiky, high-volume queues
   * that must not wait for Lambda to scale its pollers up. For SQS: `minimumPollers` 2 to
   * 200, `maximumPollers` 2 to 2000, minimum at most maximum. `pollerGroupName` is for Kafka
   * sources only. Provisioned pollers are billed while they run, even when the queue is idle.
   *
   * @default - on-demand polling: Lambda scales its pollers with the queue
   */
  readonly provisionedPollerConfig?: lambda.ProvisionedPollerConfig;

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
