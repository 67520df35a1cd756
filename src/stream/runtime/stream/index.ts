/**
 * StreamBatchConsumer template: Powertools batch processing of Kinesis or DynamoDB stream
 * records with partial batch responses, in order, stopping at the first failure (that record
 * and every later one are reported, so Lambda retries the shard from there), structured logs
 * with the sequence number, shard and partition key, and EMF metrics.
 *
 * `handler` runs the demo logic; `wrapStream(userModule)` runs yours (HandlerCode.fromEntry).
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { processStreamBatch, StreamDependencies, StreamSettings, StreamsEventResponse } from './consumer';
import { demoLogic, StreamLogic, streamLogicFromModule } from './logic';
import { TemplateEnv } from '../../../core/contract/env-reader';
import { createLogger } from '../../../core/runtime/shared/logger';
import { STREAM_ENV, STREAM_SOURCE_TYPES } from '../../contract';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT } from './logic';
export { processStreamBatch } from './consumer';

export type StreamHandler = (event: unknown, context?: Context) => Promise<StreamsEventResponse>;

type Env = { [key: string]: string | undefined };

/** Reads the settings once at init; a value the construct never writes fails the cold start. */
export function readSettings(env: Env = process.env): StreamSettings {
  const reader = new TemplateEnv('StreamBatchConsumer', env);
  const type = reader.oneOf(STREAM_ENV.sourceType, [STREAM_SOURCE_TYPES.kinesis, STREAM_SOURCE_TYPES.dynamoDb], STREAM_SOURCE_TYPES.kinesis);
  return { kinesis: type === STREAM_SOURCE_TYPES.kinesis };
}

// Created once per execution environment, outside the handler.
const logger = createLogger();
const metrics = new Metrics();
const settings = readSettings();

/** A handler for `logic` with the given settings (read from the environment by default). */
export function createStreamHandler(logic: StreamLogic, streamSettings: StreamSettings = settings): StreamHandler {
  const deps: StreamDependencies = { logic, settings: streamSettings, logger, metrics };
  return (event, context) => processStreamBatch(event, context, deps);
}

/** Wraps a user's module (`processRecord(payload, context)`, optional `bodyFormat`) into a handler. */
export function wrapStream(userModule: unknown): StreamHandler {
  return createStreamHandler(streamLogicFromModule(userModule));
}

/** The demo logic. */
export const handler: StreamHandler = createStreamHandler(demoLogic);
