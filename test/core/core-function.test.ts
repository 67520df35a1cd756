import { CfnParameter, Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ProbePattern } from './probe-construct';
import {
  AlarmAction,
  AsyncFailureDestination,
  DashboardPlacement,
  HandlerCode,
  PowertoolsFunction,
  PowertoolsFunctionProps,
  PowertoolsLayer,
  PowertoolsLogLevel,
} from '../../src';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

const INLINE = HandlerCode.fromCode(lambda.Code.fromInline('exports.handler = async () => 1;'), 'index.handler', lambda.Runtime.NODEJS_24_X);

describe('PowertoolsFunction with no props', () => {
  let template: Template;
  let app: ReturnType<typeof createTestApp>;
  let fn: PowertoolsFunction;
  beforeAll(() => {
    app = createTestApp();
    const stack = new Stack(app, 'Shop');
    fn = new PowertoolsFunction(stack, 'Orders');
    template = Template.fromStack(stack);
  });

  test('arm64, nodejs24.x, X-Ray active, explicit memory and timeout, the bundled function template', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 10,
      RecursiveLoop: 'Terminate',
      VpcConfig: Match.absent(),
    });
    expect(fn._code.kind).toBe('template');
  });

  test('JSON logs into an owned log group with 3 months retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
        LogGroup: { Ref: Match.stringLikeRegexp('^OrdersLogGroup') },
      },
    });
  });

  test('Powertools env vars default to path-derived service name and stack namespace', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'Orders', POWERTOOLS_METRICS_NAMESPACE: 'Shop', POWERTOOLS_LOG_LEVEL: 'INFO' } },
    });
  });

  test('role has no managed policies and writes only to its own log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersLogGroup'), 'Arn'] } },
        ]),
      },
    });
  });

  test('async invocations fail into an encrypted, TLS-only DLQ with 14 days retention, alarmed as critical', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    const dlq = alarmNamed(template, 'AsyncDeadLetterQueue');
    expect(dlq.metricNames).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(dlq.properties.AlarmDescription).toMatch(/^\[critical\]/);
    expect(fn.asyncDeadLetterQueue).toBeInstanceOf(sqs.Queue);
  });

  test('alarms: error rate with a minimum-sample guard (critical), errors, throttles, p90 and p99 duration (warnings)', () => {
    const rate = alarmNamed(template, 'ErrorRate');
    expect(rate.expression).toBe('IF(invocations >= 10, 100 * errors / invocations, 0)');
    expect(rate.metricNames.sort()).toEqual(['Errors', 'Invocations']);
    expect(rate.properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
    expect(rate.properties.AlarmDescription).toMatch(/^\[critical\]/);
    expect(alarmNamed(template, 'Errors').properties).toMatchObject({ MetricName: 'Errors', Threshold: 0 });
    expect(alarmNamed(template, 'Throttles').properties).toMatchObject({ MetricName: 'Throttles', Threshold: 0 });
    const p90 = alarmNamed(template, 'DurationP90');
    expect(p90.properties.Threshold).toBe(5000);
    expect(p90.expression).toBe('IF(invocations >= 10, duration, 0)');
    expect(alarmNamed(template, 'DurationP99').properties.Threshold).toBe(8000);
    for (const name of ['Errors', 'Throttles', 'DurationP90', 'DurationP99']) {
      expect(alarmNamed(template, name).properties.AlarmDescription).toMatch(/^\[warning\]/);
    }
  });

  test('every alarm states its missing-data treatment and sends ALARM and OK to the shared encrypted topic', () => {
    for (const alarm of alarmsOf(template)) {
      expect(alarm.properties.TreatMissingData).toBeDefined();
      expect(alarm.properties.AlarmActions).toEqual([{ Ref: Match.stringLikeRegexp('^ServerlessPowertoolsAlarmsTopic') }].map(() => expect.anything()));
      expect(alarm.properties.OKActions).toEqual(alarm.properties.AlarmActions);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('its own dashboard with the function row', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(fn.dashboard).toBeInstanceOf(cloudwatch.Dashboard);
  });

  test('is cdk-nag clean with zero CloudFormation validation findings', () => {
    expectNagClean(app);
  });
});

describe('PowertoolsFunction production options', () => {
  let template: Template;
  let fn: PowertoolsFunction;
  let app: ReturnType<typeof createTestApp>;
  beforeAll(() => {
    app = createTestApp();
    const stack = new Stack(app, 'Prod', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const failures = new sqs.Queue(stack, 'Failures', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    // The test's own on-failure queue plays the part of a DLQ, which has no DLQ of its own.
    Validations.of(failures).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'Test fixture: the on-failure destination of the function under test.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'Test fixture: the on-failure destination of the function under test.' },
    );
    fn = new PowertoolsFunction(stack, 'Worker', {
      vpc,
      powertoolsLayer: PowertoolsLayer.typeScript(50),
      alias: 'live',
      provisionedConcurrency: 2,
      reservedConcurrentExecutions: 20,
      provisionedConcurrencyScaling: { maxCapacity: 10, utilizationTarget: 0.6 },
      ephemeralStorageSize: Size.gibibytes(2),
      environmentEncryption: key,
      logGroupEncryptionKey: key,
      logRetention: logs.RetentionDays.ONE_YEAR,
      insights: true,
      recursiveLoop: lambda.RecursiveLoop.ALLOW,
      onFailure: AsyncFailureDestination.queue(failures),
      retryAttempts: 1,
      maxEventAge: Duration.hours(1),
      logSamplingRate: 0.1,
      logLevel: PowertoolsLogLevel.WARN,
    });
    template = Template.fromStack(stack);
  });

  test('VPC: private subnets with egress and a created security group with no inbound rules', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet') }]), SecurityGroupIds: [Match.anyValue()] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('no inbound'), SecurityGroupIngress: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), Resource: '*' })]) },
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('CloudWatchLambdaInsightsExecutionRolePolicy')])]) })]) });
    expect(fn.securityGroups).toHaveLength(1);
  });

  test('layers: the pinned Powertools TypeScript layer and the arm64 Lambda Insights extension', () => {
    const layers: any[] = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Layers;
    const text = JSON.stringify(layers);
    expect(text).toContain(':094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:50');
    expect(text).toContain('LambdaInsightsExtension-Arm64');
  });

  test('an alias with provisioned concurrency and target-tracking autoscaling, as the invoke target', () => {
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'lambda:function:ProvisionedConcurrency' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 0.6 }),
    });
    expect(fn.invokeTarget).toBe(fn.alias);
  });

  test('storage, environment encryption, recursion, async retries and the on-failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      EphemeralStorage: { Size: 2048 },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      RecursiveLoop: 'Allow',
      DeadLetterConfig: Match.absent(),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Failures'), 'Arn'] } } },
    });
    expect(alarmNamed(template, 'OnFailureQueue').metricNames).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(fn.asyncDeadLetterQueue).toBeUndefined();
  });

  test('the log group is encrypted, and the key lets only CloudWatch Logs of this account and region use it', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, RetentionInDays: 365 });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:*']] } } },
          }),
        ]),
      },
    });
  });

  test('log sampling: Powertools samples at the given rate, and Lambda lets the sampled DEBUG lines through', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.1', POWERTOOLS_LOG_LEVEL: 'WARN' }) },
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
    });
  });

  test('the hardened configuration stays cdk-nag clean', () => {
    expectNagClean(app);
  });
});

describe('PowertoolsFunction monitoring options', () => {
  test('critical alarms page one target and warnings go to another', () => {
    const stack = new Stack(createTestApp(), 'Routes');
    const pager = new sns.Topic(stack, 'Pager');
    const tickets = new sns.Topic(stack, 'Tickets');
    new PowertoolsFunction(stack, 'Fn', {
      handlerCode: INLINE,
      monitoring: { criticalAlarmAction: AlarmAction.toTopic(pager), warningAlarmAction: AlarmAction.toTopic(tickets) },
    });
    const t = Template.fromStack(stack);
    const target = (suffix: string) => alarmNamed(t, suffix).properties.AlarmActions[0].Ref;
    expect(target('ErrorRate')).toMatch(/^Pager/);
    expect(target('AsyncDeadLetterQueue')).toMatch(/^Pager/);
    expect(target('Errors')).toMatch(/^Tickets/);
    expect(target('DurationP90')).toMatch(/^Tickets/);
    t.resourceCountIs('AWS::KMS::Key', 0); // no shared topic when both severities have one
  });

  test('thresholds: error rate, minimum samples and duration fractions', () => {
    const stack = new Stack(createTestApp(), 'Thresholds');
    new PowertoolsFunction(stack, 'Fn', {
      handlerCode: INLINE,
      timeout: Duration.seconds(20),
      monitoring: { errorRateThresholdPercent: 5, minimumSampleCount: 50, durationAlarmTimeoutFraction: 0.9, durationP90AlarmTimeoutFraction: 0.25 },
    });
    const t = Template.fromStack(stack);
    expect(alarmNamed(t, 'ErrorRate').properties.Threshold).toBe(5);
    expect(alarmNamed(t, 'ErrorRate').expression).toMatch(/invocations >= 50/);
    expect(alarmNamed(t, 'DurationP99').properties.Threshold).toBe(18000);
    expect(alarmNamed(t, 'DurationP90').properties.Threshold).toBe(5000);
  });

  test('AlarmAction.none() creates alarms without actions; alarms: false creates none', () => {
    const stack = new Stack(createTestApp(), 'NoActions');
    new PowertoolsFunction(stack, 'A', { handlerCode: INLINE, monitoring: { alarmAction: AlarmAction.none() } });
    new PowertoolsFunction(stack, 'B', { handlerCode: INLINE, asyncDeadLetterQueue: false, monitoring: { alarms: false, dashboard: false } });
    const t = Template.fromStack(stack);
    const alarms = alarmsOf(t);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((a) => a.properties.AlarmName.startsWith('NoActions-A-') && a.properties.AlarmActions === undefined)).toBe(true);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('functions share one stack dashboard, or go on yours', () => {
    const stack = new Stack(createTestApp(), 'Dash');
    const mine = new cloudwatch.Dashboard(stack, 'Mine');
    const a = new PowertoolsFunction(stack, 'A', { handlerCode: INLINE, monitoring: { dashboardPlacement: DashboardPlacement.stackShared() } });
    const b = new PowertoolsFunction(stack, 'B', { handlerCode: INLINE, monitoring: { dashboardPlacement: DashboardPlacement.stackShared() } });
    const c = new PowertoolsFunction(stack, 'C', { handlerCode: INLINE, monitoring: { dashboardPlacement: DashboardPlacement.existing(mine) } });
    expect(a.dashboard).toBe(b.dashboard);
    expect(c.dashboard).toBe(mine);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    const body = JSON.stringify(Object.values<any>(t.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardBody));
    expect(body).toContain('Dash/A: Function Dash/A');
    expect(body).toContain('Dash/B: Function Dash/B');
  });

  test('constructs in one stack share one alarm topic; alarm names never collide', () => {
    const stack = new Stack(createTestApp(), 'Shared');
    new PowertoolsFunction(stack, 'A', { handlerCode: INLINE });
    new ProbePattern(stack, 'B');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    const names = alarmsOf(t).map((a) => a.properties.AlarmName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['Shared-A-ErrorRate', 'Shared-B-Handler-ErrorRate']));
  });

  test('a pattern construct owns the dashboard: its function builds none of its own', () => {
    const stack = new Stack(createTestApp(), 'Pattern');
    const probe = new ProbePattern(stack, 'P', {}, { syncOnly: true });
    expect(probe.fn.dashboard).toBeUndefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    t.resourceCountIs('AWS::SQS::Queue', 0);
  });

  test('a token timeout skips the duration alarms with a warning instead of failing', () => {
    const stack = new Stack(createTestApp(), 'Tok');
    const seconds = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number', default: 10 }).valueAsNumber;
    new PowertoolsFunction(stack, 'P', { handlerCode: INLINE, timeout: Duration.seconds(seconds) });
    const t = Template.fromStack(stack);
    expect(alarmsOf(t).some((a) => a.metricNames.includes('Duration'))).toBe(false);
    Annotations.fromStack(stack).hasWarning('/Tok/P/Function', Match.stringLikeRegexp('duration alarms were not created'));
  });
});

describe('PowertoolsFunction options reach the function', () => {
  test('memory, timeout, concurrency, environment, retention, level, names, architecture and description', () => {
    const stack = new Stack(createTestApp(), 'Opts');
    new PowertoolsFunction(stack, 'P', {
      handlerCode: INLINE,
      memorySizeMb: 1024,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 5,
      environment: { EXTRA: '1', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      logRetention: logs.RetentionDays.ONE_WEEK,
      logLevel: PowertoolsLogLevel.WARN,
      serviceName: 'orders',
      metricsNamespace: 'Shop',
      architecture: lambda.Architecture.X86_64,
      description: 'mine',
      layers: [lambda.LayerVersion.fromLayerVersionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:layer:mine:3')],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 30,
      ReservedConcurrentExecutions: 5,
      Architectures: ['x86_64'],
      Description: 'mine',
      Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:mine:3'],
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }),
      Environment: { Variables: { EXTRA: '1', POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_METRICS_NAMESPACE: 'Shop' } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the Powertools layer through SSM, and the Python layer by runtime and architecture', () => {
    const stack = new Stack(createTestApp(), 'Layers', { env: { region: 'us-east-1', account: '123456789012' } });
    new PowertoolsFunction(stack, 'Node', { handlerCode: INLINE, powertoolsLayer: PowertoolsLayer.typeScript() });
    const python = HandlerCode.fromCode(lambda.Code.fromInline('def handler(e, c): return 1'), 'index.handler', lambda.Runtime.PYTHON_3_13);
    new PowertoolsFunction(stack, 'Py', { handlerCode: python, powertoolsLayer: PowertoolsLayer.python(7) });
    const t = Template.fromStack(stack);
    const parameters = JSON.stringify(t.toJSON().Parameters);
    expect(parameters).toContain('/aws/service/powertools/typescript/generic/all/latest');
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.13',
      Layers: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:7'])] })],
    });
  });

  test('in GovCloud and China the layers come from those partitions\' publishing accounts', () => {
    const stack = new Stack(createTestApp(), 'Gov', { env: { region: 'us-gov-west-1', account: '123456789012' } });
    new PowertoolsFunction(stack, 'Node', { handlerCode: INLINE, powertoolsLayer: PowertoolsLayer.typeScript(20) });
    const layers = JSON.stringify(Template.fromStack(stack).toJSON().Resources);
    expect(layers).toContain(':lambda:us-gov-west-1:165093116878:layer:AWSLambdaPowertoolsTypeScriptV2:20');
  });

  test('an SNS on-failure destination is alarmed on delivery failures', () => {
    const stack = new Stack(createTestApp(), 'Topic');
    const topic = new sns.Topic(stack, 'Failures', { enforceSSL: true, masterKey: new kms.Key(stack, 'K', { enableKeyRotation: true }) });
    new PowertoolsFunction(stack, 'P', { handlerCode: INLINE, onFailure: AsyncFailureDestination.topic(topic) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { DestinationConfig: { OnFailure: { Destination: { Ref: Match.stringLikeRegexp('^Failures') } } } });
    expect(alarmNamed(t, 'OnFailureDeliveryFailures').metricNames).toEqual(['DestinationDeliveryFailures']);
  });
});

describe('PowertoolsFunction bad props', () => {
  const vpcStack = () => {
    const stack = new Stack(createTestApp(), 'Bad');
    return { stack, vpc: new ec2.Vpc(stack, 'Vpc') };
  };
  const cases: [string, (s: Stack) => PowertoolsFunctionProps, RegExp][] = [
    ['memory too small', () => ({ memorySizeMb: 64 }), /invalid `memorySizeMb` \(got 64\)\. Use a whole number from 128 to 10240/],
    ['memory not integer', () => ({ memorySizeMb: 300.5 }), /invalid `memorySizeMb` \(got 300\.5\)/],
    ['timeout too long', () => ({ timeout: Duration.minutes(16) }), /invalid `timeout` \(got 16 minutes\)\. Use a whole number of seconds from 1 second to 15 minutes/],
    ['timeout too short', () => ({ timeout: Duration.millis(500) }), /invalid `timeout` \(got 500 millis\)/],
    ['timeout not whole seconds', () => ({ timeout: Duration.millis(1500) }), /invalid `timeout` \(got 1 second 500 millis\)/],
    ['negative reserved concurrency', () => ({ reservedConcurrentExecutions: -1 }), /invalid `reservedConcurrentExecutions` \(got -1\)/],
    ['empty service name', () => ({ serviceName: ' ' }), /invalid `serviceName` \(got " "\)\. Give a non-empty string/],
    ['empty namespace', () => ({ metricsNamespace: '' }), /invalid `metricsNamespace`/],
    ['duration fraction above 1', () => ({ monitoring: { durationAlarmTimeoutFraction: 1.5 } }), /invalid `monitoring.durationAlarmTimeoutFraction` \(got 1\.5\)/],
    ['duration fraction zero', () => ({ monitoring: { durationAlarmTimeoutFraction: 0 } }), /invalid `monitoring.durationAlarmTimeoutFraction` \(got 0\)/],
    ['p90 fraction above p99', () => ({ monitoring: { durationP90AlarmTimeoutFraction: 0.9 } }), /invalid `monitoring.durationP90AlarmTimeoutFraction` \(got 0\.9\)\. Use a fraction greater than 0 and at most durationAlarmTimeoutFraction \(0\.8\)/],
    ['error rate above 100', () => ({ monitoring: { errorRateThresholdPercent: 101 } }), /invalid `monitoring.errorRateThresholdPercent` \(got 101\)/],
    ['minimum samples zero', () => ({ monitoring: { minimumSampleCount: 0 } }), /invalid `monitoring.minimumSampleCount` \(got 0\)/],
    ['vpcSubnets without vpc', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), /invalid `vpcSubnets`.*set `vpc` too/],
    ['securityGroups without vpc', (s) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-123')] }), /invalid `securityGroups` \(got \["Bad\/Sg"\]\).*set `vpc` too/],
    ['provisioned concurrency without alias', () => ({ provisionedConcurrency: 2 }), /invalid `provisionedConcurrency` \(got 2\)\. Provisioned concurrency is configured on an alias; set `alias`/],
    ['provisioned concurrency above the reservation', () => ({ alias: 'live', provisionedConcurrency: 6, reservedConcurrentExecutions: 5 }), /invalid `provisionedConcurrency` \(got 6\)\. It exceeds reservedConcurrentExecutions \(5\)/],
    ['autoscaling without alias', () => ({ provisionedConcurrencyScaling: { maxCapacity: 5 } }), /invalid `provisionedConcurrencyScaling`.*set `alias`/],
    ['autoscaling min above max', () => ({ alias: 'live', provisionedConcurrencyScaling: { minCapacity: 6, maxCapacity: 5 } }), /invalid `provisionedConcurrencyScaling.minCapacity` \(got 6\)\. It exceeds maxCapacity \(5\)/],
    ['utilization target out of range', () => ({ alias: 'live', provisionedConcurrencyScaling: { maxCapacity: 5, utilizationTarget: 0.95 } }), /invalid `provisionedConcurrencyScaling.utilizationTarget` \(got 0\.95\)/],
    ['alias of digits', () => ({ alias: '123' }), /invalid `alias` \(got "123"\)/],
    ['ephemeral storage too small', () => ({ ephemeralStorageSize: Size.mebibytes(256) }), /invalid `ephemeralStorageSize` \(got "256 MiB"\)\. Use a whole number of MiB from 512 to 10240/],
    ['ephemeral storage too large', () => ({ ephemeralStorageSize: Size.gibibytes(11) }), /invalid `ephemeralStorageSize` \(got "11264 MiB"\)/],
    ['retry attempts above 2', () => ({ retryAttempts: 3 }), /invalid `retryAttempts` \(got 3\)\. Use a whole number from 0 to 2/],
    ['max event age below a minute', () => ({ maxEventAge: Duration.seconds(30) }), /invalid `maxEventAge` \(got 30 seconds\)\. Use a whole number of seconds from 1 minute to 6 hours/],
    ['max event age above 6 hours', () => ({ maxEventAge: Duration.hours(7) }), /invalid `maxEventAge` \(got 7 hours\)/],
    ['negative sampling rate', () => ({ logSamplingRate: -0.1 }), /invalid `logSamplingRate` \(got -0\.1\)\. Use a concrete fraction from 0 to 1/],
    ['sampling rate above 1', () => ({ logSamplingRate: 1.5 }), /invalid `logSamplingRate` \(got 1\.5\)/],
    ['DLQ and on-failure together', (s) => ({ asyncDeadLetterQueue: true, onFailure: AsyncFailureDestination.queue(new sqs.Queue(s, 'Q')) }), /invalid `asyncDeadLetterQueue` \(got true\)\. Failed async invocations go to one place/],
    ['dashboard placement with dashboards off', () => ({ monitoring: { dashboard: false, dashboardPlacement: DashboardPlacement.stackShared() } }), /invalid `monitoring.dashboardPlacement`/],
    ['infinite log retention', () => ({ logRetention: logs.RetentionDays.INFINITE }), /invalid `logRetention` \(got "RetentionDays.INFINITE"\)\. Logs must expire/],
    ['TypeScript layer on Python', () => ({
      handlerCode: HandlerCode.fromCode(lambda.Code.fromInline('x'), 'index.handler', lambda.Runtime.PYTHON_3_13),
      powertoolsLayer: PowertoolsLayer.typeScript(),
    }), /invalid `powertoolsLayer`.*runs python3\.13; use PowertoolsLayer\.python\(\)/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const { stack } = vpcStack();
    expect(() => new PowertoolsFunction(stack, 'P', { handlerCode: INLINE, ...props(stack) })).toThrow(message);
  });

  test('errors name the construct and its path; a pattern\'s errors name the pattern', () => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new PowertoolsFunction(stack, 'Deep', { handlerCode: INLINE, memorySizeMb: 1 })).toThrow(/^PowertoolsFunction Bad\/Deep: invalid/);
    expect(() => new ProbePattern(stack, 'Probe', { memorySizeMb: 1 })).toThrow(/^ProbePattern Bad\/Probe: invalid/);
  });

  test('a wiring variable cannot be overridden', () => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new ProbePattern(stack, 'P', { environment: { PROBE_TABLE: 'other' } })).toThrow(
      /invalid `environment.PROBE_TABLE` \(got "other"\)\. PROBE_TABLE is set by the construct/,
    );
  });

  test('token guards: a token timeout in minutes and a token duration fraction', () => {
    const stack = new Stack(createTestApp(), 'Tok');
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(() => new PowertoolsFunction(stack, 'A', { handlerCode: INLINE, timeout: Duration.minutes(minutes) })).toThrow(
      /invalid `timeout` \(got a token Duration\)\. A token timeout must be given in seconds/,
    );
    expect(() => new PowertoolsFunction(stack, 'B', { handlerCode: INLINE, monitoring: { durationAlarmTimeoutFraction: minutes } })).toThrow(
      /invalid `monitoring.durationAlarmTimeoutFraction` \(got "a token"\)\. The alarm threshold is computed at synth/,
    );
  });
});
