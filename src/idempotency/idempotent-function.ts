import { Annotations, Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_ENTRY, IDEMPOTENCY_ENV, IDEMPOTENCY_ENV_PREFIX, IDEMPOTENCY_METRIC_NAMES, IDEMPOTENCY_TABLE_ACTIONS } from './contract';
import { IdempotencyTable, IdempotencyTableProps } from './idempotency-table';
import { idempotencyKeyPrefixEnvironment } from './key-prefix';
import { ReplayMarker } from './replay-marker';
import { IdempotencyTableAttributes } from './table-attributes';
import { resolveIdempotencyTableLayout } from './table-layout';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from '../core/alarm-factory';
import { DashboardBuilder } from '../core/dashboard-builder';
import { emfMetric } from '../core/emf-metric';
import { AsyncInvocationOptions, PowertoolsFunctionOptions } from '../core/function-options';
import { TemplateRef } from '../core/handler-code';
import { jmesPathProblem } from '../core/jmespath';
import { PowertoolsFunction } from '../core/powertools-function';
import { checkIdempotencyExpiry, checkIntegerInRange, checkNonEmpty, concreteSeconds, invalidProp, secondsOrSecondsToken } from '../core/validation';

/** The runtime template this construct's function runs by default. */
const IDEMPOTENT_TEMPLATE: TemplateRef = {
  name: 'idempotent',
  wrapExport: 'wrapIdempotent',
  entry: IDEMPOTENCY_ENTRY,
};


/** Below this expiry a local cache saves almost no DynamoDB reads. */
const SHORT_CACHED_EXPIRY = Duration.minutes(5);

/** Properties of an IdempotentFunction. */
export interface IdempotentFunctionProps extends PowertoolsFunctionOptions, AsyncInvocationOptions {
  /**
   * An existing idempotency table, e.g. `myIdempotencyTable.table` to share one
   * IdempotencyTable between functions, or any table with a String partition key `id`
   * and TTL on `expiration` (other names: `tableAttributes`). The key schema and TTL of a
   * `dynamodb.Table` or `dynamodb.TableV2` defined in this app are checked at synth; an
   * imported table cannot be checked, so set `sortKeyName` if it has a sort key.
   *
   * @default - a new IdempotencyTable owned by this construct
   */
  readonly table?: dynamodb.ITable;

  /**
   * Settings of the table the construct creates. Cannot be combined with `table`.
   *
   * @default - IdempotencyTable defaults
   */
  readonly tableProps?: IdempotencyTableProps;

  /**
   * Sort key of an imported `table` that uses the shared sort-key layout. Only needed
   * when the construct cannot read the key schema (imported tables); for tables defined
   * in the app it is read from the table, and a different value is an error.
   *
   * @default - read from the table when possible, otherwise no sort key
   */
  readonly sortKeyName?: string;

  /**
   * The partition key value this function writes in the shared sort-key layout, e.g. its
   * service name. Required when the table has a sort key, so that functions sharing the
   * table never collide; not allowed otherwise.
   *
   * @default - none (required with a sort-key table)
   */
  readonly staticPartitionKeyValue?: string;

  /**
   * JMESPath selecting the idempotency key from the event, e.g. `orderId` or
   * `powertools_json(body).orderId`. Checked at synth with the JMESPath implementation
   * Powertools uses.
   *
   * @default - the whole event is hashed into the key
   */
  readonly eventKeyJmesPath?: string;

  /**
   * JMESPath selecting the part of the event that must be identical on a replay, e.g.
   * `amount`. A duplicate key with a different payload then fails with
   * IdempotencyValidationError instead of returning the stored result.
   *
   * @default - no payload validation
   */
  readonly payloadValidationJmesPath?: string;

  /**
   * How long a completed result is replayed for duplicates. Must be at least the
   * function timeout (checked at synth when both are concrete). A token amount must be
   * given in seconds (`Duration.seconds(param.valueAsNumber)`): CloudFormation cannot
   * convert a token of minutes, hours or days into the seconds the function reads.
   *
   * @default Duration.hours(1)
   */
  readonly expiresAfter?: Duration;

  /**
   * Fail an event that has no idempotency key (the key path selects nothing) instead of
   * running it without idempotency.
   *
   * @default false
   */
  readonly throwOnNoIdempotencyKey?: boolean;

  /**
   * Keep completed records in an in-memory LRU cache of each execution environment, so
   * repeats in the same environment skip DynamoDB.
   *
   * @default false
   */
  readonly localCache?: boolean;

  /**
   * Maximum number of records in the local cache (1 to 100000).
   *
   * @default 256
   */
  readonly localCacheMaxItems?: number;

  /**
   * The prefix of every idempotency key (`<prefix>#<hash>`). The default survives function
   * replacement, unlike Powertools' own default (the function name, which CloudFormation
   * changes on every replacement). Changing it, or moving the construct while relying on
   * the default, starts a new key space: events already processed run once more if they
   * are retried before their old records expire. Set it to the old path when you move the
   * construct. Must not be empty or contain `#`.
   *
   * @default - the construct path, e.g. `Shop/Payments`
   */
  readonly keyPrefix?: string;

  /**
   * Mark replayed results (a duplicate's stored result) so callers can tell them from
   * fresh ones: `ReplayMarker.field('replayed')` or `ReplayMarker.header('Idempotent-Replayed')`.
   *
   * @default - replays are returned exactly as stored
   */
  readonly replayMarker?: ReplayMarker;

  /**
   * Attribute names of an existing `table` whose layout differs from Powertools' defaults.
   * `key` must be the table's partition key and `expiry` its TTL attribute (checked at
   * synth when the table is defined in the app).
   *
   * @default - Powertools' names: `id`, `expiration`, `in_progress_expiration`, `status`, `data`, `validation`
   */
  readonly tableAttributes?: IdempotencyTableAttributes;
}

/**
 * A Lambda function made safe to retry with Powertools idempotency: the bundled template
 * (or your `processEvent` logic) runs once per idempotency key, and duplicates within the
 * expiry window get the stored result. Creates or reuses a DynamoDB table shaped for
 * Powertools, grants only GetItem/PutItem/UpdateItem/DeleteItem on it, wires the settings
 * as environment variables, and adds alarms and a dashboard.
 *
 * @example
 * new IdempotentFunction(this, 'Payments', { eventKeyJmesPath: 'paymentId' });
 */
export class IdempotentFunction extends Construct {
  /** The function and everything created with it (alias, async DLQ, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** The idempotency table, created or given. */
  public readonly table: dynamodb.ITable;
  /** The IdempotencyTable construct, when this construct created it. */
  public readonly idempotencyTable?: IdempotencyTable;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** Dead-letter queue of failed asynchronous invocations, unless `asyncDeadLetterQueue` is false. */
  public readonly asyncDeadLetterQueue?: sqs.IQueue;
  /** The alarms created (empty when alarms are switched off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The dashboard, unless switched off. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The expiry window of idempotency records. */
  public readonly expiresAfter: Duration;

  constructor(scope: Construct, id: string, props: IdempotentFunctionProps = {}) {
    super(scope, id);
    const where = `IdempotentFunction ${this.node.path}`;
    validateIdempotencyProps(where, props);

    if (props.table && props.tableProps) {
      invalidProp(
        where,
        'tableProps',
        describeTableProps(props.tableProps),
        'It only configures a table this construct creates, but `table` is set too: configure that table where you created it, or drop `table` to let this construct create one.',
      );
    }
    if (props.table) {
      this.table = props.table;
    } else {
      this.idempotencyTable = new IdempotencyTable(this, 'IdempotencyTable', props.tableProps);
      this.table = this.idempotencyTable.table;
    }
    const layout = resolveIdempotencyTableLayout(this.table, {
      where,
      sortKeyName: props.sortKeyName,
      staticPartitionKeyValue: props.staticPartitionKeyValue,
      attributes: props.tableAttributes,
    });

    this.expiresAfter = props.expiresAfter ?? Duration.seconds(IDEMPOTENCY_DEFAULTS.expiresAfterSeconds);
    const wiring = {
      ...idempotencyEnvironment(where, this.table, this.expiresAfter, props),
      ...layout.environment,
      ...idempotencyKeyPrefixEnvironment(this, where, 'keyPrefix', props.keyPrefix),
      ...props.replayMarker?._environment(where, 'replayMarker'),
    };

    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'IdempotentFunction',
      owner: this,
      template: IDEMPOTENT_TEMPLATE,
      description: 'Idempotent function (Powertools idempotency on DynamoDB)',
      wiringEnvironment: wiring,
      reservedEnvironmentPrefixes: [IDEMPOTENCY_ENV_PREFIX],
      dashboardTitle: `Idempotent function ${this.node.path}`,
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    this.asyncDeadLetterQueue = fn.asyncDeadLetterQueue;
    const timeoutSeconds = concreteSeconds(fn.timeout);
    const expirySeconds = concreteSeconds(this.expiresAfter);
    if (timeoutSeconds !== undefined && expirySeconds !== undefined && expirySeconds < timeoutSeconds) {
      invalidProp(
        where,
        'expiresAfter',
        this.expiresAfter,
        `It is shorter than the function timeout (${fn.timeout.toHumanString()}): a record could expire while its invocation still runs, letting a retry execute twice. Use at least the timeout.`,
      );
    }
    if (props.localCache && expirySeconds !== undefined && expirySeconds < SHORT_CACHED_EXPIRY.toSeconds()) {
      Annotations.of(this).addWarningV2(
        'cdk-serverless-powertools:idempotencyShortCachedExpiry',
        `localCache is on but records expire after ${this.expiresAfter.toHumanString()}: the cache will rarely hit and costs memory. ` +
          `Turn localCache off or use an expiry of at least ${SHORT_CACHED_EXPIRY.toHumanString()}.`,
      );
    }

    IdempotencyTable.grantReadWriteIdempotencyOn(this.table, this.function);

    const alarms = new AlarmFactory(this, props.monitoring);
    addTableAlarms(alarms, this.table);
    this.alarms = [...fn.alarms, ...alarms.alarms];

    const dashboard = new DashboardBuilder(this, 'Dashboard', props.monitoring);
    dashboard.addRows(fn._dashboardRows);
    dashboard.addRow('Idempotency', idempotencyWidgets(this.function, fn.metricsNamespace, fn.serviceName));
    dashboard.addRow('Idempotency table', tableWidgets(this.table));
    this.dashboard = dashboard.build();
  }
}

function validateIdempotencyProps(where: string, props: IdempotentFunctionProps): void {
  for (const prop of ['eventKeyJmesPath', 'payloadValidationJmesPath'] as const) {
    const expression = props[prop];
    if (expression === undefined || Token.isUnresolved(expression)) continue;
    if (expression.trim() === '') {
      invalidProp(where, prop, expression, 'Give a JMESPath expression such as "orderId", or leave it unset.');
    }
    const problem = jmesPathProblem(expression);
    if (problem) invalidProp(where, prop, expression, `It is not a valid JMESPath expression (${problem}).`);
  }
  checkIdempotencyExpiry(where, 'expiresAfter', props.expiresAfter);
  checkIntegerInRange(where, 'localCacheMaxItems', props.localCacheMaxItems, 1, 100_000);
  if (props.localCacheMaxItems !== undefined && !props.localCache) {
    invalidProp(where, 'localCacheMaxItems', props.localCacheMaxItems, 'It only applies with localCache: true; set that too or remove it.');
  }
  checkNonEmpty(where, 'staticPartitionKeyValue', props.staticPartitionKeyValue);
  checkNonEmpty(where, 'sortKeyName', props.sortKeyName);
}

/** The variables the template (or Powertools in another runtime) reads; only set ones are present. */
function idempotencyEnvironment(
  where: string,
  table: dynamodb.ITable,
  expiresAfter: Duration,
  props: IdempotentFunctionProps,
): { [key: string]: string } {
  const env: { [key: string]: string } = {
    [IDEMPOTENCY_ENV.tableName.name]: table.tableName,
    [IDEMPOTENCY_ENV.expiresAfterSeconds.name]: Tokenization.stringifyNumber(expiryInSeconds(where, expiresAfter)),
    [IDEMPOTENCY_ENV.throwOnNoIdempotencyKey.name]: String(props.throwOnNoIdempotencyKey ?? IDEMPOTENCY_DEFAULTS.throwOnNoIdempotencyKey),
    [IDEMPOTENCY_ENV.useLocalCache.name]: String(props.localCache ?? IDEMPOTENCY_DEFAULTS.localCache),
  };
  if (props.localCache) env[IDEMPOTENCY_ENV.localCacheMaxItems.name] = String(props.localCacheMaxItems ?? IDEMPOTENCY_DEFAULTS.localCacheMaxItems);
  if (props.eventKeyJmesPath !== undefined) env[IDEMPOTENCY_ENV.eventKeyJmesPath.name] = props.eventKeyJmesPath;
  if (props.payloadValidationJmesPath !== undefined) env[IDEMPOTENCY_ENV.payloadValidationJmesPath.name] = props.payloadValidationJmesPath;
  return env;
}

/** The expiry in seconds: a number, or the token itself when given in seconds. */
function expiryInSeconds(where: string, expiresAfter: Duration): number {
  return secondsOrSecondsToken(
    where,
    'expiresAfter',
    expiresAfter,
    (unit) =>
      `Its amount is a token in ${unit}, and CloudFormation cannot convert a token into the seconds ${IDEMPOTENCY_ENV.expiresAfterSeconds.name} needs. ` +
      'Give the token in seconds instead, e.g. Duration.seconds(expirySecondsParameter.valueAsNumber).',
  );
}

/** A readable rendering of tableProps for errors, e.g. `{ sortKeyName: 'sk', encryptionKey: Key }`. */
function describeTableProps(tableProps: IdempotencyTableProps): string {
  const entries = Object.entries(tableProps)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (typeof value === 'string') return `${key}: '${value}'`;
      if (typeof value === 'object' && value !== null) return `${key}: ${value.constructor?.name ?? 'object'}`;
      return `${key}: ${String(value)}`;
    });
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

const TABLE_OPERATIONS = IDEMPOTENCY_TABLE_ACTIONS.map((action) => action.replace('dynamodb:', '') as dynamodb.Operation);

/** DynamoDB throttles or system errors on the operations idempotency uses: a store failure fails invocations. */
function addTableAlarms(alarms: AlarmFactory, table: dynamodb.ITable): void {
  alarms.add('TableThrottles', {
    metric: table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: ALARM_PERIOD }),
    threshold: 0,
    severity: AlarmSeverity.WARNING,
    // DynamoDB publishes these only when they happen.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    description: `${table.node.path}: idempotency table requests were throttled in the last 5 minutes; idempotent invocations failed.`,
  });
  alarms.add('TableSystemErrors', {
    metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: ALARM_PERIOD }),
    threshold: 0,
    severity: AlarmSeverity.WARNING,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    description: `${table.node.path}: DynamoDB returned system errors for the idempotency table in the last 5 minutes.`,
  });
}

/**
 * Idempotency next to the standard function widgets: invocations against executions and
 * replays (EMF), and Lambda errors against idempotent failures.
 */
function idempotencyWidgets(fn: lambda.IFunction, namespace: string, service: string): cloudwatch.IWidget[] {
  const period = Duration.minutes(1);
  return [
    new cloudwatch.GraphWidget({
      title: 'Invocations vs executions (the rest are replays)',
      left: [
        fn.metricInvocations({ period, statistic: 'Sum', label: 'Invocations' }),
        emfMetric(namespace, service, IDEMPOTENCY_METRIC_NAMES.executions, { label: 'Executions', period }),
        emfMetric(namespace, service, IDEMPOTENCY_METRIC_NAMES.replays, { label: 'Replays', period }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Errors vs idempotent failures',
      left: [
        fn.metricErrors({ period, statistic: 'Sum', label: 'Errors' }),
        emfMetric(namespace, service, IDEMPOTENCY_METRIC_NAMES.failures, { label: 'Idempotent failures', period }),
      ],
      width: 12,
    }),
  ];
}

function tableWidgets(table: dynamodb.ITable): cloudwatch.IWidget[] {
  const period = Duration.minutes(1);
  // Each per-operation metric is a math expression over ids named after the operations,
  // so the two cannot share a graph.
  return [
    new cloudwatch.GraphWidget({
      title: 'Table throttled requests',
      left: [table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period, label: 'Throttled requests' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Table system errors',
      left: [table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period, label: 'System errors' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Table consumed capacity',
      left: [table.metricConsumedReadCapacityUnits({ period, label: 'Read units' }), table.metricConsumedWriteCapacityUnits({ period, label: 'Write units' })],
      width: 8,
    }),
  ];
}
