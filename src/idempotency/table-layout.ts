import { Annotations, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IDEMPOTENCY_ENV } from './contract';
import { resolveTableAttributes } from './table-attribute-names';
import { IdempotencyTableAttributes } from './table-attributes';
import { checkNonEmpty, invalidProp } from '../core/validation';

/** How a construct names the table-layout props in its errors. @internal */
export interface IdempotencyTableLayoutOptions {
  /** Construct name and path for errors, e.g. `IdempotentFunction MyStack/Payments`. */
  readonly where: string;
  /**
   * Prepended to the prop names in errors, e.g. `idempotency.` gives
   * `idempotency.table`, `idempotency.sortKeyName`, `idempotency.staticPartitionKeyValue`.
   * @default ''
   */
  readonly propPrefix?: string;
  /** The user's `sortKeyName`: required to know the layout of an imported table, must match a table defined in the app. */
  readonly sortKeyName?: string;
  /** The user's `staticPartitionKeyValue`: required with a sort key, forbidden without. */
  readonly staticPartitionKeyValue?: string;
  /** The user's `tableAttributes`: the record attribute names, checked against the table where its schema is known. */
  readonly attributes?: IdempotencyTableAttributes;
}

/** The key layout an idempotent function uses on its table. @internal */
export interface IdempotencyTableLayout {
  /** Sort key attribute of the shared-table layout; undefined when the hashed key is the partition key. */
  readonly sortKeyName?: string;
  /** Static partition key value this function writes; set exactly when `sortKeyName` is. */
  readonly staticPartitionKeyValue?: string;
  /**
   * `IDEMPOTENCY_SORT_KEY_ATTR` and `IDEMPOTENCY_STATIC_PK_VALUE` for the sort-key layout,
   * and the `IDEMPOTENCY_*_ATTR` of attribute names that differ from Powertools' defaults:
   * merge it into the function's wiring environment.
   */
  readonly environment: { [key: string]: string };
}

interface KeyAttribute {
  readonly name: string;
  readonly type: string;
}

interface KeySchema {
  readonly partitionKeys: KeyAttribute[];
  readonly sortKeys: KeyAttribute[];
}

/**
 * Resolves and validates the idempotency key layout of `table`, for any construct that
 * runs Powertools idempotency on it (IdempotentFunction, SqsBatchConsumer).
 *
 * For a `dynamodb.Table` or `dynamodb.TableV2` defined in the app, the key schema is read:
 * the partition key must be the single String `id`, a sort key must be a single String
 * attribute, and a given `sortKeyName` must match it. For an imported table (nothing to
 * read) the layout comes from `sortKeyName`. Either way, a sort key requires a
 * `staticPartitionKeyValue` (so functions sharing the table never collide) and no sort key
 * forbids one. Every violation throws a PropValidationError naming the prop, its value
 * (for `table`: the table's construct path) and the fix.
 *
 * Not part of the jsii API (a module-level function); import it from
 * `../idempotency/table-layout`.
 *
 * @example
 * const layout = resolveIdempotencyTableLayout(table, {
 *   where: `SqsBatchConsumer ${this.node.path}`,
 *   propPrefix: 'idempotency.',
 *   sortKeyName: props.idempotency?.sortKeyName,
 *   staticPartitionKeyValue: props.idempotency?.staticPartitionKeyValue,
 * });
 * Object.assign(wiringEnvironment, layout.environment);
 * @internal
 */
export function resolveIdempotencyTableLayout(table: dynamodb.ITable, options: IdempotencyTableLayoutOptions): IdempotencyTableLayout {
  const { where } = options;
  const prop = (name: string) => `${options.propPrefix ?? ''}${name}`;
  checkNonEmpty(where, prop('sortKeyName'), options.sortKeyName);
  checkNonEmpty(where, prop('staticPartitionKeyValue'), options.staticPartitionKeyValue);
  const attributes = resolveTableAttributes(where, prop('tableAttributes'), options.attributes);
  const partitionKeyName = attributes.names.key;
  if (options.sortKeyName !== undefined && Object.values(attributes.names).includes(options.sortKeyName)) {
    const clash = options.sortKeyName === partitionKeyName ? `the partition key "${partitionKeyName}"` : `the record attributes (${Object.values(attributes.names).join(', ')})`;
    invalidProp(where, prop('sortKeyName'), options.sortKeyName, `The sort key must differ from ${clash}; use e.g. "sk".`);
  }
  const schema = keySchemaOf(table);
  let sortKeyName = options.sortKeyName;

  if (schema) {
    const [partitionKey] = schema.partitionKeys;
    if (
      schema.partitionKeys.length !== 1 ||
      partitionKey.name !== partitionKeyName ||
      partitionKey.type !== dynamodb.AttributeType.STRING
    ) {
      const fix =
        schema.partitionKeys.length === 1 && partitionKey.type === dynamodb.AttributeType.STRING
          ? `set ${prop('tableAttributes')}: { key: '${partitionKey.name}' }, or use an IdempotencyTable`
          : 'use an IdempotencyTable';
      invalidProp(
        where,
        prop('table'),
        table.node.path,
        `Its partition key is ${describeKeys(schema.partitionKeys)}, but Powertools idempotency needs a single String partition key named "${partitionKeyName}"; ${fix}.`,
      );
    }
    const [sortKey] = schema.sortKeys;
    if (schema.sortKeys.length > 1 || (sortKey && sortKey.type !== dynamodb.AttributeType.STRING)) {
      invalidProp(
        where,
        prop('table'),
        table.node.path,
        `Its sort key is ${describeKeys(schema.sortKeys)}, but the shared-table layout needs one String sort key; use an IdempotencyTable with \`sortKeyName\`.`,
      );
    }
    if (options.sortKeyName !== undefined && options.sortKeyName !== sortKey?.name) {
      invalidProp(
        where,
        prop('sortKeyName'),
        options.sortKeyName,
        `The table's sort key is ${sortKey ? `"${sortKey.name}"` : 'absent'}; remove ${prop('sortKeyName')} (it is read from the table).`,
      );
    }
    sortKeyName = sortKey?.name;
    if (sortKeyName !== undefined && Object.values(attributes.names).includes(sortKeyName)) {
      invalidProp(where, prop('tableAttributes'), options.attributes, `The table's sort key "${sortKeyName}" would also be a record attribute; name the record attributes differently.`);
    }
  }
  checkTimeToLive(table, where, prop('table'), prop('tableAttributes'), attributes.names.expiry);

  if (sortKeyName && !options.staticPartitionKeyValue) {
    invalidProp(
      where,
      prop('staticPartitionKeyValue'),
      options.staticPartitionKeyValue,
      `The table has the sort key "${sortKeyName}" (shared-table layout), so each function needs its own static partition value, e.g. ${prop('staticPartitionKeyValue')}: "orders-service".`,
    );
  }
  if (!sortKeyName && options.staticPartitionKeyValue !== undefined) {
    invalidProp(
      where,
      prop('staticPartitionKeyValue'),
      options.staticPartitionKeyValue,
      'It only applies to a table with a sort key; remove it, or use a table with `sortKeyName`.',
    );
  }

  if (!sortKeyName) return { environment: attributes.environment };
  return {
    sortKeyName,
    staticPartitionKeyValue: options.staticPartitionKeyValue,
    environment: {
      [IDEMPOTENCY_ENV.sortKeyAttr.name]: sortKeyName,
      [IDEMPOTENCY_ENV.staticPkValue.name]: options.staticPartitionKeyValue!,
      ...attributes.environment,
    },
  };
}

/**
 * DynamoDB deletes expired records only through TTL on the expiry attribute. TTL on another
 * attribute is a mistake in the names; no TTL at all is legal but lets records pile up.
 */
function checkTimeToLive(table: dynamodb.ITable, where: string, tableProp: string, attributesProp: string, expiry: string): void {
  const ttl = timeToLiveOf(table);
  if (ttl === undefined) return;
  if (ttl.attributeName === undefined) {
    Annotations.of(table).addWarningV2(
      'cdk-serverless-powertools:idempotencyTableWithoutTtl',
      `${where}: the idempotency table has no TTL, so DynamoDB never deletes expired records; turn on TTL on "${expiry}".`,
    );
    return;
  }
  if (ttl.attributeName !== expiry) {
    const fix = `set ${attributesProp}: { expiry: '${ttl.attributeName}' }, or move the TTL to "${expiry}"`;
    invalidProp(where, tableProp, table.node.path, `Its TTL attribute is "${ttl.attributeName}", but Powertools writes the record expiry to "${expiry}", so expired records would never be deleted; ${fix}.`);
  }
}

/** The TTL of a table defined in the app (`attributeName` undefined: TTL off), or undefined for an imported one. */
function timeToLiveOf(table: dynamodb.ITable): { attributeName?: string } | undefined {
  const resource = table.node.defaultChild;
  if (!(resource instanceof dynamodb.CfnTable) && !(resource instanceof dynamodb.CfnGlobalTable)) return undefined;
  const spec = Stack.of(table).resolve(resource.timeToLiveSpecification) as { attributeName?: string; enabled?: boolean } | undefined;
  if (spec === undefined || spec.enabled === false) return {};
  return typeof spec.attributeName === 'string' ? { attributeName: spec.attributeName } : undefined;
}

/** The key schema of a table defined in the app, or undefined for an imported one. */
function keySchemaOf(table: dynamodb.ITable): KeySchema | undefined {
  if (table instanceof dynamodb.Table) {
    const schema = table.schemaV2();
    return { partitionKeys: [...schema.partitionKeys], sortKeys: [...schema.sortKeys] };
  }
  if (table instanceof dynamodb.TableV2) {
    // TableV2 has no public schema accessor (aws-cdk-lib 2.276): read its L1 resource.
    const resource = table.node.defaultChild;
    if (!(resource instanceof dynamodb.CfnGlobalTable)) return undefined;
    const stack = Stack.of(table);
    const keySchema = stack.resolve(resource.keySchema) as dynamodb.CfnGlobalTable.KeySchemaProperty[];
    const definitions = stack.resolve(resource.attributeDefinitions) as dynamodb.CfnGlobalTable.AttributeDefinitionProperty[];
    if (!Array.isArray(keySchema) || !Array.isArray(definitions)) return undefined;
    const attribute = (name: string): KeyAttribute => ({
      name,
      type: definitions.find((d) => d.attributeName === name)?.attributeType ?? 'unknown',
    });
    return {
      partitionKeys: keySchema.filter((k) => k.keyType === 'HASH').map((k) => attribute(k.attributeName)),
      sortKeys: keySchema.filter((k) => k.keyType === 'RANGE').map((k) => attribute(k.attributeName)),
    };
  }
  return undefined;
}

function describeKeys(keys: KeyAttribute[]): string {
  return keys.length === 0 ? 'absent' : keys.map((k) => `${k.name} (${k.type})`).join(', ');
}
