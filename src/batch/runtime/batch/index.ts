/**
 * SqsBatchConsumer template: Powertools batch processing of SQS records with partial batch
 * responses (BatchProcessor for standard queues, SqsFifoPartialProcessorAsync for FIFO),
 * structured logs with correlation ids, EMF metrics, and optional per-record idempotency.
 *
 * With idempotency, a record's result is stored as JSON.parse(JSON.stringify(result)). A
 * result that cannot be stored (a BigInt, a circular object, over ~396 KB) fails the
 * record with UnstorableResultError or IdempotentResultTooLargeError after the logic ran
 * once; redeliveries fail the same way, without running the logic again, until the DLQ.
 *
 * `handler` runs the demo logic; `wrapBatch(userModule)` runs yours (HandlerCode.fromEntry).
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BatchDependencies, processBatch } from './consumer';
import { demoLogic } from './demo-logic';
import type { RecordIdempotency } from './record-idempotency';
import { RecordLogic, recordLogicFromModule } from './record-logic';
import { BatchSettings, readSettings } from './settings';
import { createLogger } from '../../../core/runtime/shared/logger';
import { loadSchemaValidation } from '../../../core/runtime/shared/schema';
import { TemplateMetrics } from '../../../core/runtime/shared/template-metrics';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT } from './record-logic';
export { readSettings } from './settings';
export { processBatch } from './consumer';

export type BatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

// Created once per execution environment, outside the handler.
const logger = createLogger();
const metrics = new TemplateMetrics();
const tracing = new TemplateTracing();

/**
 * A handler for `logic` with the given settings (read from the environment by default).
 * Builds the idempotency persistence layer, and its DynamoDB client, once.
 */
export function createBatchHandler(logic: RecordLogic, settings: BatchSettings = readSettings()): BatchHandler {
  // Only an entry with a schema loads the validation chunk, during init.
  if (logic.schema) loadSchemaValidation().catch(() => undefined);
  const idempotencySettings = settings.idempotency;
  if (!idempotencySettings) {
    const deps: BatchDependencies = { logic, settings, logger, metrics, tracing };
    return (event, context) => processBatch(event, context, deps);
  }
  // Idempotency (and with it the AWS SDK) is a separate chunk, loaded only by functions that
  // use it; when the environment asks for it, the module-level preload below has already
  // loaded it during init.
  let idempotency: Promise<RecordIdempotency> | undefined;
  const loadOnce = (): Promise<RecordIdempotency> => {
    if (!idempotency) {
      const loading = loadIdempotency().then((m) => m.createRecordIdempotency(logic, idempotencySettings, (client) => tracing.captureClient(client)));
      // A failed load fails this invocation (every record returns to the queue) and is not
      // cached: the next invocation tries again instead of failing forever.
      loading.catch(() => {
        if (idempotency === loading) idempotency = undefined;
      });
      idempotency = loading;
    }
    return idempotency;
  };
  return async (event, context) => processBatch(event, context, { logic, settings, logger, metrics, tracing, idempotency: await loadOnce() });
}

// The .js extension is what node16 module resolution asks of an ECMAScript import; esbuild maps it to the .ts file.
const loadIdempotency = () => import('./record-idempotency.js');

/** Wraps a user's module (`processRecord(body, context)`, optional `bodyFormat`) into a handler. */
export function wrapBatch(userModule: unknown): BatchHandler {
  return createBatchHandler(recordLogicFromModule(userModule), settings);
}

// Settings are read at init so a misconfiguration fails the cold start, not each batch.
const settings = readSettings();
// Start loading the idempotency chunk during init (Lambda boosts init CPU) when configured;
// a failure surfaces from the handler's own load, which the module system shares.
if (settings.idempotency) loadIdempotency().catch(() => undefined);
let demoHandler: BatchHandler | undefined;

/** The demo logic. Built on first use, so a wrapped entry never creates a second DynamoDB client. */
export const handler: BatchHandler = (event, context) => (demoHandler ??= createBatchHandler(demoLogic, settings))(event, context);
