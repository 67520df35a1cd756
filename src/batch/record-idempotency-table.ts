import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsBatchIdempotencyOptions } from './sqs-batch-consumer-props';
import { checkNonEmpty, invalidProp } from '../core/validation';
import { IDEMPOTENCY_ATTRIBUTES } from '../idempotency/idempotency-constants';

/** How records are keyed in the idempotency table. */
export interface RecordTableLayout {
  /** Sort key attribute, in the shared sort-key layout. */
  readonly sortKeyName?: string;
  /** Partition key value written in the shared sort-key layout. */
  readonly staticPartitionKeyValue?: string;
}

/**
 * The key layout of the per-record idempotency table, checked at synth: a table defined in
 * this app must have the String partition key `id` and at most one String sort key; a
 * sort key needs a static partition value, and a static value needs a sort key.
 *
 * Mirrors `resolveSortKey` of IdempotentFunction (module-private there); both should share
 * one helper in `src/idempotency`.
 */
export function resolveRecordTableLayout(where: string, table: dynamodb.ITable, options: SqsBatchIdempotencyOptions): RecordTableLayout {
  checkNonEmpty(where, 'idempotency.sortKeyName', options.sortKeyName);
  checkNonEmpty(where, 'idempotency.staticPartitionKeyValue', options.staticPartitionKeyValue);
  if (options.sortKeyName === IDEMPOTENCY_ATTRIBUTES.partitionKey) {
    invalidProp(where, 'idempotency.sortKeyName', options.sortKeyName, `The sort key must differ from the partition key "${IDEMPOTENCY_ATTRIBUTES.partitionKey}"; use e.g. "sk".`);
  }
  const sortKeyName = table instanceof dynamodb.Table ? sortKeyOf(where, table, options.sortKeyName) : options.sortKeyName;
  if (sortKeyName && !options.staticPartitionKeyValue) {
    invalidProp(
      where,
      'idempotency.staticPartitionKeyValue',
      undefined,
      `The idempotency table has the sort key "${sortKeyName}" (shared-table layout), so this consumer needs its own static partition value, e.g. staticPartitionKeyValue: "orders-consumer".`,
    );
  }
  if (!sortKeyName && options.staticPartitionKeyValue !== undefined) {
    invalidProp(
      where,
      'idempotency.staticPartitionKeyValue',
      options.staticPartitionKeyValue,
      'It only applies to an idempotency table with a sort key; remove it, or use a table with a sort key (IdempotencyTable `sortKeyName`).',
    );
  }
  return sortKeyName ? { sortKeyName, staticPartitionKeyValue: options.staticPartitionKeyValue } : {};
}

/** The sort key of a table whose schema is known, after checking its partition key. */
function sortKeyOf(where: string, table: dynamodb.Table, declared: string | undefined): string | undefined {
  const schema = table.schemaV2();
  const [partitionKey] = schema.partitionKeys;
  if (
    schema.partitionKeys.length !== 1 ||
    partitionKey.name !== IDEMPOTENCY_ATTRIBUTES.partitionKey ||
    partitionKey.type !== dynamodb.AttributeType.STRING
  ) {
    const got = schema.partitionKeys.map((k) => `${k.name} (${k.type})`).join(', ');
    invalidProp(
      where,
      'idempotency.table',
      `a table with partition key ${got}`,
      `Powertools idempotency needs a single String partition key named "${IDEMPOTENCY_ATTRIBUTES.partitionKey}"; use an IdempotencyTable.`,
    );
  }
  const [sortKey] = schema.sortKeys;
  if (schema.sortKeys.length > 1 || (sortKey && sortKey.type !== dynamodb.AttributeType.STRING)) {
    invalidProp(where, 'idempotency.table', 'a table with a non-String or multi-attribute sort key', 'The shared-table layout needs one String sort key; use IdempotencyTable with `sortKeyName`.');
  }
  if (declared !== undefined && declared !== sortKey?.name) {
    invalidProp(
      where,
      'idempotency.sortKeyName',
      declared,
      `The idempotency table's sort key is ${sortKey ? `"${sortKey.name}"` : 'absent'}; remove sortKeyName (it is read from the table).`,
    );
  }
  return sortKey?.name;
}
