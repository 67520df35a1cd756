import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IdempotencyTable } from '../../src/idempotency';
import { resolveIdempotencyTableLayout } from '../../src/idempotency/table-layout';
import { createTestApp } from '../support/app';

const where = 'SqsBatchConsumer Layout/Consumer';

function stack(): Stack {
  return new Stack(createTestApp(), 'Layout');
}

describe('resolveIdempotencyTableLayout', () => {
  test('a table without a sort key: no layout variables', () => {
    const s = stack();
    expect(resolveIdempotencyTableLayout(new IdempotencyTable(s, 'T').table, { where })).toEqual({ environment: {} });
  });

  test('a sort-key IdempotencyTable: the sort key is read and the variables are returned', () => {
    const s = stack();
    const table = new IdempotencyTable(s, 'T', { sortKeyName: 'sk' }).table;
    expect(resolveIdempotencyTableLayout(table, { where, staticPartitionKeyValue: 'orders' })).toEqual({
      sortKeyName: 'sk',
      staticPartitionKeyValue: 'orders',
      environment: { IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'orders' },
    });
  });

  test('a TableV2: the key schema is read from it', () => {
    const s = stack();
    const table = new dynamodb.TableV2(s, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'rk', type: dynamodb.AttributeType.STRING },
    });
    expect(resolveIdempotencyTableLayout(table, { where, staticPartitionKeyValue: 'a' }).sortKeyName).toBe('rk');
  });

  test('an imported table: the layout comes from sortKeyName', () => {
    const s = stack();
    const table = dynamodb.Table.fromTableName(s, 'T', 'shared');
    expect(resolveIdempotencyTableLayout(table, { where, sortKeyName: 'sk', staticPartitionKeyValue: 'a' }).environment).toEqual({
      IDEMPOTENCY_SORT_KEY_ATTR: 'sk',
      IDEMPOTENCY_STATIC_PK_VALUE: 'a',
    });
    expect(resolveIdempotencyTableLayout(table, { where })).toEqual({ environment: {} });
  });

  test('errors name the props with the given prefix', () => {
    const s = stack();
    const sortKeyTable = new IdempotencyTable(s, 'Sk', { sortKeyName: 'sk' }).table;
    expect(() => resolveIdempotencyTableLayout(sortKeyTable, { where, propPrefix: 'idempotency.' })).toThrow(
      'SqsBatchConsumer Layout/Consumer: invalid `idempotency.staticPartitionKeyValue` (got undefined). The table has the sort key "sk" (shared-table layout), so each function needs its own static partition value, e.g. idempotency.staticPartitionKeyValue: "orders-service".',
    );
    const wrong = new dynamodb.TableV2(s, 'Wrong', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => resolveIdempotencyTableLayout(wrong, { where, propPrefix: 'idempotency.' })).toThrow(
      'invalid `idempotency.table` (got "Layout/Wrong"). Its partition key is pk (S)',
    );
    const plain = new IdempotencyTable(s, 'Plain').table;
    expect(() => resolveIdempotencyTableLayout(plain, { where, propPrefix: 'idempotency.', staticPartitionKeyValue: 'x' })).toThrow(
      'invalid `idempotency.staticPartitionKeyValue` (got "x"). It only applies to a table with a sort key',
    );
    expect(() => resolveIdempotencyTableLayout(plain, { where, propPrefix: 'idempotency.', sortKeyName: 'sk' })).toThrow(
      'invalid `idempotency.sortKeyName` (got "sk"). The table\'s sort key is absent; remove idempotency.sortKeyName (it is read from the table).',
    );
  });

  test('a TableV2 with a numeric sort key is rejected', () => {
    const s = stack();
    const table = new dynamodb.TableV2(s, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
    });
    expect(() => resolveIdempotencyTableLayout(table, { where, staticPartitionKeyValue: 'a' })).toThrow(
      'invalid `table` (got "Layout/T"). Its sort key is sk (N), but the shared-table layout needs one String sort key',
    );
  });
});
