/**
 * The contract between IdempotentFunction (and SqsBatchConsumer's per-record idempotency)
 * and their templates: dependency-free, so templates bundle it. Neither side holds a copy
 * of anything here. Not part of the jsii API (module-level constants are not exported).
 */
import type { TemplateContext } from '../core/contract/entry';

/**
 * The attribute names Powertools idempotency (TypeScript, Python, Java, .NET) uses by default.
 * The table is shaped for them; the data attributes need no schema.
 */
export const IDEMPOTENCY_ATTRIBUTES = {
  /** Partition key (String): the hashed idempotency key, or the static value in the sort-key layout. */
  partitionKey: 'id',
  /** TTL attribute (epoch seconds): DynamoDB deletes expired records on its own. */
  expiration: 'expiration',
} as const;

/**
 * The DynamoDB data-plane actions Powertools idempotency performs, and nothing else:
 * GetItem (read an existing record), PutItem (conditional write of the in-progress
 * record), UpdateItem (store the result), DeleteItem (remove the record when the logic
 * throws). No Query, Scan or Batch* action is ever needed.
 */
export const IDEMPOTENCY_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * The KMS actions DynamoDB performs with the caller's permissions when the table is
 * encrypted with a customer managed key: decrypt on reads, encrypt and generate a data
 * key on writes, describe to validate the key. No wildcard action.
 */
export const IDEMPOTENCY_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/**
 * Environment variables an idempotent function gets from the construct. The bundled
 * template reads them at init; a function in another language (Powertools for Python,
 * Java, .NET) can read the same names to configure its persistence layer.
 */
export const IDEMPOTENCY_ENV = {
  /** Name of the idempotency table. */
  tableName: { name: 'IDEMPOTENCY_TABLE_NAME', prop: 'table (SqsBatchConsumer: idempotency.table)' },
  /** Sort key attribute name; set only in the shared sort-key layout. */
  sortKeyAttr: { name: 'IDEMPOTENCY_SORT_KEY_ATTR', prop: 'sortKeyName, or the table\'s sort key' },
  /** Static partition key value; set only in the shared sort-key layout. */
  staticPkValue: { name: 'IDEMPOTENCY_STATIC_PK_VALUE', prop: 'staticPartitionKeyValue' },
  /** JMESPath selecting the idempotency key from the event; empty means the whole event. */
  eventKeyJmesPath: { name: 'IDEMPOTENCY_EVENT_KEY_JMESPATH', prop: 'eventKeyJmesPath (SqsBatchConsumer: idempotency.key)' },
  /** JMESPath selecting the payload part that must match on a replay; unset disables validation. */
  payloadValidationJmesPath: { name: 'IDEMPOTENCY_PAYLOAD_VALIDATION_JMESPATH', prop: 'payloadValidationJmesPath' },
  /** Seconds a completed record is replayed before the logic may run again. */
  expiresAfterSeconds: { name: 'IDEMPOTENCY_EXPIRES_AFTER_SECONDS', prop: 'expiresAfter (SqsBatchConsumer: idempotency.expiresAfter)' },
  /** "true": an event without the key fails; "false": it runs without idempotency. */
  throwOnNoIdempotencyKey: { name: 'IDEMPOTENCY_THROW_ON_NO_KEY', prop: 'throwOnNoIdempotencyKey' },
  /** "true" keeps completed records in an in-memory LRU cache per execution environment. */
  useLocalCache: { name: 'IDEMPOTENCY_USE_LOCAL_CACHE', prop: 'localCache' },
  /** Maximum number of records in the local cache. */
  localCacheMaxItems: { name: 'IDEMPOTENCY_LOCAL_CACHE_MAX_ITEMS', prop: 'localCacheMaxItems' },
  /**
   * Prefix of every idempotency key (`<prefix>#<hash>`): by default the construct path, which
   * survives function replacement (Powertools' own default is the function name).
   */
  keyPrefix: { name: 'IDEMPOTENCY_KEY_PREFIX', prop: 'keyPrefix (SqsBatchConsumer: idempotency.keyPrefix)' },
  /** A replayed (not freshly computed) result gets this top-level field set to `true`. */
  replayField: { name: 'IDEMPOTENCY_REPLAY_FIELD', prop: 'replayMarker (ReplayMarker.field)' },
  /** A replayed HTTP-shaped result (`statusCode`) gets this response header set to `true`. */
  replayHeader: { name: 'IDEMPOTENCY_REPLAY_HEADER', prop: 'replayMarker (ReplayMarker.header)' },
  /** Attribute names of a table with another layout (each set only when it differs from Powertools' default). */
  keyAttr: { name: 'IDEMPOTENCY_KEY_ATTR', prop: 'tableAttributes.key' },
  expiryAttr: { name: 'IDEMPOTENCY_EXPIRY_ATTR', prop: 'tableAttributes.expiry' },
  inProgressExpiryAttr: { name: 'IDEMPOTENCY_IN_PROGRESS_EXPIRY_ATTR', prop: 'tableAttributes.inProgressExpiry' },
  statusAttr: { name: 'IDEMPOTENCY_STATUS_ATTR', prop: 'tableAttributes.status' },
  dataAttr: { name: 'IDEMPOTENCY_DATA_ATTR', prop: 'tableAttributes.data' },
  validationKeyAttr: { name: 'IDEMPOTENCY_VALIDATION_KEY_ATTR', prop: 'tableAttributes.validation' },
} as const;

/** Powertools joins the key prefix and the hash with this; a prefix must not contain it. */
export const IDEMPOTENCY_KEY_SEPARATOR = '#';

/**
 * The record attributes Powertools idempotency reads and writes, with its default names
 * (the same in every Powertools runtime). `key` and `expiry` are also the table's partition
 * key and TTL attribute.
 */
export const IDEMPOTENCY_RECORD_ATTRIBUTES = {
  key: { env: IDEMPOTENCY_ENV.keyAttr, default: 'id' },
  expiry: { env: IDEMPOTENCY_ENV.expiryAttr, default: 'expiration' },
  inProgressExpiry: { env: IDEMPOTENCY_ENV.inProgressExpiryAttr, default: 'in_progress_expiration' },
  status: { env: IDEMPOTENCY_ENV.statusAttr, default: 'status' },
  data: { env: IDEMPOTENCY_ENV.dataAttr, default: 'data' },
  validation: { env: IDEMPOTENCY_ENV.validationKeyAttr, default: 'validation' },
} as const;

/** The value of the replay header (a replay field is the JSON `true`). */
export const REPLAY_HEADER_VALUE = 'true';

/** Every variable the templates read for idempotency starts with this; only the construct may set one. */
export const IDEMPOTENCY_ENV_PREFIX = 'IDEMPOTENCY_';

/** Defaults both sides apply when a prop (or its variable) is unset. */
export const IDEMPOTENCY_DEFAULTS = {
  /** How long a completed record is replayed: one hour. */
  expiresAfterSeconds: 3600,
  /** Records the per-environment local cache holds. */
  localCacheMaxItems: 256,
  throwOnNoIdempotencyKey: false,
  localCache: false,
} as const;

/** What a `HandlerCode.fromEntry` module of an IdempotentFunction must export. */
export const IDEMPOTENCY_ENTRY = {
  exportName: 'processEvent',
  description: 'export function processEvent(event, context): a JSON-serializable result (sync or async); duplicates get the stored result',
} as const;

/**
 * The `processEvent` export: the business logic made idempotent, called with the event and the
 * Lambda context (sync or async). Its JSON-serializable result is stored and replayed for
 * duplicate events. Shipped as `cdk-serverless-powertools/lib/entry-types`.
 */
export type ProcessEventFunction = (event: any, context: TemplateContext) => unknown;

/** EMF metrics the template publishes once per invocation (the dashboard graphs them). */
export const IDEMPOTENCY_METRIC_NAMES = {
  executions: 'IdempotentExecutions',
  replays: 'IdempotentReplays',
  failures: 'IdempotentFailures',
} as const;
