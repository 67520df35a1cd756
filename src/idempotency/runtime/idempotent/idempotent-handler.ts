import { AsyncLocalStorage } from 'node:async_hooks';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { search } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions } from '@aws-lambda-powertools/jmespath/functions';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { IdempotentTemplateConfig } from './config';
import { replayMarkerHook } from './replay-marker';
import type { EntrySchema } from '../../../core/contract/entry';
import { TRACE_ANNOTATIONS } from '../../../core/contract/observability-env';
import { DynamoDbJsonClient } from '../../../core/runtime/shared/dynamodb/client';
import { LeanDynamoDBPersistenceLayer } from '../../../core/runtime/shared/dynamodb/persistence';
import { createLogger, endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';
import { withParameters } from '../../../core/runtime/shared/parameters';
import { loadSchemaValidation, validateInput } from '../../../core/runtime/shared/schema';
import { fromStoredResult, IdempotentResultTooLargeError, toStoredResult } from '../../../core/runtime/shared/stored-result';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';
import { IDEMPOTENCY_METRIC_NAMES, ProcessEventFunction } from '../../contract';

/** The business logic the template makes idempotent: the default demo, or the user's `processEvent`. */
export type IdempotentLogic = ProcessEventFunction;

/** A Lambda handler as the runtime calls it. */
export type IdempotentLambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

type MetricUnitValue = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The slice of Powertools Metrics the template uses; tests pass a recorder. */
export interface MetricsSink {
  addMetric(name: string, unit: MetricUnitValue, value: number): unknown;
  publishStoredMetrics(): void;
  /** The `ColdStart` EMF metric, on the first invocation of an execution environment. */
  captureColdStartMetric?(functionName?: string): void;
}

/** Optional collaborators, for tests and reuse. */
export interface IdempotentHandlerDeps {
  readonly logger?: Logger;
  readonly metrics?: MetricsSink;
  /**
   * The entry's input schema: the event is validated before Powertools idempotency sees it,
   * so an invalid event writes no record and a corrected retry runs.
   */
  readonly schema?: EntrySchema;
  /** Traces the invocation and the DynamoDB client (default: the template's, on where Lambda records traces). */
  readonly tracing?: TemplateTracing;
}

// One per execution environment, started at init: the X-Ray SDK loads once, during init,
// whatever number of handlers (the demo handler is built on first use).
const defaultTracing = new TemplateTracing();

/** EMF metric names (shared with the construct's dashboard): executions + replays + failures = invocations. */
export const IDEMPOTENCY_METRICS = IDEMPOTENCY_METRIC_NAMES;

/**
 * Builds an idempotent Lambda handler around `logic`: Powertools `makeIdempotent` with a
 * DynamoDB persistence layer configured from `config`, the Lambda context registered on
 * every invocation (so an in-progress record expires when the invocation times out),
 * the logger's context injected, and one EMF metric per invocation telling executions
 * from replays and failures.
 *
 * Everything here runs once per execution environment: the DynamoDB client, logger and
 * metrics are reused by every invocation.
 */
export function createIdempotentHandler(
  logic: IdempotentLogic,
  config: IdempotentTemplateConfig,
  deps: IdempotentHandlerDeps = {},
): IdempotentLambdaHandler {
  const logger = deps.logger ?? createLogger();
  const metrics = deps.metrics ?? new Metrics();
  const tracing = deps.tracing ?? defaultTracing;
  // Powertools' DynamoDB persistence semantics on a client without the AWS SDK (cold init);
  // our own client, so its calls are traced as subsegments of the invocation.
  const persistenceStore = new LeanDynamoDBPersistenceLayer({
    tableName: config.tableName,
    sortKeyAttr: config.sortKeyAttr,
    staticPkValue: config.staticPkValue,
    ...config.attributes,
    client: tracing.captureClient(new DynamoDbJsonClient(config.clientConfig)),
  });
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: config.eventKeyJmesPath,
    payloadValidationJmesPath: config.payloadValidationJmesPath,
    expiresAfterSeconds: config.expiresAfterSeconds,
    throwOnNoIdempotencyKey: config.throwOnNoIdempotencyKey,
    useLocalCache: config.useLocalCache,
    maxLocalCacheSize: config.maxLocalCacheSize,
    ...(config.replayMarker ? { responseHook: replayMarkerHook(config.replayMarker, logger) } : {}),
  });

  // Which invocation actually ran the logic. AsyncLocalStorage keeps this per call even
  // when calls overlap (they do in tests; in Lambda one environment runs one at a time).
  const invocation = new AsyncLocalStorage<{ executed: boolean }>();
  const guardedLogic = async (event: unknown, context: Context): Promise<unknown> => {
    const state = invocation.getStore();
    if (state) state.executed = true;
    // Never throw here because of the result: Powertools would delete the record and a
    // retry would run the logic again (see shared/stored-result.ts).
    return toStoredResult(await logic(event, withParameters(context)));
  };
  // Powertools' default prefix is the function name plus the wrapped function's name, which
  // CloudFormation and the minifier change; the construct sets its path instead.
  const keyPrefix = config.keyPrefix ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  const idempotentLogic = makeIdempotent(guardedLogic, { persistenceStore, config: idempotencyConfig, keyPrefix });
  // Load the validation chunk during init, when Lambda gives the most CPU.
  if (deps.schema) loadSchemaValidation().catch(() => undefined);

  return (event, context) => tracing.invocation(async () => {
    startInvocation(logger, context);
    metrics.captureColdStartMetric?.(context.functionName);
    idempotencyConfig.registerLambdaContext(context);
    const state = { executed: false };
    let failed = false;
    try {
      const input = await validateInput(deps.schema, event, 'The event');
      if (tracing.recording) tracing.annotate({ [TRACE_ANNOTATIONS.idempotencyKey]: businessKey(input, config.eventKeyJmesPath) });
      const result = fromStoredResult(await invocation.run(state, () => idempotentLogic(input, context)));
      tracing.annotate({ [TRACE_ANNOTATIONS.replayed]: !state.executed });
      metrics.addMetric(state.executed ? IDEMPOTENCY_METRICS.executions : IDEMPOTENCY_METRICS.replays, MetricUnit.Count, 1);
      logger.info(state.executed ? 'Executed the business logic' : 'Replayed the stored result of an earlier execution');
      return result;
    } catch (error) {
      failed = true;
      metrics.addMetric(IDEMPOTENCY_METRICS.failures, MetricUnit.Count, 1);
      const clear = clarify(error, config);
      logger.error('Idempotent invocation failed', clear as Error);
      throw clear;
    } finally {
      endBufferedLogs(failed, logger);
      metrics.publishStoredMetrics();
    }
  });
}

const jmespathOptions = { customFunctions: new PowertoolsFunctions() };

/**
 * What the key JMESPath selects (e.g. the order id), as a searchable X-Ray annotation: a
 * string of at most 250 characters or a number; anything else (a whole-event hash, an object)
 * is not a business key and is left out.
 */
function businessKey(event: unknown, keyJmesPath: string): string | number | undefined {
  if (!keyJmesPath) return undefined;
  try {
    const value = search(keyJmesPath, event as any, jmespathOptions);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return typeof value === 'string' && value.length > 0 && value.length <= 250 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Powertools reports store failures as IdempotencyPersistenceLayerError with the SDK
 * error as `cause`; the message alone ("Failed to save in progress record…") hides why.
 * Add the table and the cause; surface a missing idempotency key as the
 * IdempotencyKeyError it is; and map DynamoDB's item-size rejection (possible when our
 * JSON estimate undercounts) to the documented IdempotentResultTooLargeError.
 */
function clarify(error: unknown, config: IdempotentTemplateConfig): unknown {
  if (!(error instanceof Error) || error.name !== 'IdempotencyPersistenceLayerError') return error;
  const cause = error.cause as { name?: string; message?: string; code?: string } | undefined;
  // A missing key is not a store failure, though Powertools reports it through the store.
  if (cause instanceof Error && cause.name === 'IdempotencyKeyError') return cause;
  if (cause?.name === 'ValidationException' && /size/i.test(cause.message ?? '')) {
    return new IdempotentResultTooLargeError(`DynamoDB rejected the stored result ("${cause.message}")`);
  }
  if (cause) {
    error.message = `${error.message} (table "${config.tableName}": ${cause.name ?? cause.code ?? 'Error'}: ${cause.message ?? ''})`;
  }
  return error;
}
