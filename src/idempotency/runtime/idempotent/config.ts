import { TemplateEnv } from '../../../core/contract/env-reader';
import type { DynamoDbClientOptions } from '../../../core/runtime/shared/dynamodb/client';
import { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_ENV } from '../../contract';
import { IdempotencyAttributeNames, readIdempotencyEnv } from '../read-idempotency-env';

/** How replays are marked: a top-level field or an HTTP response header. */
export interface ReplayMarkerConfig {
  readonly kind: 'field' | 'header';
  readonly name: string;
}

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
  /** Powertools' keyPrefix; the construct always sets one (its path), so keys survive function replacement. */
  readonly keyPrefix?: string;
  /** Record attribute names that differ from Powertools' defaults. */
  readonly attributes?: IdempotencyAttributeNames;
  /** Marks replayed results; undefined returns them as stored. */
  readonly replayMarker?: ReplayMarkerConfig;
  /** DynamoDB client settings (tests point this at a local endpoint; the SDK's names for endpoint, region, credentials, maxAttempts). */
  readonly clientConfig?: DynamoDbClientOptions;
}

/**
 * Reads the template's configuration from the variables of IDEMPOTENCY_ENV. Throws
 * TemplateConfigError naming the variable that is wrong and the prop that sets it.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): IdempotentTemplateConfig {
  const reader = new TemplateEnv('IdempotentFunction', env);
  const idempotency = readIdempotencyEnv(reader) ?? reader.fail(IDEMPOTENCY_ENV.tableName, 'is not set; it must name the idempotency DynamoDB table');
  return {
    tableName: idempotency.tableName,
    sortKeyAttr: idempotency.sortKeyAttr,
    staticPkValue: idempotency.staticPkValue,
    eventKeyJmesPath: idempotency.keyJmesPath ?? '',
    payloadValidationJmesPath: reader.optional(IDEMPOTENCY_ENV.payloadValidationJmesPath),
    expiresAfterSeconds: idempotency.expiresAfterSeconds,
    throwOnNoIdempotencyKey: reader.flag(IDEMPOTENCY_ENV.throwOnNoIdempotencyKey, IDEMPOTENCY_DEFAULTS.throwOnNoIdempotencyKey),
    useLocalCache: reader.flag(IDEMPOTENCY_ENV.useLocalCache, IDEMPOTENCY_DEFAULTS.localCache),
    maxLocalCacheSize: reader.positiveInteger(IDEMPOTENCY_ENV.localCacheMaxItems, IDEMPOTENCY_DEFAULTS.localCacheMaxItems),
    keyPrefix: idempotency.keyPrefix,
    attributes: idempotency.attributes,
    replayMarker: readReplayMarker(reader),
  };
}

function readReplayMarker(reader: TemplateEnv): ReplayMarkerConfig | undefined {
  const field = reader.optional(IDEMPOTENCY_ENV.replayField);
  const header = reader.optional(IDEMPOTENCY_ENV.replayHeader);
  if (field !== undefined && header !== undefined) {
    reader.fail(IDEMPOTENCY_ENV.replayHeader, `is set together with ${IDEMPOTENCY_ENV.replayField.name}; a replay is marked one way`);
  }
  if (field !== undefined) return { kind: 'field', name: field };
  if (header !== undefined) return { kind: 'header', name: header };
  return undefined;
}
