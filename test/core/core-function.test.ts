import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ProbePattern } from './probe-construct';
import { AlarmAction, PowertoolsLogLevel } from '../../src';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

describe('core function defaults', () => {
  let template: Template;
  let app: ReturnType<typeof createTestApp>;
  beforeAll(() => {
    app = createTestApp();
    const stack = new Stack(app, 'Shop');
    new ProbePattern(stack, 'Orders');
    template = Template.fromStack(stack);
  });

  test('arm64, nodejs24.x, X-Ray active, explicit memory and timeout', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 10,
    });
  });

  test('JSON logs into an owned log group with 3 months retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
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
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'Orders',
          POWERTOOLS_METRICS_NAMESPACE: 'Shop',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          PROBE_TABLE: 'wired',
        },
      },
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

  test('async invocations fail into an encrypted, TLS-only DLQ with 14 days retention', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('standard alarms go to the shared, encrypted, TLS-only stack topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Orders-Errors',
      MetricName: 'Errors',
      Threshold: 0,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^ServerlessPowertoolsAlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Orders-Throttles', MetricName: 'Throttles' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Orders-DurationP99', ExtendedStatistic: 'p99', Threshold: 8000 });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a dashboard is created', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('is cdk-nag clean with zero CloudFormation validation findings', () => {
    expectNagClean(app);
  });
});

describe('core function options', () => {
  test('every option reaches the function', () => {
    const stack = new Stack(createTestApp(), 'Opts');
    const topic = new sns.Topic(stack, 'Mine');
    new ProbePattern(stack, 'P', {
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
      monitoring: { alarmAction: AlarmAction.toTopic(topic), durationAlarmTimeoutFraction: 0.5 },
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 30,
      ReservedConcurrentExecutions: 5,
      Architectures: ['x86_64'],
      Description: 'mine',
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }),
      Environment: { Variables: { EXTRA: '1', POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_METRICS_NAMESPACE: 'Shop' } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 15000, AlarmActions: [{ Ref: Match.stringLikeRegexp('^Mine') }] });
    t.resourceCountIs('AWS::KMS::Key', 0); // no shared topic when the user gives one
  });

  test('AlarmAction.none() creates alarms without actions; alarms: false creates none', () => {
    const stack = new Stack(createTestApp(), 'NoActions');
    new ProbePattern(stack, 'A', { monitoring: { alarmAction: AlarmAction.none() } });
    new ProbePattern(stack, 'B', { monitoring: { alarms: false, dashboard: false } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('constructs in one stack share one alarm topic; alarm names never collide', () => {
    const stack = new Stack(createTestApp(), 'Shared');
    new ProbePattern(stack, 'A');
    new ProbePattern(stack, 'B');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties.AlarmName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Shared-A-Errors');
    expect(names).toContain('Shared-B-Errors');
  });

  test('without the async DLQ no queue is created', () => {
    const stack = new Stack(createTestApp(), 'NoDlq');
    new ProbePattern(stack, 'P', {}, false);
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 0);
  });
});

describe('core function bad props', () => {
  const cases: [string, object, RegExp][] = [
    ['memory too small', { memorySizeMb: 64 }, /invalid `memorySizeMb` \(got 64\)\. Use a whole number from 128 to 10240/],
    ['memory not integer', { memorySizeMb: 300.5 }, /invalid `memorySizeMb` \(got 300\.5\)/],
    ['timeout too long', { timeout: Duration.minutes(16) }, /invalid `timeout` \(got 16 minutes\)\. Use a whole number of seconds from 1 second to 15 minutes/],
    ['timeout too short', { timeout: Duration.millis(500) }, /invalid `timeout` \(got 500 millis\)/],
    ['timeout not whole seconds', { timeout: Duration.millis(1500) }, /invalid `timeout` \(got 1 second 500 millis\)/],
    ['negative reserved concurrency', { reservedConcurrentExecutions: -1 }, /invalid `reservedConcurrentExecutions` \(got -1\)/],
    ['empty service name', { serviceName: ' ' }, /invalid `serviceName` \(got " "\)\. Give a non-empty string/],
    ['empty namespace', { metricsNamespace: '' }, /invalid `metricsNamespace`/],
    ['duration fraction above 1', { monitoring: { durationAlarmTimeoutFraction: 1.5 } }, /invalid `monitoring.durationAlarmTimeoutFraction` \(got 1\.5\)/],
    ['duration fraction zero', { monitoring: { durationAlarmTimeoutFraction: 0 } }, /invalid `monitoring.durationAlarmTimeoutFraction` \(got 0\)/],
    ['wiring env overridden', { environment: { PROBE_TABLE: 'other' } }, /invalid `environment.PROBE_TABLE` \(got "other"\)\. PROBE_TABLE is set by the construct/],
  ];
  test.each(cases)('%s', (_name, options, message) => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new ProbePattern(stack, 'P', options)).toThrow(message);
  });

  test('errors name the construct and its path', () => {
    const stack = new Stack(createTestApp(), 'Bad');
    expect(() => new ProbePattern(stack, 'Deep', { memorySizeMb: 1 })).toThrow(/^ProbePattern Bad\/Deep: invalid/);
  });
});

describe('token timeout', () => {
  test('skips the duration alarm with a warning instead of failing', () => {
    const stack = new Stack(createTestApp(), 'Tok');
    const seconds = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number', default: 10 }).valueAsNumber;
    new ProbePattern(stack, 'P', { timeout: Duration.seconds(seconds) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    Annotations.fromStack(stack).hasWarning('/Tok/P/Function', Match.stringLikeRegexp('duration alarm was not created'));
  });
});

describe('core guards', () => {
  test('a token timeout in minutes is rejected with a clear message', () => {
    const stack = new Stack(createTestApp(), 'TokMin');
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(() => new ProbePattern(stack, 'P', { timeout: Duration.minutes(minutes) })).toThrow(
      /invalid `timeout` \(got a token Duration\)\. A token timeout must be given in seconds/,
    );
  });

  test('infinite log retention is rejected', () => {
    const stack = new Stack(createTestApp(), 'Ret');
    expect(() => new ProbePattern(stack, 'P', { logRetention: logs.RetentionDays.INFINITE })).toThrow(
      /invalid `logRetention` \(got "RetentionDays.INFINITE"\)\. Logs must expire/,
    );
  });

  test('a token duration fraction is rejected with a clear message', () => {
    const stack = new Stack(createTestApp(), 'Frac');
    const fraction = new CfnParameter(stack, 'Fraction', { type: 'Number' }).valueAsNumber;
    expect(() => new ProbePattern(stack, 'P', { monitoring: { durationAlarmTimeoutFraction: fraction } })).toThrow(
      /invalid `monitoring.durationAlarmTimeoutFraction` \(got "a token"\)\. The alarm threshold is computed at synth/,
    );
  });
});
