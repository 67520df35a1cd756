import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_ENV } from '../../idempotency/idempotency-constants';

/** Everything the idempotent template needs; read from the environment the construct sets. */
export interface IdempotentTemplateConfig {
  /** DynamoDB table holding the idempotency records. */
  readonly tableName: string;
  /** Sort key attribute in the shared-table layout. */
  readonly sortKeyAttr?: string;
  /** Static partition key value in the shared-table layout. */
  readonly staticPkValue?: string;
  /** JMESPath to the idempotency key; '' hashes the whole event. */
  readonly eventKeyJmesPath: string;
  /** JMESPath to the payload part checked on replays; undefined disables the check. */
  readonly payloadValidationJmesPath?: string;
  readonly expiresAfterSeconds: number;
  readonly throwOnNoIdempotencyKey: boolean;
  readonly useLocalCache: boolean;
  readonly maxLocalCacheSize: number;
  /** Extra DynamoDB client settings (tests point this at a local endpoint). */
  readonly clientConfig?: DynamoDBClientConfig;
}

/** Thrown at init when the environment is incomplete or malformed. */
export class IdempotentConfigError extends Error {
  constructor(message: string) {
    super(`idempotent template: ${message}`);
    this.name = 'IdempotentConfigError';
  }
}

/**
 * Reads the template's configuration from environment variables (names in
 * IDEMPOTENCY_ENV). Throws IdempotentConfigError naming the variable that is wrong.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): IdempotentTemplateConfig {
  const tableName = env[IDEMPOTENCY_ENV.tableName];
  if (!tableName) {
    throw new IdempotentConfigError(`${IDEMPOTENCY_ENV.tableName} is not set; it must name the idempotency DynamoDB table.`);
  }
  const sortKeyAttr = env[IDEMPOTENCY_ENV.sortKeyAttr] || undefined;
  const staticPkValue = env[IDEMPOTENCY_ENV.staticPkValue] || undefined;
  if (sortKeyAttr && !staticPkValue) {
    throw new IdempotentConfigError(`${IDEMPOTENCY_ENV.sortKeyAttr} is set, so ${IDEMPOTENCY_ENV.staticPkValue} must be set too.`);
  }
  return {
    tableName,
    sortKeyAttr,
    staticPkValue,
    eventKeyJmesPath: env[IDEMPOTENCY_ENV.eventKeyJmesPath] ?? '',
    payloadValidationJmesPath: env[IDEMPOTENCY_ENV.payloadValidationJmesPath] || undefined,
    expiresAfterSeconds: positiveInteger(env, IDEMPOTENCY_ENV.expiresAfterSeconds, 3600),
    throwOnNoIdempotencyKey: flag(env, IDEMPOTENCY_ENV.throwOnNoIdempotencyKey, false),
    useLocalCache: flag(env, IDEMPOTENCY_ENV.useLocalCache, false),
    maxLocalCacheSize: positiveInteger(env, IDEMPOTENCY_ENV.localCacheMaxItems, 256),
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new IdempotentConfigError(`${name} must be a positive whole number, got "${raw}".`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new IdempotentConfigError(`${name} must be "true" or "false", got "${raw}".`);
}
