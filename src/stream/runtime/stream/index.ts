/**
 * StreamBatchConsumer template: Powertools batch processing of Kinesis or DynamoDB stream
 * records with partial batch responses, in order, stopping at the first failure (that record
 * and every later one are reported, so Lambda retries the shard from there), structured logs
 * with the sequence number, shard and partition key, and EMF metrics.
 *
 * `handler` runs the demo logic; `wrapStream(userModule)` runs yours (HandlerCode.fromEntry).
 */
import type { Context } from 'aws-lambda';
import { processStreamBatch, StreamDependencies, StreamSettings, StreamsEventResponse } from './consumer';
import { demoLogic, StreamLogic, streamLogicFromModule } from './logic';
import { readSettings } from './settings';
import { loadOnce } from '../../../core/runtime/shared/load-once';
import { createLogger } from '../../../core/runtime/shared/logger';
import { loadSchemaValidation } from '../../../core/runtime/shared/schema';
import { TemplateMetrics } from '../../../core/runtime/shared/template-metrics';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT } from './logic';
export { processStreamBatch } from './consumer';
export { readSettings } from './settings';

export type StreamHandler = (event: unknown, context?: Context) => Promise<StreamsEventResponse>;

// Created once per execution environment, outside the handler.
const logger = createLogger();
const metrics = new TemplateMetrics();
const tracing = new TemplateTracing();
const settings = readSettings();

// The .js extension is what node16 module resolution asks of an ECMAScript import; esbuild maps it to the .ts file.
const loadIdempotency = () => import('./idempotency.js');
// Configured: start loading the idempotency chunk during init (Lambda boosts init CPU).
if (settings.idempotency) loadIdempotency().catch(() => undefined);

/** A handler for `logic` with the given settings (read from the environment by default). */
export function createStreamHandler(logic: StreamLogic, streamSettings: StreamSettings = settings): StreamHandler {
  // Only an entry with a schema loads the validation chunk, during init.
  if (logic.schema) loadSchemaValidation().catch(() => undefined);
  const idempotencySettings = streamSettings.idempotency;
  if (!idempotencySettings) {
    const deps: StreamDependencies = { logic, settings: streamSettings, logger, metrics, tracing };
    return (event, context) => processStreamBatch(event, context, deps);
  }
  // One persistence layer (and DynamoDB client) per handler; a failed load fails only this batch.
  const idempotency = loadOnce(async () =>
    (await loadIdempotency()).createStreamIdempotency(logic, idempotencySettings, (client) => tracing.captureClient(client)));
  return async (event, context) =>
    processStreamBatch(event, context, { logic, settings: streamSettings, logger, metrics, tracing, idempotency: await idempotency() });
}

/** Wraps a user's module (`processRecord(payload, context)`, optional `bodyFormat`) into a handler. */
export function wrapStream(userModule: unknown): StreamHandler {
  return createStreamHandler(streamLogicFromModule(userModule));
}

let demoHandler: StreamHandler | undefined;

/** The demo logic. Built on first use, so a wrapped entry never creates a second DynamoDB client. */
export const handler: StreamHandler = (event, context) => (demoHandler ??= createStreamHandler(demoLogic))(event, context);
