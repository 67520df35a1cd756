import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { RecordIdempotency } from './record-idempotency';
import type { RecordContext, RecordLogic } from './record-logic';
import type { BatchSettings } from './settings';
import { TRACE_ANNOTATIONS } from '../../../core/contract/observability-env';
import type { EntryParameters } from '../../../core/contract/parameters';
import { FailureLines } from '../../../core/runtime/shared/failure-lines';
import { IdleSlot } from '../../../core/runtime/shared/idle-slot';
import { endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';
import { asError } from '../../../core/runtime/shared/non-error';
import { templateParameters } from '../../../core/runtime/shared/parameters';
import { recordChild, recordLogger } from '../../../core/runtime/shared/record-logger';
import { recordRejected, settleRecord } from '../../../core/runtime/shared/record-outcome';
import { validateInput } from '../../../core/runtime/shared/schema';
import { publishCounts } from '../../../core/runtime/shared/template-metrics';
import type { TemplateTracing } from '../../../core/runtime/shared/tracing';
import { BATCH_METRICS } from '../../contract';

/** Everything a batch invocation needs besides the event; built once at init. */
export interface BatchDependencies {
  readonly logic: RecordLogic;
  readonly settings: BatchSettings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly idempotency?: RecordIdempotency;
  /** X-Ray: the invocation and one subsegment per record (`messageId`, `correlationId`). */
  readonly tracing?: TemplateTracing;
}

const standardProcessors = new IdleSlot(() => new BatchProcessor(EventType.SQS));

/** A record whose body is not valid JSON while the logic expects JSON. */
export class MalformedBodyError extends Error {
  constructor(messageId: string, cause: unknown) {
    super(`message ${messageId}: body is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'MalformedBodyError';
  }
}

/**
 * Processes one SQS batch and returns the partial batch response. Every record that fails
 * (malformed body, thrown Error or non-Error, idempotency conflict, FIFO short circuit) is
 * listed in `batchItemFailures`; the rest are deleted by Lambda. When every record fails,
 * every record is listed: never an empty (= all succeeded) response.
 */
export function processBatch(event: SQSEvent, context: Context | undefined, deps: BatchDependencies): Promise<SQSBatchResponse> {
  return deps.tracing ? deps.tracing.invocation(() => processBatchTraced(event, context, deps)) : processBatchTraced(event, context, deps);
}

async function processBatchTraced(event: SQSEvent, context: Context | undefined, deps: BatchDependencies): Promise<SQSBatchResponse> {
  if (!event || !Array.isArray(event.Records)) {
    // Not an SQS batch: fail the invocation so nothing is deleted.
    throw new TypeError('SqsBatchConsumer: the event has no Records array; this function expects SQS batches.');
  }
  const { logger, metrics, settings, tracing } = deps;
  if (context) startInvocation(logger, context);
  metrics.captureColdStartMetric(context?.functionName);
  deps.idempotency?.registerLambdaContext(context);

  // Our own record of failures: the safety net for processor paths that lose them (#5624).
  const failures = new Map<string, Error>();
  const failureLines = new FailureLines(logger, 'record failed; it returns to the queue');
  const recordFailed = (record: SQSRecord, recordContext: LazyRecordContext, thrown: unknown): Promise<never> => {
    const error = asError('the record logic', thrown);
    failures.set(record.messageId, error);
    // The record's buffered DEBUG lines, before the line that says it failed.
    recordContext.flushBufferedLogs();
    failureLines.write(error, {
      message_id: record.messageId,
      correlation_id: recordContext.correlationId,
      receive_count: record.attributes?.ApproximateReceiveCount,
    });
    // Powertools reads `.message` of what it catches: an Error, never the raw value.
    return recordRejected(error);
  };
  // Not async (see settleRecord): a record of synchronous logic costs no promise of its own.
  const recordHandler = (record: SQSRecord): unknown => {
    const recordContext = new LazyRecordContext(record, context, deps);
    const onFailure = (thrown: unknown) => recordFailed(record, recordContext, thrown);
    if (!tracing?.recording) return settleRecord(() => processRecord(record, recordContext, deps), onFailure);
    const annotations = {
      [TRACE_ANNOTATIONS.messageId]: record.messageId,
      [TRACE_ANNOTATIONS.correlationId]: recordContext.correlationId,
    };
    return settleRecord(() => tracing.span('## record', annotations, async () => processRecord(record, recordContext, deps)), onFailure);
  };

  let reported: SQSBatchItemFailure[] = [];
  try {
    // Overlapping invocations of one handler (tests, and Lambda's multi-concurrency mode) must not
    // share batch state: a FIFO processor per invocation, a standard one reused only while idle.
    // throwOnFullBatchFailure: false keeps the real list when every record fails. With the
    // default, FullBatchFailureError leaves the processor's response empty (#5624).
    // The FIFO processor is sequential by nature; a standard queue is only with processInParallel: false.
    const options = settings.fifo
      ? { context, throwOnFullBatchFailure: false, skipGroupOnError: settings.skipGroupOnError }
      : { context, throwOnFullBatchFailure: false, processInParallel: settings.processInParallel };
    const response = settings.fifo
      ? await processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync() as any, options as any)
      : await standardProcessors.use((processor) => processPartialResponse(event, recordHandler, processor, options as any));
    reported = response.batchItemFailures;
  } catch (error) {
    // Whatever went wrong in the processor, no record may count as processed.
    logger.error('batch processing failed; reporting every record as failed', { error });
    for (const record of event.Records) {
      if (!failures.has(record.messageId)) failures.set(record.messageId, asError('the batch processor', error));
    }
  }

  const batchItemFailures = mergeFailures(event.Records, reported, failures);
  endBufferedLogs(batchItemFailures.length > 0, logger);
  const failed = batchItemFailures.length;
  publishCounts(metrics, [
    { name: BATCH_METRICS.processed, value: event.Records.length - failed },
    { name: BATCH_METRICS.failed, value: failed },
  ]);
  return { batchItemFailures };
}

// Not async: a synchronous throw of the logic reaches settleRecord's catch directly, without
// first becoming one more rejected promise per failed record.
function processRecord(record: SQSRecord, context: RecordContext, deps: BatchDependencies): unknown {
  const parsed = parseBody(record, deps.logic.bodyFormat);
  if (!deps.logic.schema) return handleBody(record, parsed, context, deps);
  return validateInput(deps.logic.schema, parsed, `message ${record.messageId}`).then((body) => handleBody(record, body, context, deps));
}

function handleBody(record: SQSRecord, body: unknown, context: RecordContext, deps: BatchDependencies): unknown {
  if (deps.idempotency) {
    return deps.idempotency.run({ messageId: record.messageId, body }, context);
  }
  return deps.logic.processRecord(body, context);
}

function parseBody(record: SQSRecord, format: 'json' | 'text'): unknown {
  if (format === 'text') return record.body;
  try {
    return JSON.parse(record.body);
  } catch (error) {
    throw new MalformedBodyError(record.messageId, error);
  }
}

/**
 * A class rather than an object literal with a getter: V8 keeps class instances on a fast
 * shape, and this object is created once per record.
 */
class LazyRecordContext implements RecordContext {
  public readonly messageId: string;
  public readonly correlationId: string | undefined;
  public readonly metrics: Metrics;
  private child?: Logger;

  constructor(public readonly record: SQSRecord, public readonly lambdaContext: Context | undefined, private readonly deps: BatchDependencies) {
    this.messageId = record.messageId;
    this.correlationId = correlationIdOf(record, deps.settings.correlationIdAttribute);
    this.metrics = deps.metrics;
  }

  public get parameters(): EntryParameters {
    return templateParameters();
  }

  // Made on first use. Its own keys on each line (not appendKeys on the shared logger),
  // because records run concurrently (core/runtime/shared/record-logger.ts).
  public get logger(): Logger {
    this.child ??= recordLogger(
      this.deps.logger,
      this.correlationId ? { message_id: this.messageId, correlation_id: this.correlationId } : { message_id: this.messageId },
    );
    return this.child;
  }

  /** With log buffering: prints what this record's logger held back (a child buffers apart from its parent). */
  public flushBufferedLogs(): void {
    endBufferedLogs(true, recordChild(this.child));
  }
}

/** The correlation id from the configured message attribute, when present. */
export function correlationIdOf(record: SQSRecord, attribute: string): string | undefined {
  const value = record.messageAttributes?.[attribute]?.stringValue;
  return value && value.length > 0 ? value : undefined;
}

/** Processor-reported and self-recorded failures, once each, in batch order. */
function mergeFailures(records: SQSRecord[], reported: SQSBatchItemFailure[], failures: Map<string, Error>): SQSBatchItemFailure[] {
  if (reported.length === 0 && failures.size === 0) return [];
  const failed = new Set<string>([...reported.map((f) => f.itemIdentifier), ...failures.keys()]);
  const result: SQSBatchItemFailure[] = [];
  for (const record of records) {
    if (failed.has(record.messageId)) {
      result.push({ itemIdentifier: record.messageId });
      failed.delete(record.messageId);
    }
  }
  return result;
}
