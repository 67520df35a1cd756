import { CfnParameter, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmAction, HandlerCode, PowertoolsLogLevel } from '../../src/core';
import { IdempotencyTable, IdempotentFunction, IdempotentFunctionProps } from '../../src/idempotency';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

const IDEMPOTENCY_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

function policyStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: any): string[] => ([] as string[]).concat(s.Action);

function functionEnv(template: Template): Record<string, any> {
  const fns = template.findResources('AWS::Lambda::Function');
  const [fn] = Object.values(fns) as any[];
  return fn.Properties.Environment.Variables;
}

/** A topic that passes cdk-nag (encrypted, TLS only). */
function ownTopic(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'OpsTopic', {
    masterKey: new kms.Key(stack, 'OpsKey', { enableKeyRotation: true }),
    enforceSSL: true,
  });
}

function allOptionsStack() {
  const app = createTestApp();
  const stack = new Stack(app, 'AllOptions');
  const shared = new IdempotencyTable(stack, 'Shared', {
    sortKeyName: 'sk',
    removalPolicy: RemovalPolicy.DESTROY,
    encryptionKey: new kms.Key(stack, 'TableKey', { enableKeyRotation: true }),
  });
  const fn = new IdempotentFunction(stack, 'Payments', {
    table: shared.table,
    staticPartitionKeyValue: 'payments',
    eventKeyJmesPath: 'powertools_json(body).paymentId',
    payloadValidationJmesPath: 'powertools_json(body).amount',
    expiresAfter: Duration.hours(6),
    throwOnNoIdempotencyKey: true,
    localCache: true,
    localCacheMaxItems: 500,
    asyncDeadLetterQueue: false,
    memorySizeMb: 512,
    timeout: Duration.seconds(30),
    reservedConcurrentExecutions: 5,
    environment: { STAGE: 'prod' },
    logLevel: PowertoolsLogLevel.DEBUG,
    serviceName: 'payments',
    metricsNamespace: 'Shop',
    description: 'Takes payments exactly once',
    monitoring: { alarmAction: AlarmAction.toTopic(ownTopic(stack)), durationAlarmTimeoutFraction: 0.5 },
  });
  return { app, stack, shared, fn };
}

describe('IdempotentFunction with no props', () => {
  const app = createTestApp();
  const stack = new Stack(app, 'Defaults');
  const construct = new IdempotentFunction(stack, 'Id');
  const template = Template.fromStack(stack);

  test('core function defaults: arm64, latest Node.js, X-Ray, JSON logs, 256 MB, 10 s, bundled template', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Description: 'Idempotent function (Powertools idempotency on DynamoDB)',
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdHandlerAsyncDeadLetterQueue'), 'Arn'] } },
    });
    expect(template.findResources('AWS::Lambda::Function', { Properties: { ReservedConcurrentExecutions: Match.anyValue() } })).toEqual({});
  });

  test('creates an IdempotencyTable shaped for Powertools', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
    expect(construct.idempotencyTable).toBeInstanceOf(IdempotencyTable);
    expect(construct.table).toBe(construct.idempotencyTable!.table);
  });

  test('environment: table, expiry, key behaviour and Powertools names; unset paths are absent', () => {
    const env = functionEnv(template);
    expect(env).toEqual({
      IDEMPOTENCY_TABLE_NAME: { Ref: expect.stringMatching(/^IdIdempotencyTable/) },
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
      IDEMPOTENCY_THROW_ON_NO_KEY: 'false',
      IDEMPOTENCY_USE_LOCAL_CACHE: 'false',
      // the construct path: stable when CloudFormation replaces the function
      IDEMPOTENCY_KEY_PREFIX: 'Defaults/Id',
      POWERTOOLS_SERVICE_NAME: 'Id',
      POWERTOOLS_METRICS_NAMESPACE: 'Defaults',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    expect(construct.expiresAfter.toSeconds()).toBe(3600);
  });

  test('the role may only GetItem/PutItem/UpdateItem/DeleteItem on the table', () => {
    const ddb = policyStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(ddb).toHaveLength(1);
    expect(actionsOf(ddb[0]).sort()).toEqual(IDEMPOTENCY_ACTIONS);
    expect(ddb[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IdIdempotencyTable/), 'Arn'] });
    expect(policyStatements(template).flatMap(actionsOf).filter((a) => /Scan|Query|Batch|kms:/.test(a))).toEqual([]);
  });

  test('alarms: the function set (error rate, errors, throttles, p90/p99 duration), async DLQ, table throttles and system errors', () => {
    const watched = alarmsOf(template).map((a) => a.properties.AlarmName).sort();
    expect(watched).toEqual(
      [...['AsyncDeadLetterQueue', 'DurationP90', 'DurationP99', 'ErrorRate', 'Errors', 'Throttles'].map((n) => `Defaults-Id-Handler-${n}`),
        'Defaults-Id-TableSystemErrors', 'Defaults-Id-TableThrottles'],
    );
    expect(construct.alarms.map((a) => (a.node.defaultChild as cloudwatch.CfnAlarm).alarmName).sort()).toEqual(watched);
    expect(alarmNamed(template, 'Handler-DurationP99').properties.Threshold).toBe(8000);
    expect(alarmNamed(template, 'Handler-ErrorRate').metricNames.sort()).toEqual(['Errors', 'Invocations']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Defaults-Id-TableThrottles',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'getitem + putitem + updateitem + deleteitem' })]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^ServerlessPowertoolsAlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Defaults-Id-TableSystemErrors',
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'SystemErrors' }) }) })]),
    });
  });

  test('dashboard: standard function widgets, invocations vs executions/replays, failures, table health', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const text of [
      'Function: invocations, errors, throttles',
      'Function: duration p50/p90/p99',
      'Invocations vs executions (the rest are replays)',
      'Errors vs idempotent failures',
      'Table throttled requests',
      'Table system errors',
    ]) {
      expect(body).toContain(text);
    }
    expect(construct.dashboard).toBeDefined();
  });

  test('dashboard EMF metrics use the function\'s namespace and service dimension', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['IdempotentExecutions', 'IdempotentReplays', 'IdempotentFailures']) {
      expect(body).toContain(`[\\"Defaults\\",\\"${metric}\\",\\"service\\",\\"Id\\"`);
    }
  });

  test('exposes function, table, alarms, dashboard, log group, role and dead-letter queue', () => {
    expect(construct.function).toBeInstanceOf(lambda.Function);
    expect(construct.function).toBe(construct.handler.function);
    expect(construct.logGroup).toBeInstanceOf(logs.LogGroup);
    expect(construct.logGroup.node.path).toBe('Defaults/Id/Handler/LogGroup');
    expect(construct.role).toBeInstanceOf(iam.Role);
    expect(construct.function.role).toBe(construct.role);
    expect(construct.asyncDeadLetterQueue!.node.path).toBe('Defaults/Id/Handler/AsyncDeadLetterQueue');
    expect(construct.dashboard).toBeInstanceOf(cloudwatch.Dashboard);
  });

  test('snapshot', () => {
    // Asset hashes are masked by test/support/asset-hash-serializer.ts.
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('nag-clean and free of CloudFormation validation findings', () => {
    const nagApp = createTestApp();
    new IdempotentFunction(new Stack(nagApp, 'Nag'), 'Id');
    expectNagClean(nagApp);
  });
});

describe('IdempotentFunction with every option', () => {
  const { app, stack, shared, fn } = allOptionsStack();
  const template = Template.fromStack(stack);

  test('function props are applied', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 30,
      ReservedConcurrentExecutions: 5,
      Description: 'Takes payments exactly once',
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
    });
    expect(template.findResources('AWS::Lambda::Function', { Properties: { DeadLetterConfig: Match.anyValue() } })).toEqual({});
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });

  test('environment carries every idempotency setting', () => {
    expect(functionEnv(template)).toEqual({
      IDEMPOTENCY_TABLE_NAME: { Ref: expect.stringMatching(/^SharedTable/) },
      IDEMPOTENCY_SORT_KEY_ATTR: 'sk',
      IDEMPOTENCY_STATIC_PK_VALUE: 'payments',
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'powertools_json(body).paymentId',
      IDEMPOTENCY_PAYLOAD_VALIDATION_JMESPATH: 'powertools_json(body).amount',
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '21600',
      IDEMPOTENCY_THROW_ON_NO_KEY: 'true',
      IDEMPOTENCY_USE_LOCAL_CACHE: 'true',
      IDEMPOTENCY_LOCAL_CACHE_MAX_ITEMS: '500',
      IDEMPOTENCY_KEY_PREFIX: 'AllOptions/Payments',
      STAGE: 'prod',
      POWERTOOLS_SERVICE_NAME: 'payments',
      POWERTOOLS_METRICS_NAMESPACE: 'Shop',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
  });

  test('uses the given table, creates none, and gets the key actions for its customer key', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(fn.table).toBe(shared.table);
    expect(fn.idempotencyTable).toBeUndefined();
    const all = policyStatements(template).flatMap(actionsOf);
    expect(all.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(IDEMPOTENCY_ACTIONS);
    expect(all.filter((a) => a.startsWith('kms:')).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  test('alarms go to the given topic, no DLQ alarm, duration alarm at the given fraction', () => {
    expect(alarmsOf(template).some((a) => a.metricNames.includes('ApproximateNumberOfMessagesVisible'))).toBe(false);
    for (const alarm of alarmsOf(template)) expect(alarm.properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OpsTopic/) }]);
    expect(alarmNamed(template, 'Payments-Handler-DurationP99').properties.Threshold).toBe(15000);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('asyncDeadLetterQueue: false leaves no queue and acknowledges Serverless-LambdaDLQ with the reason', () => {
    expect(fn.asyncDeadLetterQueue).toBeUndefined();
    const metadata = JSON.stringify(fn.function.node.metadata);
    expect(metadata).toContain('Serverless-LambdaDLQ');
    expect(metadata).toContain('asyncDeadLetterQueue is false');
  });

  test('no warnings for a long cached expiry', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('localCache'));
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('nag-clean and free of CloudFormation validation findings', () => {
    expectNagClean(app);
  });
});

describe('IdempotentFunction variants', () => {
  test('tableProps configure the table it creates', () => {
    const stack = new Stack(createTestApp(), 'TableProps');
    const fn = new IdempotentFunction(stack, 'Fn', {
      tableProps: { pointInTimeRecovery: false, removalPolicy: RemovalPolicy.DESTROY, sortKeyName: 'sk' },
      staticPartitionKeyValue: 'orders',
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }),
    });
    expect(fn.idempotencyTable?.sortKeyName).toBe('sk');
    expect(functionEnv(template)).toEqual(expect.objectContaining({ IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'orders' }));
  });

  test('an imported table: grants on its ARN, sort key from sortKeyName', () => {
    const stack = new Stack(createTestApp(), 'Imported');
    const table = dynamodb.Table.fromTableName(stack, 'Existing', 'shared-idempotency');
    new IdempotentFunction(stack, 'Fn', { table, sortKeyName: 'sk', staticPartitionKeyValue: 'fn-a' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(functionEnv(template)).toEqual(
      expect.objectContaining({ IDEMPOTENCY_TABLE_NAME: 'shared-idempotency', IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'fn-a' }),
    );
    const ddb = policyStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(actionsOf(ddb[0]).sort()).toEqual(IDEMPOTENCY_ACTIONS);
    expect(JSON.stringify(ddb[0].Resource)).toContain(':table/shared-idempotency');
  });

  test('two functions share one IdempotencyTable with distinct static partition values', () => {
    const stack = new Stack(createTestApp(), 'Sharing');
    const shared = new IdempotencyTable(stack, 'Shared', { sortKeyName: 'sk' });
    new IdempotentFunction(stack, 'A', { table: shared.table, staticPartitionKeyValue: 'a' });
    new IdempotentFunction(stack, 'B', { table: shared.table, staticPartitionKeyValue: 'b' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('HandlerCode.fromCode: any runtime still gets the idempotency wiring', () => {
    const stack = new Stack(createTestApp(), 'Python');
    new IdempotentFunction(stack, 'Fn', {
      handlerCode: HandlerCode.fromCode(lambda.Code.fromInline('def handler(e, c): return e'), 'index.handler', lambda.Runtime.PYTHON_3_13),
      eventKeyJmesPath: 'orderId',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'python3.13', Handler: 'index.handler' });
    expect(functionEnv(template)).toEqual(expect.objectContaining({ IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId', IDEMPOTENCY_TABLE_NAME: expect.anything() }));
  });

  test('monitoring off: no alarms, no dashboard', () => {
    const stack = new Stack(createTestApp(), 'Quiet');
    const fn = new IdempotentFunction(stack, 'Fn', { monitoring: { alarms: false, dashboard: false } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(fn.alarms).toEqual([]);
    expect(fn.dashboard).toBeUndefined();
  });

  test('unresolved tokens are accepted', () => {
    const stack = new Stack(createTestApp(), 'Tokens');
    const path = new CfnParameter(stack, 'KeyPath', { default: 'orderId' }).valueAsString;
    const seconds = new CfnParameter(stack, 'ExpirySeconds', { type: 'Number', default: 3600 }).valueAsNumber;
    expect(Token.isUnresolved(path)).toBe(true);
    new IdempotentFunction(stack, 'Fn', { eventKeyJmesPath: path, expiresAfter: Duration.seconds(seconds), localCache: true });
    expect(functionEnv(Template.fromStack(stack))).toEqual(
      expect.objectContaining({ IDEMPOTENCY_EVENT_KEY_JMESPATH: { Ref: 'KeyPath' }, IDEMPOTENCY_EXPIRES_AFTER_SECONDS: { Ref: 'ExpirySeconds' } }),
    );
  });

  test('a token expiry in seconds skips the synth-time comparisons (short timeout check, cache warning)', () => {
    const stack = new Stack(createTestApp(), 'TokenExpiry');
    const seconds = new CfnParameter(stack, 'ExpirySeconds', { type: 'Number', default: 60 }).valueAsNumber;
    const fn = new IdempotentFunction(stack, 'Fn', { expiresAfter: Duration.seconds(seconds), timeout: Duration.minutes(15), localCache: true });
    expect(fn.expiresAfter.isUnresolved()).toBe(true);
    expect(functionEnv(Template.fromStack(stack))).toEqual(expect.objectContaining({ IDEMPOTENCY_EXPIRES_AFTER_SECONDS: { Ref: 'ExpirySeconds' } }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('localCache'));
  });

  test('a token timeout skips the expiry comparison', () => {
    const stack = new Stack(createTestApp(), 'TokenTimeout');
    const timeout = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number', default: 900 }).valueAsNumber;
    new IdempotentFunction(stack, 'Fn', { timeout: Duration.seconds(timeout), expiresAfter: Duration.seconds(1) });
    expect(functionEnv(Template.fromStack(stack))).toEqual(expect.objectContaining({ IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '1' }));
  });

  test.each(['hours', 'minutes', 'days'] as const)('a token expiry in %s fails with a clear error, not CDK\'s conversion error', (unit) => {
    const stack = new Stack(createTestApp(), 'TokenHours');
    const amount = new CfnParameter(stack, 'ExpiryAmount', { type: 'Number', default: 1 }).valueAsNumber;
    const build = () => new IdempotentFunction(stack, 'Fn', { expiresAfter: Duration[unit](amount) });
    expect(build).toThrow(
      `IdempotentFunction TokenHours/Fn: invalid \`expiresAfter\` (got a token Duration). Its amount is a token in ${unit}, and CloudFormation cannot convert a token into the seconds IDEMPOTENCY_EXPIRES_AFTER_SECONDS needs. Give the token in seconds instead, e.g. Duration.seconds(expirySecondsParameter.valueAsNumber).`,
    );
    expect(build).not.toThrow(/Duration must be specified as/);
  });

  test('a TableV2 defined in the app: its key schema is read and the sort key picked up', () => {
    const stack = new Stack(createTestApp(), 'V2');
    const table = new dynamodb.TableV2(stack, 'T', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
    });
    new IdempotentFunction(stack, 'Fn', { table, staticPartitionKeyValue: 'fn' });
    expect(functionEnv(Template.fromStack(stack))).toEqual(expect.objectContaining({ IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'fn' }));
  });

  test('an imported TableV2: the layout comes from sortKeyName', () => {
    const stack = new Stack(createTestApp(), 'V2Imported');
    const table = dynamodb.TableV2.fromTableName(stack, 'T', 'shared');
    new IdempotentFunction(stack, 'Fn', { table, sortKeyName: 'sk', staticPartitionKeyValue: 'fn' });
    expect(functionEnv(Template.fromStack(stack))).toEqual(expect.objectContaining({ IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_TABLE_NAME: 'shared' }));
  });
});

describe('IdempotentFunction synth-time checks', () => {
  function build(props: IdempotentFunctionProps, setup?: (stack: Stack) => Partial<IdempotentFunctionProps>) {
    const stack = new Stack(createTestApp(), 'Checks');
    const extra = setup ? setup(stack) : {};
    return new IdempotentFunction(stack, 'Fn', { ...props, ...extra });
  }

  test('an expiry window shorter than the function timeout is an error', () => {
    expect(() => build({ timeout: Duration.minutes(5), expiresAfter: Duration.minutes(2) })).toThrow(
      'IdempotentFunction Checks/Fn: invalid `expiresAfter` (got 2 minutes). It is shorter than the function timeout (5 minutes)',
    );
    expect(() => build({ timeout: Duration.minutes(5), expiresAfter: Duration.minutes(5) })).not.toThrow();
    // The default expiry (1 hour) against a 15-minute timeout is fine.
    expect(() => build({ timeout: Duration.minutes(15) })).not.toThrow();
  });

  test.each([
    ['eventKeyJmesPath', 'a..b', /invalid `eventKeyJmesPath` \(got "a\.\.b"\)\. It is not a valid JMESPath expression \(Invalid jmespath expression: parse error at column 2/],
    ['eventKeyJmesPath', 'body.[', /invalid `eventKeyJmesPath` \(got "body\.\["\)\. It is not a valid JMESPath expression/],
    ['payloadValidationJmesPath', 'sha256(body)', /invalid `payloadValidationJmesPath` \(got "sha256\(body\)"\)\. It is not a valid JMESPath expression \(Unknown function: sha256\(\)/],
    ['payloadValidationJmesPath', 'length(a, b)', /invalid `payloadValidationJmesPath` .*Expected at most 1 argument/],
    ['eventKeyJmesPath', '   ', /invalid `eventKeyJmesPath` \(got "   "\)\. Give a JMESPath expression/],
  ])('%s %p is rejected', (prop, value, message) => {
    expect(() => build({ [prop]: value })).toThrow(message);
  });

  test('valid JMESPath, including Powertools functions on fields that are absent at synth, is accepted', () => {
    expect(() => build({ eventKeyJmesPath: 'powertools_json(body).orderId', payloadValidationJmesPath: '[amount, currency]' })).not.toThrow();
    expect(() => build({ eventKeyJmesPath: 'headers."Idempotency-Key"' })).not.toThrow();
  });

  test('a sort-key layout without a static partition value is an error', () => {
    expect(() => build({ tableProps: { sortKeyName: 'sk' } })).toThrow(
      'IdempotentFunction Checks/Fn: invalid `staticPartitionKeyValue` (got undefined). The table has the sort key "sk" (shared-table layout)',
    );
    expect(() => build({}, (stack) => ({ table: dynamodb.Table.fromTableName(stack, 'T', 't'), sortKeyName: 'sk' }))).toThrow(/invalid `staticPartitionKeyValue`/);
  });

  test('a warning when the local cache is on with a very short expiry', () => {
    const fn = build({ localCache: true, expiresAfter: Duration.minutes(1) });
    Annotations.fromStack(Stack.of(fn)).hasWarning(
      '/Checks/Fn',
      Match.stringLikeRegexp('localCache is on but records expire after 1 minute: the cache will rarely hit'),
    );
    const noCache = build({ expiresAfter: Duration.minutes(1) });
    Annotations.fromStack(Stack.of(noCache)).hasNoWarning('*', Match.anyValue());
  });
});

describe('IdempotentFunction bad props', () => {
  const cases: [string, (stack: Stack) => IdempotentFunctionProps, RegExp | string][] = [
    ['static partition value without a sort key', () => ({ staticPartitionKeyValue: 'x' }), 'invalid `staticPartitionKeyValue` (got "x"). It only applies to a table with a sort key'],
    [
      'table and empty tableProps together',
      (s) => ({ table: new IdempotencyTable(s, 'T').table, tableProps: {} }),
      'invalid `tableProps` (got "{}"). It only configures a table this construct creates, but `table` is set too',
    ],
    [
      'table and tableProps together',
      (s) => ({ table: new IdempotencyTable(s, 'T').table, tableProps: { sortKeyName: 'sk', pointInTimeRecovery: false, removalPolicy: RemovalPolicy.DESTROY } }),
      'invalid `tableProps` (got "{ sortKeyName: \'sk\', pointInTimeRecovery: false, removalPolicy: \'destroy\' }"). It only configures',
    ],
    [
      'a table with the wrong partition key',
      (s) => ({ table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }) }),
      'invalid `table` (got "Bad/T"). Its partition key is pk (S), but Powertools idempotency needs a single String partition key named "id"',
    ],
    [
      'a table with a numeric id',
      (s) => ({ table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } }) }),
      'invalid `table` (got "Bad/T"). Its partition key is id (N)',
    ],
    [
      'a table with a numeric sort key',
      (s) => ({
        table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER } }),
        staticPartitionKeyValue: 'x',
      }),
      'invalid `table` (got "Bad/T"). Its sort key is sk (N), but the shared-table layout needs one String sort key',
    ],
    [
      'a TableV2 with the wrong partition key',
      (s) => ({ table: new dynamodb.TableV2(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }) }),
      'invalid `table` (got "Bad/T"). Its partition key is pk (S), but Powertools idempotency needs a single String partition key named "id"',
    ],
    [
      'a TableV2 with a numeric id',
      (s) => ({ table: new dynamodb.TableV2(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } }) }),
      'invalid `table` (got "Bad/T"). Its partition key is id (N)',
    ],
    [
      'a TableV2 whose sort key differs from sortKeyName',
      (s) => ({ table: new dynamodb.TableV2(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }), sortKeyName: 'sk' }),
      'invalid `sortKeyName` (got "sk"). The table\'s sort key is absent',
    ],
    ['a sortKeyName that differs from the table', (s) => ({ table: new IdempotencyTable(s, 'T').table, sortKeyName: 'sk' }), 'invalid `sortKeyName` (got "sk"). The table\'s sort key is absent'],
    ['localCacheMaxItems out of range', () => ({ localCache: true, localCacheMaxItems: 0 }), 'invalid `localCacheMaxItems` (got 0). Use a whole number from 1 to 100000.'],
    ['localCacheMaxItems without localCache', () => ({ localCacheMaxItems: 10 }), 'invalid `localCacheMaxItems` (got 10). It only applies with localCache: true'],
    ['a sub-second expiry', () => ({ expiresAfter: Duration.millis(1500) }), 'invalid `expiresAfter` (got 1 second 500 millis). Use a whole number of seconds'],
    ['environment overriding the table name', () => ({ environment: { IDEMPOTENCY_TABLE_NAME: 'other' } }), 'invalid `environment.IDEMPOTENCY_TABLE_NAME` (got "other")'],
    [
      'environment setting a managed variable the props leave unset',
      () => ({ environment: { IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId' } }),
      'invalid `environment.IDEMPOTENCY_EVENT_KEY_JMESPATH` (got "orderId"). Variables starting with IDEMPOTENCY_ configure the construct\'s template and are set from its props; use the props instead.',
    ],
    [
      'environment setting any other IDEMPOTENCY_ variable',
      () => ({ environment: { IDEMPOTENCY_FUTURE_SETTING: 'x' } }),
      'invalid `environment.IDEMPOTENCY_FUTURE_SETTING` (got "x"). Variables starting with IDEMPOTENCY_',
    ],
    ['an empty static partition value', () => ({ tableProps: { sortKeyName: 'sk' }, staticPartitionKeyValue: ' ' }), 'invalid `staticPartitionKeyValue` (got " "). Give a non-empty string'],
    ['a core prop (memory) out of range', () => ({ memorySizeMb: 64 }), 'IdempotentFunction Bad/Fn: invalid `memorySizeMb` (got 64)'],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new IdempotentFunction(stack, 'Fn', props(stack))).toThrow(message);
  });
});
