/**
 * The IdempotentFunction runtime template: Powertools idempotency backed by DynamoDB,
 * configured from the environment the construct sets, around either the demo logic
 * (acknowledge an order) or the user's `processEvent` from `HandlerCode.fromEntry()`.
 *
 * Results: what is stored, and returned by the first call and every replay alike, is
 * `JSON.parse(JSON.stringify(result))` (a Date becomes its ISO string, undefined properties
 * vanish). A result with no such form (a BigInt, a circular object, a function), a number
 * DynamoDB cannot hold, or one over MAX_STORED_RESULT_BYTES fails the invocation with
 * UnstorableResultError or IdempotentResultTooLargeError after the logic ran once; retries
 * fail with the same error, without running it again, until the record expires.
 */
import { configFromEnv } from './config';
import { createIdempotentHandler, IdempotentHandlerDeps, IdempotentLambdaHandler, IdempotentLogic } from './idempotent-handler';
import { acknowledgeOrder } from './order-acknowledgement';
import { requireEntryFunction } from '../../../core/runtime/shared/entry-export';
import { entrySchemaExport } from '../../../core/runtime/shared/schema';
import { IDEMPOTENCY_ENTRY } from '../../contract';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { configFromEnv } from './config';
export { TemplateConfigError } from '../../../core/contract/env-reader';
export type { IdempotentTemplateConfig } from './config';
export { createIdempotentHandler, IDEMPOTENCY_METRICS } from './idempotent-handler';
export { InvalidInputError } from '../../../core/runtime/shared/schema';
export { IdempotentResultTooLargeError, MAX_STORED_RESULT_BYTES, UnstorableResultError } from '../../../core/runtime/shared/stored-result';
export type { IdempotentLambdaHandler, IdempotentLogic, MetricsSink } from './idempotent-handler';
export { acknowledgeOrder, InvalidOrderError } from './order-acknowledgement';

/** The export a `HandlerCode.fromEntry()` module must provide. */
export const ENTRY_EXPORT = IDEMPOTENCY_ENTRY.exportName;

/**
 * A handler for `logic` configured from the environment. A bad environment does not
 * crash the module load: every invocation fails with the configuration error instead,
 * which names the variable to fix.
 */
function handlerFromEnv(logic: IdempotentLogic, deps: IdempotentHandlerDeps = {}): IdempotentLambdaHandler {
  let config;
  try {
    config = configFromEnv();
  } catch (error) {
    return async () => {
      throw error;
    };
  }
  return createIdempotentHandler(logic, config, deps);
}

/**
 * Wraps a user module for `HandlerCode.fromEntry()`. The module must export
 * `processEvent(event, context)`, sync or async, returning a JSON-serializable result
 * (at most ~396 KB) that is stored, as JSON returns it, and replayed for duplicate events.
 * An optional `schema` export (zod) validates the event first: an invalid event fails with
 * InvalidInputError before any idempotency record is written.
 */
export function wrapIdempotent(userModule: Record<string, unknown>): IdempotentLambdaHandler {
  const logic = requireEntryFunction<IdempotentLogic>('IdempotentFunction', userModule, IDEMPOTENCY_ENTRY);
  return handlerFromEnv(logic, { schema: entrySchemaExport('IdempotentFunction', userModule, IDEMPOTENCY_ENTRY) });
}

let demoHandler: IdempotentLambdaHandler | undefined;

/**
 * The default handler: acknowledges each order once; duplicates get the stored
 * acknowledgement. Built on first use (about 0.6 ms), so a wrapped entry
 * (`HandlerCode.fromEntry`), which imports this module too, never builds a second
 * persistence layer and DynamoDB client at cold start.
 */
export const handler: IdempotentLambdaHandler = (event, context) => (demoHandler ??= handlerFromEnv(acknowledgeOrder))(event, context);
