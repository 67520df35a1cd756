import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { StreamFailureDestination } from './stream-failure-destination';
import { StreamIdempotencyKey } from './stream-idempotency-key';
import { StreamSource } from './stream-source';
import { PowertoolsFunctionOptions } from '../core/function-options';
import { RecordIdempotencyOptions } from '../core/record-idempotency';

/** Per-record idempotency of a StreamBatchConsumer. */
export interface StreamBatchIdempotencyOptions extends RecordIdempotencyOptions {
  /**
   * What identifies a record.
   *
   * @default StreamIdempotencyKey.eventId() - DynamoDB `eventID`, Kinesis `shardId-…:<sequence number>`
   */
  readonly key?: StreamIdempotencyKey;
}

/**
 * Properties of a StreamBatchConsumer. Every prop is optional:
 * `new StreamBatchConsumer(this, 'Events')` gives an encrypted on-demand Kinesis stream, a
 * function running the bundled Powertools stream template, an encrypted on-failure queue,
 * alarms and a dashboard.
 */
export interface StreamBatchConsumerProps extends PowertoolsFunctionOptions {
  /**
   * The stream to consume: `StreamSource.kinesis(stream)` or `StreamSource.dynamoDb(table)`.
   *
   * @default - a new on-demand Kinesis stream, SSE-KMS encrypted (the AWS managed
   * `aws/kinesis` key, or `streamEncryptionKey`), retention 24 hours
   */
  readonly source?: StreamSource;

  /**
   * A customer managed KMS key for the stream this construct creates (not allowed with
   * `source`: a given stream keeps its own encryption). The function gets `kms:Decrypt` on it.
   *
   * @default - the AWS managed `aws/kinesis` key (no per-request KMS charges to you)
   */
  readonly streamEncryptionKey?: kms.IKey;

  /**
   * Where the event source mapping starts reading: `LATEST` (new records only) or
   * `TRIM_HORIZON` (everything the stream still holds). `AT_TIMESTAMP` is not supported.
   *
   * @default lambda.StartingPosition.LATEST
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Records per invocation, 1 to 10000.
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long the event source mapping gathers records before invoking (up to 5 minutes).
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Batches processed concurrently per shard, 1 to 10. Records with the same partition key
   * (Kinesis) or item key (DynamoDB) stay in order.
   *
   * @default 1
   */
  readonly parallelizationFactor?: number;

  /**
   * Retries of a failing batch before its records go to the on-failure destination, 0 to
   * 10000. Unlimited retries (-1) are not allowed: a poison record would block its shard
   * until the record expires.
   *
   * @default 3
   */
  readonly retryAttempts?: number;

  /**
   * Records older than this are sent to the on-failure destination instead of the function,
   * 60 seconds to 7 days. DynamoDB streams keep records 24 hours, so a longer age changes
   * nothing there; Kinesis keeps them for the stream's retention period.
   *
   * @default Duration.hours(24)
   */
  readonly maxRecordAge?: Duration;

  /**
   * Split a failing batch in two and retry each half, so a poison record is isolated quickly.
   * With partial batch responses, a batch is split only when the function itself fails
   * (throws or times out).
   *
   * @default true
   */
  readonly bisectBatchOnError?: boolean;

  /**
   * Kinesis only: group records into tumbling windows of this size (1 second to 15 minutes).
   * The template processes the records and returns the window `state` it received
   * unchanged (Lambda fails a windowed invocation whose response has no `state`); to
   * aggregate, bring your own handler with `HandlerCode.fromCode()`.
   *
   * @default - no tumbling window
   */
  readonly tumblingWindow?: Duration;

  /**
   * Event filter patterns (`lambda.FilterCriteria.filter(...)`), at most 5. Records that
   * match none are skipped without invoking the function.
   *
   * @default - every record is processed
   */
  readonly filters?: Array<{ [key: string]: any }>;

  /**
   * Whether the event source mapping reads the stream.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Where the metadata of records given up on goes (shard id and sequence-number range):
   * `StreamFailureDestination.queue(q)` or `.topic(t)`.
   *
   * @default - a new SQS queue, SSE-SQS encrypted, TLS-only, 14 days retention, with a
   * depth alarm
   */
  readonly onFailure?: StreamFailureDestination;

  /**
   * Kinesis only: read through an enhanced fan-out consumer of this name (dedicated 2 MB/s
   * per shard, ~70 ms propagation). Creates an `AWS::Kinesis::StreamConsumer`.
   *
   * @default - shared throughput (GetRecords polling)
   */
  readonly consumerName?: string;

  /**
   * Per-record idempotency: a record whose key already ran is not run again when Lambda
   * delivers it again (a retried batch after a function error or timeout, a bisected half,
   * the records after a reported failure). Uses Powertools idempotency with a DynamoDB table.
   *
   * @default - no idempotency
   */
  readonly idempotency?: StreamBatchIdempotencyOptions;

  /**
   * Alarm (critical) when the iterator age, how far behind the newest record the function
   * reads, exceeds this (1 second to 7 days).
   *
   * @default Duration.seconds(60)
   */
  readonly iteratorAgeAlarmThreshold?: Duration;
}
