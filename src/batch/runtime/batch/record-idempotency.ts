import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { RecordContext, RecordLogic } from './record-logic';
import type { IdempotencySettings } from './settings';
import { fromStoredResult, toStoredResult } from '../../../core/runtime/shared/stored-result';

/** What is hashed into the key: the JMESPath selects from it. */
export interface IdempotencyPayload {
  readonly messageId: string;
  readonly body: unknown;
}

/** Runs a record's logic at most once per key while the key's record lives. */
export interface RecordIdempotency {
  /** Called once per invocation so in-progress records expire with the Lambda timeout. */
  registerLambdaContext(context: Context | undefined): void;
  run(payload: IdempotencyPayload, context: RecordContext): Promise<unknown>;
}

/**
 * Wraps the per-record logic with Powertools `makeIdempotent` on a DynamoDB persistence
 * layer. Built once at init: the DynamoDB client lives outside the handler.
 *
 * The result is stored as JSON returns it. One JSON cannot hold (a BigInt, a circular
 * object) fails the record after the logic ran once, and every redelivery fails the same
 * way without running it again, so the message ends in the DLQ (see shared/stored-result.ts).
 */
export function createRecordIdempotency(logic: RecordLogic, settings: IdempotencySettings): RecordIdempotency {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: settings.tableName,
    // The shared sort-key layout: a static partition value and the hashed key in the sort key.
    ...(settings.sortKeyAttr ? { sortKeyAttr: settings.sortKeyAttr, staticPkValue: settings.staticPkValue } : {}),
    ...settings.attributes,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: settings.keyJmesPath,
    expiresAfterSeconds: settings.expiresAfterSeconds,
    // A configured key that is missing must fail the record, never run it unprotected.
    throwOnNoIdempotencyKey: true,
  });
  // A stable prefix: the construct's path (IDEMPOTENCY_KEY_PREFIX). Powertools' default
  // includes the function name, which changes when CloudFormation replaces the function,
  // and the wrapped function's name, which the minifier may change: either would silently
  // reset every key. The fallback only serves environments the construct did not write.
  const keyPrefix = settings.keyPrefix ?? `${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'sqs-batch'}#record`;
  const idempotent = makeIdempotent(
    async (payload: IdempotencyPayload, context: RecordContext) => toStoredResult(await logic.processRecord(payload.body, context)),
    { persistenceStore, config, keyPrefix, dataIndexArgument: 0 },
  );
  return {
    registerLambdaContext: (context) => {
      if (context) config.registerLambdaContext(context);
    },
    run: async (payload, context) => fromStoredResult(await idempotent(payload, context)),
  };
}
