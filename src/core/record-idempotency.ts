import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { jmesPathProblem } from './jmespath';
import { checkIdempotencyExpiry, invalidProp } from './validation';
import { IDEMPOTENCY_ENV } from '../idempotency/contract';
import { IdempotencyTable } from '../idempotency/idempotency-table';
import { idempotencyKeyPrefixEnvironment } from '../idempotency/key-prefix';
import { IdempotencyTableAttributes } from '../idempotency/table-attributes';
import { resolveIdempotencyTableLayout } from '../idempotency/table-layout';

/**
 * Per-record idempotency of a batch consumer (SqsBatchConsumer, StreamBatchConsumer): which
 * table remembers processed records, in which layout, and for how long. Each consumer adds
 * the `key` that identifies its records.
 */
export interface RecordIdempotencyOptions {
  /**
   * The idempotency table, e.g. `myIdempotencyTable.table` to share one IdempotencyTable.
   * It must use the Powertools layout: a String partition key `id`, TTL on `expiration`,
   * and optionally a String sort key (the shared layout, which needs
   * `staticPartitionKeyValue`). The key schema of a `dynamodb.Table` defined in this app is
   * checked at synth; for an imported table set `sortKeyName` if it has a sort key. The
   * function gets exactly GetItem, PutItem, UpdateItem and DeleteItem on it.
   *
   * @default - a new `IdempotencyTable` (no sort key) inside this construct
   */
  readonly table?: dynamodb.ITable;

  /**
   * Sort key of an imported `table` that uses the shared sort-key layout. Only needed when
   * the key schema cannot be read (imported tables); for a table defined in the app it is
   * read from the table, and a different value is an error.
   *
   * @default - read from the table when possible, otherwise no sort key
   */
  readonly sortKeyName?: string;

  /**
   * The partition key value this consumer writes in the shared sort-key layout (the hashed
   * record key goes into the sort key), e.g. `"orders-consumer"`. Required when the table
   * has a sort key, so functions sharing the table never collide; not allowed otherwise.
   *
   * @default - none (required with a sort-key table)
   */
  readonly staticPartitionKeyValue?: string;

  /**
   * How long a processed record is remembered: a duplicate arriving later runs again.
   * Whole seconds, at least 1 second. A token (e.g. from a CfnParameter) must be given in
   * seconds, `Duration.seconds(param.valueAsNumber)`: CloudFormation cannot convert units.
   *
   * @default - SqsBatchConsumer: Duration.hours(1); StreamBatchConsumer: `maxRecordAge`
   * (24 hours by default), as long as Lambda may deliver the record again
   */
  readonly expiresAfter?: Duration;

  /**
   * The prefix of every record key (`<prefix>#<hash>`). The default survives function
   * replacement, unlike Powertools' own (the function name). Changing it, or moving the
   * construct while relying on the default, starts a new key space: records already
   * processed run once more if redelivered before their old records expire. Must not be
   * empty or contain `#`.
   *
   * @default - the construct path, e.g. `Shop/Orders`
   */
  readonly keyPrefix?: string;

  /**
   * Attribute names of an existing `table` whose layout differs from Powertools' defaults
   * (`key` must be its partition key, `expiry` its TTL attribute).
   *
   * @default - Powertools' names: `id`, `expiration`, `in_progress_expiration`, `status`, `data`, `validation`
   */
  readonly tableAttributes?: IdempotencyTableAttributes;
}

/** What a consumer passes to wire its per-record idempotency. @internal */
export interface RecordIdempotencyWiringInput {
  /** Construct name and path, for errors. */
  readonly where: string;
  readonly options: RecordIdempotencyOptions;
  /** The JMESPath the template evaluates over its record payload. */
  readonly keyJmesPath: string;
  /** The expiry in seconds (a number, or a token given in seconds). */
  readonly expiresAfterSeconds: number;
}

/** The table and the IDEMPOTENCY_* variables of a consumer's per-record idempotency. @internal */
export interface RecordIdempotencyWiring {
  readonly table: dynamodb.ITable;
  readonly environment: { [key: string]: string };
}

/**
 * The table (given, or a new IdempotencyTable in `scope`), its validated key layout and the
 * variables the templates read. Grant the function with `IdempotencyTable.grantReadWriteIdempotencyOn`.
 * @internal
 */
export function wireRecordIdempotency(scope: Construct, input: RecordIdempotencyWiringInput): RecordIdempotencyWiring {
  const { options, where } = input;
  const table = options.table ?? new IdempotencyTable(scope, 'IdempotencyTable').table;
  const layout = resolveIdempotencyTableLayout(table, {
    where,
    propPrefix: 'idempotency.',
    sortKeyName: options.sortKeyName,
    staticPartitionKeyValue: options.staticPartitionKeyValue,
    attributes: options.tableAttributes,
  });
  return {
    table,
    environment: {
      [IDEMPOTENCY_ENV.tableName.name]: table.tableName,
      [IDEMPOTENCY_ENV.eventKeyJmesPath.name]: input.keyJmesPath,
      [IDEMPOTENCY_ENV.expiresAfterSeconds.name]: Tokenization.stringifyNumber(input.expiresAfterSeconds),
      ...layout.environment,
      ...idempotencyKeyPrefixEnvironment(scope, where, 'idempotency.keyPrefix', options.keyPrefix),
    },
  };
}

/**
 * The synth-time checks of per-record idempotency both consumers share: the expiry, and a
 * body/payload key that must be a valid JMESPath (checked against `sample`, a record payload
 * of the template's shape).
 * @internal
 */
export function checkRecordIdempotency(
  where: string,
  options: RecordIdempotencyOptions,
  bodyJmesPath: string | undefined,
  sample: object,
  example: string,
): void {
  checkIdempotencyExpiry(where, 'idempotency.expiresAfter', options.expiresAfter);
  if (bodyJmesPath === undefined || Token.isUnresolved(bodyJmesPath)) return;
  const problem = jmesPathProblem(bodyJmesPath, sample);
  if (problem) {
    invalidProp(where, 'idempotency.key', bodyJmesPath, `It is not a valid JMESPath expression (${problem}); use e.g. ${example}.`);
  }
}
