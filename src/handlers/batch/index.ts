/**
 * SqsBatchConsumer template: Powertools batch processing of SQS records with partial batch
 * responses (BatchProcessor for standard queues, SqsFifoPartialProcessorAsync for FIFO),
 * structured logs with correlation ids, EMF metrics, and optional per-record idempotency.
 *
 * `handler` runs the demo logic; `wrapBatch(userModule)` runs yours (HandlerCode.fromEntry).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BatchDependencies, processBatch } from './consumer';
import { demoLogic } from './demo-logic';
import { createRecordIdempotency } from './record-idempotency';
import { RecordLogic, recordLogicFromModule } from './record-logic';
import { BatchSettings, readSettings } from './settings';

export { ENTRY_CONTRACT } from './record-logic';
export { readSettings } from './settings';
export { processBatch } from './consumer';

export type BatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

// Created once per execution environment, outside the handler.
const logger = new Logger();
const metrics = new Metrics();

/**
 * A handler for `logic` with the given settings (read from the environment by default).
 * Builds the idempotency persistence layer, and its DynamoDB client, once.
 */
export function createBatchHandler(logic: RecordLogic, settings: BatchSettings = readSettings()): BatchHandler {
  const deps: BatchDependencies = {
    logic,
    settings,
    logger,
    metrics,
    idempotency: settings.idempotency ? createRecordIdempotency(logic, settings.idempotency) : undefined,
  };
  return (event, context) => processBatch(event, context, deps);
}

/** Wraps a user's module (`processRecord(body, context)`, optional `bodyFormat`) into a handler. */
export function wrapBatch(userModule: unknown): BatchHandler {
  return createBatchHandler(recordLogicFromModule(userModule), settings);
}

// Settings are read at init so a misconfiguration fails the cold start, not each batch.
const settings = readSettings();
let demoHandler: BatchHandler | undefined;

/** The demo logic. Built on first use, so a wrapped entry never creates a second DynamoDB client. */
export const handler: BatchHandler = (event, context) => (demoHandler ??= createBatchHandler(demoLogic, settings))(event, context);
