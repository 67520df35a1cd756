/**
 * Internal constants shared by the constructs and the runtime template (not part of the
 * jsii API: module-level constants are not exported from src/index.ts).
 */

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
  tableName: 'IDEMPOTENCY_TABLE_NAME',
  /** Sort key attribute name; set only in the shared sort-key layout. */
  sortKeyAttr: 'IDEMPOTENCY_SORT_KEY_ATTR',
  /** Static partition key value; set only in the shared sort-key layout. */
  staticPkValue: 'IDEMPOTENCY_STATIC_PK_VALUE',
  /** JMESPath selecting the idempotency key from the event; empty means the whole event. */
  eventKeyJmesPath: 'IDEMPOTENCY_EVENT_KEY_JMESPATH',
  /** JMESPath selecting the payload part that must match on a replay; unset disables validation. */
  payloadValidationJmesPath: 'IDEMPOTENCY_PAYLOAD_VALIDATION_JMESPATH',
  /** Seconds a completed record is replayed before the logic may run again. */
  expiresAfterSeconds: 'IDEMPOTENCY_EXPIRES_AFTER_SECONDS',
  /** "true": an event without the key fails; "false": it runs without idempotency. */
  throwOnNoIdempotencyKey: 'IDEMPOTENCY_THROW_ON_NO_KEY',
  /** "true" keeps completed records in an in-memory LRU cache per execution environment. */
  useLocalCache: 'IDEMPOTENCY_USE_LOCAL_CACHE',
  /** Maximum number of records in the local cache. */
  localCacheMaxItems: 'IDEMPOTENCY_LOCAL_CACHE_MAX_ITEMS',
} as const;

/** EMF metrics the template publishes once per invocation (the dashboard graphs them). */
export const IDEMPOTENCY_METRIC_NAMES = {
  executions: 'IdempotentExecutions',
  replays: 'IdempotentReplays',
  failures: 'IdempotentFailures',
} as const;
