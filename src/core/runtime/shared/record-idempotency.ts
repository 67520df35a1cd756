import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { DynamoDbClientOptions, DynamoDbJsonClient } from './dynamodb/client';
import { LeanDynamoDBPersistenceLayer } from './dynamodb/persistence';
import type { RecordIdempotencySettings } from './record-idempotency-settings';
import { fromStoredResult, toStoredResult } from './stored-result';

/** Runs a record's logic at most once per key while the key's idempotency record lives. */
export interface RecordIdempotency<P, C> {
  /** Called once per invocation so in-progress records expire with the Lambda timeout. */
  registerLambdaContext(context: Context | undefined): void;
  /** Runs `logic(payload, context)` unless the key the JMESPath selects from `payload` already ran. */
  run(payload: P, context: C): Promise<unknown>;
}

/**
 * Per-record idempotency for the batch templates (SQS and streams): Powertools
 * `makeIdempotent` on a DynamoDB persistence layer around the record logic, keyed by a
 * JMESPath over `payload` (the record's ids and its decoded body). Built once at init: the
 * DynamoDB client (the lean one, without the AWS SDK) lives outside the handler.
 *
 * A missing key fails the record instead of running it unprotected. The result is stored as
 * JSON returns it; one JSON cannot hold fails the record after the logic ran once, and every
 * retry fails the same way without running it again (see stored-result.ts), so the record
 * ends in the DLQ or on-failure destination instead of repeating its side effect.
 *
 * The key prefix is the construct's path (IDEMPOTENCY_KEY_PREFIX, `settings.keyPrefix`).
 * Powertools' default includes the function name, which changes when CloudFormation
 * replaces the function, and the wrapped function's name, which the minifier may change:
 * either would silently reset every key.
 *
 * @param fallbackKeyPrefix only for an environment the construct did not write (no
 * IDEMPOTENCY_KEY_PREFIX); must be stable too
 * @param captureClient the template's tracer hook, so the DynamoDB calls appear in X-Ray
 * @param clientOptions DynamoDB client settings (default: the environment, as in Lambda)
 */
export function createRecordIdempotency<P extends object, C>(
  logic: (payload: P, context: C) => unknown,
  settings: RecordIdempotencySettings,
  fallbackKeyPrefix: string,
  captureClient: (client: DynamoDbJsonClient) => DynamoDbJsonClient = (client) => client,
  clientOptions: DynamoDbClientOptions = {},
): RecordIdempotency<P, C> {
  const persistenceStore = new LeanDynamoDBPersistenceLayer({
    tableName: settings.tableName,
    // Our own client, so the template's tracer can trace its calls.
    client: captureClient(new DynamoDbJsonClient(clientOptions)),
    // The shared sort-key layout: a static partition value and the hashed key in the sort key.
    ...(settings.sortKeyAttr ? { sortKeyAttr: settings.sortKeyAttr, staticPkValue: settings.staticPkValue } : {}),
    // An existing table's attribute names (idempotency.tableAttributes), if they differ.
    ...settings.attributes,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: settings.keyJmesPath,
    expiresAfterSeconds: settings.expiresAfterSeconds,
    // A configured key that is missing must fail the record, never run it unprotected.
    throwOnNoIdempotencyKey: true,
  });
  // Typed loosely here only for makeIdempotent's option inference (a generic context would
  // leave its conditional type unresolved); `run` keeps P and C.
  const run = async (payload: Record<string, unknown>, context: unknown) => toStoredResult(await logic(payload as P, context as C));
  const idempotent = makeIdempotent(run, {
    persistenceStore,
    config,
    keyPrefix: settings.keyPrefix ?? fallbackKeyPrefix,
    dataIndexArgument: 0,
  });
  return {
    registerLambdaContext: (context) => {
      if (context) config.registerLambdaContext(context);
    },
    run: async (payload, context) => fromStoredResult(await idempotent(payload as unknown as Record<string, unknown>, context)),
  };
}
