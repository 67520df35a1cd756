import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { decodeDynamoDb, decodeKinesis } from './decode';
import type { StreamRecordIdempotency } from './idempotency';
import type { StreamLogic, StreamRecordContext } from './logic';
import type { StreamSettings } from './settings';
import { CORRELATION_ID, TRACE_ANNOTATIONS } from '../../../core/contract/observability-env';
import type { EntryParameters } from '../../../core/contract/parameters';
import { failureError, FailureLines } from '../../../core/runtime/shared/failure-lines';
import { IdleSlot } from '../../../core/runtime/shared/idle-slot';
import { endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';
import { asError } from '../../../core/runtime/shared/non-error';
import { templateParameters } from '../../../core/runtime/shared/parameters';
import { recordChild, recordLogger } from '../../../core/runtime/shared/record-logger';
import { recordRejected, settleRecord, withoutStack } from '../../../core/runtime/shared/record-outcome';
import { issuesOf, validateInput } from '../../../core/runtime/shared/schema';
import { publishCounts } from '../../../core/runtime/shared/template-metrics';
import type { TemplateTracing } from '../../../core/runtime/shared/tracing';
import { STREAM_METRICS } from '../../contract';

type StreamRecord = KinesisStreamRecord | DynamoDBRecord;
type BatchItemFailure = { itemIdentifier: string };
/** The partial batch response of a stream batch. */
export interface StreamsEventResponse {
  batchItemFailures: BatchItemFailure[];
  /** Tumbling windows only: the window state, returned as received (the template does not aggregate). */
  state?: Record<string, unknown>;
}

export type { StreamSettings } from './settings';

/** Everything a batch invocation needs besides the event; built once at init. */
export interface StreamDependencies {
  readonly logic: StreamLogic;
  readonly settings: StreamSettings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** X-Ray: the invocation and one subsegment per record (`sequenceNumber`, `partitionKey`). */
  readonly tracing?: TemplateTracing;
  /** Per-record idempotency, when configured: a record whose key already ran is not run again. */
  readonly idempotency?: StreamRecordIdempotency;
}

const kinesisProcessors = new IdleSlot(() => new BatchProcessor(EventType.KinesisDataStreams));
const dynamoDbProcessors = new IdleSlot(() => new BatchProcessor(EventType.DynamoDBStreams));

/** A record after an earlier failure in the same batch: not run, retried with it. */
export class NotAttemptedError extends Error {
  constructor(sequenceNumber: string, firstFailed: string) {
    super(`record ${sequenceNumber} was not processed: record ${firstFailed} before it failed, and Lambda retries the shard from there`);
    this.name = 'NotAttemptedError';
  }
}

/** Reported, never logged: capturing a stack for every record after a failure was most of a failed batch's cost. */
function notAttempted(sequenceNumber: string, firstFailed: string): NotAttemptedError {
  return withoutStack(() => new NotAttemptedError(sequenceNumber, firstFailed));
}

/**
 * Processes one stream batch (one shard) in order and returns the partial batch response.
 *
 * Lambda checkpoints a shard at the lowest sequence number in `batchItemFailures` and
 * delivers that record and every later one again. So the first record that fails stops the
 * batch: it and every record after it are reported (Powertools' BatchProcessor reports each
 * record whose handler threw; the later ones throw NotAttemptedError without running the
 * logic). Nothing after a failure runs twice or counts as processed. A malformed payload is a
 * failed record. An event that is not a batch of this source throws, so no record is
 * checkpointed; it never returns an empty (= all succeeded) response for records it did not
 * process.
 */
export function processStreamBatch(event: unknown, context: Context | undefined, deps: StreamDependencies): Promise<StreamsEventResponse> {
  const run = () => processStreamBatchTraced(event, context, deps);
  return deps.tracing ? deps.tracing.invocation(run) : run();
}

async function processStreamBatchTraced(event: unknown, context: Context | undefined, deps: StreamDependencies): Promise<StreamsEventResponse> {
  const { logger, metrics, settings, tracing } = deps;
  const records = checkEvent(event, settings);
  if (context) startInvocation(logger, context);
  metrics.captureColdStartMetric(context?.functionName);
  deps.idempotency?.registerLambdaContext(context);

  let firstFailed: string | undefined;
  const failureLines = new FailureLines(logger, 'record failed; Lambda retries the shard from this record');
  const failures = new Set<string>();
  // Not async: BatchProcessor awaits what it returns and catches a synchronous throw, so a
  // record of synchronous logic costs no promise of its own, and a record after a failure
  // is one stackless rejection (most of a failed batch is records that never ran).
  const recordHandler = (record: StreamRecord): unknown => {
    const id = sequenceNumberOf(record, settings)!;
    if (firstFailed !== undefined) {
      failures.add(id);
      return recordRejected(notAttempted(id, firstFailed));
    }
    const context_ = new LazyRecordContext(record, id, context, deps);
    if (!tracing?.recording) return processOne(record, id, context_);
    const annotations = { [TRACE_ANNOTATIONS.sequenceNumber]: id, [TRACE_ANNOTATIONS.partitionKey]: context_.partitionKey };
    return tracing.span('## record', annotations, async () => processOne(record, id, context_));
  };
  const processOne = (record: StreamRecord, id: string, context_: LazyRecordContext): unknown =>
    settleRecord(
      () => {
        const decoded = settings.kinesis
          ? decodeKinesis(record as KinesisStreamRecord, deps.logic.bodyFormat)
          : decodeDynamoDb(record as DynamoDBRecord);
        context_.correlationId = correlationIdIn(decoded);
        if (!deps.logic.schema) return runLogic(record, id, decoded, context_);
        return validateInput(deps.logic.schema, decoded, `record ${id}`).then((payload) => runLogic(record, id, payload, context_));
      },
      (thrown) => recordFailed(id, context_, thrown),
    );
  const runLogic = (record: StreamRecord, id: string, payload: unknown, context_: LazyRecordContext): unknown =>
    deps.idempotency
      ? deps.idempotency.run({ eventId: record.eventID, sequenceNumber: id, payload }, context_)
      : deps.logic.processRecord(payload, context_);
  const recordFailed = (id: string, context_: LazyRecordContext, thrown: unknown): Promise<never> => {
    const error = asError('the record logic', thrown);
    firstFailed = id;
    failures.add(id);
    // The record's buffered DEBUG lines (a child logger buffers apart from its parent), before the line that says it failed.
    context_.flushBufferedLogs();
    context_.warnFailed(error, failureLines);
    // Powertools reads `.message` of what it catches: an Error, never the raw value.
    return recordRejected(error);
  };

  let reported: BatchItemFailure[] = [];
  try {
    // Reused only while idle: overlapping invocations must not share batch state.
    const processors = settings.kinesis ? kinesisProcessors : dynamoDbProcessors;
    // In order, one at a time: a record may only run when every record before it succeeded.
    // throwOnFullBatchFailure: false keeps the real list when every record fails (#5624).
    const response = await processors.use((processor) =>
      processPartialResponse({ Records: records } as any, recordHandler as any, processor, {
        context,
        throwOnFullBatchFailure: false,
        processInParallel: false,
      } as any),
    );
    reported = response.batchItemFailures;
  } catch (error) {
    // Whatever went wrong in the processor, no record may count as processed.
    logger.error('batch processing failed; reporting every record as failed', { error: asError('the batch processor', error) });
    records.forEach((r) => failures.add(sequenceNumberOf(r, settings)!));
  }

  const batchItemFailures = fromFirstFailure(records, settings, new Set([...reported.map((f) => f.itemIdentifier), ...failures]));
  endBufferedLogs(batchItemFailures.length > 0, logger);
  publishCounts(metrics, [
    { name: STREAM_METRICS.processed, value: records.length - batchItemFailures.length },
    { name: STREAM_METRICS.failed, value: batchItemFailures.length },
  ]);
  // With a tumbling window, Lambda counts a response without `state` as a failed invocation.
  return windowed(event) ? { batchItemFailures, state: (event as { state?: Record<string, unknown> }).state ?? {} } : { batchItemFailures };
}

/** The records of a batch of this source; anything else throws, so nothing is checkpointed. */
function checkEvent(event: unknown, settings: StreamSettings): StreamRecord[] {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  const source = settings.kinesis ? 'aws:kinesis' : 'aws:dynamodb';
  if (!Array.isArray(records)) {
    throw new TypeError(`StreamBatchConsumer: the event has no Records array; this function expects ${source} stream batches.`);
  }
  records.forEach((record, index) => {
    if (record?.eventSource !== source || sequenceNumberOf(record, settings) === undefined) {
      throw new TypeError(`StreamBatchConsumer: record ${index} is not an ${source} record with a sequence number; the batch is not processed.`);
    }
  });
  return records as StreamRecord[];
}

/** An invocation of a mapping with a tumbling window: the event carries the `window`. */
function windowed(event: unknown): boolean {
  const window = (event as { window?: unknown }).window;
  return window !== null && typeof window === 'object';
}

function sequenceNumberOf(record: any, settings: StreamSettings): string | undefined {
  const id = settings.kinesis ? record?.kinesis?.sequenceNumber : record?.dynamodb?.SequenceNumber;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Every record from the first failed one on, in batch order, once each. */
function fromFirstFailure(records: StreamRecord[], settings: StreamSettings, failed: Set<string>): BatchItemFailure[] {
  const first = records.findIndex((r) => failed.has(sequenceNumberOf(r, settings)!));
  if (first < 0) return [];
  const ids = records.slice(first).map((r) => sequenceNumberOf(r, settings)!);
  return [...new Set(ids)].map((itemIdentifier) => ({ itemIdentifier }));
}

/** The decoded payload's correlation id: a top-level field of the data, or of the DynamoDB new (else old) image. */
function correlationIdIn(decoded: unknown): string | undefined {
  const field = CORRELATION_ID.payloadField;
  const of = (value: unknown) => {
    const id = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
    return typeof id === 'string' && CORRELATION_ID.pattern.test(id) ? id : undefined;
  };
  const change = decoded as { newImage?: unknown; oldImage?: unknown } | null;
  return of(decoded) ?? of(change?.newImage) ?? of(change?.oldImage);
}

/** Created once per record; its logger only on first use. */
class LazyRecordContext implements StreamRecordContext {
  public readonly eventId?: string;
  public readonly shardId?: string;
  public readonly partitionKey?: string;
  /** Set once the payload is decoded, before the logic runs. */
  public correlationId?: string;
  public readonly metrics: Metrics;
  private child?: Logger;

  constructor(
    public readonly record: StreamRecord,
    public readonly sequenceNumber: string,
    public readonly lambdaContext: Context | undefined,
    private readonly deps: StreamDependencies,
  ) {
    this.eventId = record.eventID;
    if (deps.settings.kinesis) {
      const kinesis = (record as KinesisStreamRecord).kinesis;
      this.partitionKey = kinesis.partitionKey;
      const shard = record.eventID?.split(':')[0];
      this.shardId = shard && shard.startsWith('shardId-') ? shard : undefined;
    }
    this.metrics = deps.metrics;
  }

  public get parameters(): EntryParameters {
    return templateParameters();
  }

  public get logger(): Logger {
    this.child ??= recordLogger(this.deps.logger, this.logKeys());
    return this.child;
  }

  /**
   * The record's failure line: through its Powertools child when the record logger made one
   * (the logic may have added keys to it), else the same line with the record's keys inline.
   */
  public warnFailed(error: Error, lines: FailureLines): void {
    const child = recordChild(this.child);
    if (child) child.warn(lines.message, { error: failureError(error), ...issuesOf(error) });
    else lines.write(error, this.logKeys());
  }

  private logKeys(): Record<string, string> {
    const keys: Record<string, string> = { sequence_number: this.sequenceNumber };
    if (this.eventId) keys.event_id = this.eventId;
    if (this.shardId) keys.shard_id = this.shardId;
    if (this.partitionKey) keys.partition_key = this.partitionKey;
    if (this.correlationId) keys.correlation_id = this.correlationId;
    return keys;
  }

  /** With log buffering: prints what this record's logger held back. */
  public flushBufferedLogs(): void {
    endBufferedLogs(true, recordChild(this.child));
  }
}
