import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RecordIdempotencyKey, SqsBatchConsumer, SqsBatchConsumerProps } from '../../src/batch';
import { AlarmAction, HandlerCode, PowertoolsLogLevel } from '../../src/core';
import { IdempotencyTable } from '../../src/idempotency';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { collectFindings, Finding } from '../support/nag';

/** Every IAM statement in the template, flattened. */
function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: any): string[] => ([] as string[]).concat(s.Action);
const resourcesOf = (s: any): any[] => ([] as any[]).concat(s.Resource);

function logicalId(stack: Stack, construct: { node: { defaultChild?: any } }): string {
  return stack.getLogicalId(construct.node.defaultChild);
}

/** One app with three stacks, synthesized once (with cdk-nag) for every assertion below. */
let app: App;
let findings: Finding[];
let defaults: { stack: Stack; consumer: SqsBatchConsumer; template: Template };
let all: { stack: Stack; consumer: SqsBatchConsumer; template: Template; key: kms.Key; topic: sns.Topic };
let fifo: { stack: Stack; consumer: SqsBatchConsumer; template: Template };

beforeAll(() => {
  app = createTestApp();
  const d = new Stack(app, 'Defaults');
  const dc = new SqsBatchConsumer(d, 'Orders');

  const a = new Stack(app, 'AllOptions');
  const key = new kms.Key(a, 'QueueKey', { enableKeyRotation: true });
  const topic = new sns.Topic(a, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(a, 'TopicKey', { enableKeyRotation: true }) });
  const ac = new SqsBatchConsumer(a, 'Payments', {
    timeout: Duration.seconds(20),
    memorySizeMb: 512,
    logLevel: PowertoolsLogLevel.WARN,
    serviceName: 'payments',
    metricsNamespace: 'Shop',
    encryptionKey: key,
    maxReceiveCount: 5,
    visibilityTimeout: Duration.minutes(3),
    retentionPeriod: Duration.days(7),
    batchSize: 100,
    maxBatchingWindow: Duration.seconds(10),
    maxConcurrency: 5,
    filters: [lambda.FilterCriteria.filter({ body: { type: lambda.FilterRule.isEqual('payment') } })],
    enabled: false,
    correlationIdAttribute: 'traceId',
    oldestMessageAgeAlarmThreshold: Duration.minutes(30),
    idempotency: { key: RecordIdempotencyKey.fromBody('paymentId'), expiresAfter: Duration.hours(2) },
    monitoring: { alarmAction: AlarmAction.toTopic(topic) },
  });

  const f = new Stack(app, 'Fifo');
  const fc = new SqsBatchConsumer(f, 'Ledger', { fifo: true, contentBasedDeduplication: true, skipGroupOnError: true, batchSize: 5 });

  findings = collectFindings(app);
  defaults = { stack: d, consumer: dc, template: Template.fromStack(d) };
  all = { stack: a, consumer: ac, template: Template.fromStack(a), key, topic };
  fifo = { stack: f, consumer: fc, template: Template.fromStack(f) };
});

describe('cdk-nag and CloudFormation validation', () => {
  test('defaults, all options and FIFO have zero findings (AwsSolutions + Serverless + CFN validation)', () => {
    expect(findings).toEqual([]);
  });

  test('only the known false positives are acknowledged, each on its exact resource with a reason', () => {
    const acks = (construct: any): { [rule: string]: string } =>
      Object.assign({}, ...construct.node.metadata.filter((m: any) => m.type === 'aws:cdk:acknowledged-rules').map((m: any) => m.data));
    const { consumer } = defaults;
    expect(Object.keys(acks(consumer.function))).toEqual(['Annotation::Serverless-LambdaDLQ']);
    expect(acks(consumer.function)['Annotation::Serverless-LambdaDLQ']).toMatch(/invokes this function, synchronously/);
    expect(Object.keys(acks(consumer.eventSourceMapping))).toEqual(['Annotation::Serverless-LambdaEventSourceMappingDestination']);
    expect(Object.values(acks(consumer.eventSourceMapping))[0]).toMatch(/do not support on-failure destinations/);
    expect(Object.keys(acks(consumer.deadLetterQueue as sqs.Queue))).toEqual(['Annotation::Serverless-SQSRedrivePolicy']);
    // The source queue carries no acknowledgement: it is compliant on its own.
    expect(acks(consumer.queue as sqs.Queue)).toEqual({});
  });
});

describe('defaults', () => {
  test('a standard queue with SSE-SQS, 60 s visibility (6 × 10 s) and a redrive policy of 3 receives', () => {
    const { template, stack, consumer } = defaults;
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, consumer.deadLetterQueue as sqs.Queue), 'Arn'] }, maxReceiveCount: 3 },
      FifoQueue: Match.absent(),
      KmsMasterKeyId: Match.absent(),
      MessageRetentionPeriod: Match.absent(),
    });
  });

  test('the DLQ keeps messages 14 days, is encrypted, has no redrive policy of its own, and accepts only its source queue', () => {
    const { template, stack, consumer } = defaults;
    const dlq = template.toJSON().Resources[logicalId(stack, consumer.deadLetterQueue as sqs.Queue)];
    const source = template.toJSON().Resources[logicalId(stack, consumer.queue as sqs.Queue)];
    expect(source.Properties.QueueName).toBe('Defaults-Orders-Queue');
    expect(dlq.Properties).toEqual({
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':Defaults-Orders-Queue']] }],
      },
    });
  });

  test('a FIFO source queue keeps its .fifo name within the 80-character limit', () => {
    const stack = new Stack(createTestApp(), 'A'.repeat(60));
    const consumer = new SqsBatchConsumer(stack, 'VeryLongConsumerNameForTheLimit', { fifo: true });
    const name = Template.fromStack(stack).toJSON().Resources[logicalId(stack, consumer.queue as sqs.Queue)].Properties.QueueName;
    expect(name).toMatch(/^A+.*-[0-9a-f]{8}\.fifo$/);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  test('both queues deny requests without TLS', () => {
    const policies = defaults.template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies) as any[]) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  test('the event source mapping reports batch item failures, batch size 10, enabled, no window or concurrency cap', () => {
    const { template, stack, consumer } = defaults;
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      Enabled: true,
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack, consumer.queue as sqs.Queue), 'Arn'] },
      FunctionName: { Ref: logicalId(stack, consumer.function) },
      MaximumBatchingWindowInSeconds: Match.absent(),
      ScalingConfig: Match.absent(),
      FilterCriteria: Match.absent(),
    });
  });

  test('the function uses the core defaults, the batch template and the wiring env vars, with no async DLQ', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      DeadLetterConfig: Match.absent(),
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'Orders',
          POWERTOOLS_METRICS_NAMESPACE: 'Defaults',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          BATCH_QUEUE_TYPE: 'STANDARD',
          BATCH_SKIP_GROUP_ON_ERROR: 'false',
          BATCH_CORRELATION_ID_ATTRIBUTE: 'correlationId',
          BATCH_PROCESS_IN_PARALLEL: 'true',
        },
      },
    });
    defaults.template.resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  test('the function may consume the queue (and nothing else in SQS)', () => {
    const { template, stack, consumer } = defaults;
    const sqsStatements = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqsStatements).toHaveLength(1);
    expect(actionsOf(sqsStatements[0]).sort()).toEqual(
      ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'].sort(),
    );
    expect(resourcesOf(sqsStatements[0])).toEqual([{ 'Fn::GetAtt': [logicalId(stack, consumer.queue as sqs.Queue), 'Arn'] }]);
    for (const s of statements(template)) expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
  });

  test('alarms: DLQ not empty and oldest message age (critical), and the function set', () => {
    const { template, consumer } = defaults;
    expect(alarmsOf(template).map((a) => a.properties.AlarmName).sort()).toEqual([
      ...['DurationP90', 'DurationP99', 'ErrorRate', 'Errors', 'Throttles'].map((n) => `Defaults-Orders-Handler-${n}`),
      'Defaults-Orders-DeadLetterQueueMessages',
      'Defaults-Orders-OldestMessageAge',
    ].sort());
    expect(consumer.alarms).toHaveLength(alarmsOf(template).length);
    expect(alarmNamed(template, 'Orders-DeadLetterQueueMessages').properties.AlarmDescription).toMatch(/^\[critical\]/);
    expect(alarmNamed(template, 'Orders-OldestMessageAge').properties.AlarmDescription).toMatch(/^\[critical\]/);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'QueueName'] } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('ServerlessPowertoolsAlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 900,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersQueue'), 'QueueName'] } }],
    });
    for (const metric of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, Namespace: 'AWS/Lambda', Threshold: 0 });
    }
    expect(alarmNamed(template, 'Handler-DurationP99').properties.Threshold).toBe(8000);
  });

  test('a dashboard with queue depth, in-flight, age, DLQ depth, function metrics and records processed vs failed', () => {
    const { template, consumer } = defaults;
    expect(consumer.dashboard).toBeDefined();
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]);
    for (const text of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateAgeOfOldestMessage',
      'DLQ depth',
      'Invocations',
      'Throttles',
      'RecordsProcessed',
      'RecordsFailed',
      '\\"service\\",\\"Orders\\"',
    ]) {
      expect(body).toContain(text);
    }
  });

  test('exposes the created resources', () => {
    const { consumer } = defaults;
    expect(consumer.queue).toBeInstanceOf(sqs.Queue);
    expect(consumer.deadLetterQueue).toBeInstanceOf(sqs.Queue);
    expect(consumer.function).toBeInstanceOf(lambda.Function);
    expect(consumer.eventSourceMapping).toBeInstanceOf(lambda.EventSourceMapping);
    expect(consumer.recordIdempotencyTable).toBeUndefined();
    expect(consumer.fifo).toBe(false);
    expect(consumer.logGroup).toBeDefined();
    expect(consumer.role).toBeInstanceOf(iam.Role);
    expect(consumer.role).toBe(consumer.function.role);
  });
});

describe('all options', () => {
  test('both queues use the customer key; the source queue keeps the given visibility and retention', () => {
    const { template, stack, key } = all;
    const keyRef = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: keyRef,
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 604800,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyRef, MessageRetentionPeriod: 1209600, RedrivePolicy: Match.absent() });
  });

  test('the event source mapping carries batch size, window, concurrency, filters and enabled', () => {
    all.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
      Enabled: false,
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["payment"]}}' }] },
    });
  });

  test('function options and the idempotency/correlation wiring reach the function', () => {
    all.template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 20,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'payments',
          POWERTOOLS_METRICS_NAMESPACE: 'Shop',
          POWERTOOLS_LOG_LEVEL: 'WARN',
          BATCH_QUEUE_TYPE: 'STANDARD',
          BATCH_SKIP_GROUP_ON_ERROR: 'false',
          BATCH_CORRELATION_ID_ATTRIBUTE: 'traceId',
          IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('PaymentsIdempotencyTable') },
          IDEMPOTENCY_EVENT_KEY_JMESPATH: 'body | paymentId',
          IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '7200',
        },
      },
    });
  });

  test('an IdempotencyTable is created and the function gets exactly the four item actions on it', () => {
    const { template, consumer } = all;
    expect(consumer.recordIdempotencyTable).toBeDefined();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    const ddb = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(ddb).toHaveLength(1);
    expect(actionsOf(ddb[0]).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  test('the function may decrypt with the queue key', () => {
    const kmsActions = statements(all.template).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kmsActions.flatMap(actionsOf)).toContain('kms:Decrypt');
  });

  test('alarms go to the given topic, and the age alarm uses the given threshold', () => {
    const { template, stack, topic } = all;
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    const alarms = alarmsOf(template);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.properties.AlarmActions).toEqual([topicRef]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 1800 });
    expect(alarmNamed(template, 'Handler-DurationP99').properties.Threshold).toBe(16000);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('the dashboard graphs EMF records in the configured namespace and service', () => {
    const body = JSON.stringify(all.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('\\"Shop\\",\\"RecordsProcessed\\",\\"service\\",\\"payments\\"');
  });
});

describe('FIFO', () => {
  test('both queues are FIFO; the source uses content-based deduplication', () => {
    const { template } = fifo;
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: true, RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, MessageRetentionPeriod: 1209600, RedrivePolicy: Match.absent() });
  });

  test('the template is told to use the FIFO processor and skip failed groups', () => {
    fifo.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BATCH_QUEUE_TYPE: 'FIFO', BATCH_SKIP_GROUP_ON_ERROR: 'true' }) },
    });
    fifo.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
    expect(fifo.consumer.fifo).toBe(true);
  });
});

describe('snapshots', () => {
  test.each([
    ['defaults', () => defaults.template],
    ['all options', () => all.template],
    ['FIFO', () => fifo.template],
  ])('%s', (_name, template) => {
    expect(template().toJSON()).toMatchSnapshot();
  });

  test('the snapshot file exists and holds no raw asset hashes', () => {
    const file = path.join(__dirname, '__snapshots__', 'sqs-batch-consumer.test.ts.snap');
    expect(fs.existsSync(file)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('exports[`snapshots defaults 1`]');
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });
});

/** A fresh stack for the cheaper one-off tests (not synthesized with cdk-nag). */
function freshStack(): Stack {
  return new Stack(createTestApp(), 'One');
}

describe('derived values and warnings', () => {
  test('visibility timeout = 6 × function timeout + batching window', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { timeout: Duration.seconds(30), batchSize: 50, maxBatchingWindow: Duration.seconds(20) });
    Template.fromStack(s).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 200, RedrivePolicy: Match.anyValue() });
  });

  test('the age alarm default grows with visibility timeout × maxReceiveCount', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { timeout: Duration.minutes(5), maxReceiveCount: 4 }); // 1800 s × 4
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 7200 });
  });

  test('a visibility timeout below 6 × timeout + window is a warning, not an error', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { timeout: Duration.seconds(10), visibilityTimeout: Duration.seconds(30) });
    Annotations.fromStack(s).hasWarning('/One/C', Match.stringLikeRegexp('visibilityTimeout is 30 seconds, below .* 60 seconds'));
    Template.fromStack(s).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 30, RedrivePolicy: Match.anyValue() });
  });

  test('an idempotency expiry shorter than the redelivery span is a warning', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { idempotency: { expiresAfter: Duration.minutes(2) } });
    Annotations.fromStack(s).hasWarning('/One/C', Match.stringLikeRegexp('idempotency.expiresAfter \\(120 s\\) is shorter than .* \\(180 s\\)'));
  });

  test('more filters than the default quota is a warning', () => {
    const s = freshStack();
    const filters = [1, 2, 3, 4, 5, 6].map((n) => lambda.FilterCriteria.filter({ body: { n: lambda.FilterRule.isEqual(n) } }));
    new SqsBatchConsumer(s, 'C', { filters });
    Annotations.fromStack(s).hasWarning('/One/C', Match.stringLikeRegexp('6 filters exceed the default quota of 5'));
  });

  test('unresolved tokens are accepted; a token batching window gets the safe visibility timeout and a warning', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', {
      maxBatchingWindow: Duration.seconds(Lazy.number({ produce: () => 10 })),
      batchSize: Lazy.number({ produce: () => 5 }),
      maxReceiveCount: Lazy.number({ produce: () => 4 }),
      maxConcurrency: Lazy.number({ produce: () => 3 }),
    });
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 5700, RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 4 } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5, ScalingConfig: { MaximumConcurrency: 3 } });
    Annotations.fromStack(s).hasWarning('/One/C', Match.stringLikeRegexp('cannot be derived at synth'));
  });
});

describe('maxReceiveCount outside the recommended 3 to 5', () => {
  test.each([1, 2, 6, 1000])('%d is valid but a warning', (maxReceiveCount) => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { maxReceiveCount });
    Annotations.fromStack(s).hasWarning('/One/C', Match.stringLikeRegexp(`maxReceiveCount is ${maxReceiveCount}; 3 to 5 is recommended.*\\[ack: cdk-serverless-powertools:batchMaxReceiveCount\\]`));
    Template.fromStack(s).hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount }) });
  });

  test.each([undefined, 3, 5])('%s gives no warning', (maxReceiveCount) => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { maxReceiveCount });
    Annotations.fromStack(s).hasNoWarning('/One/C', Match.stringLikeRegexp('maxReceiveCount'));
  });
});

describe('token durations (CfnParameter)', () => {
  test('idempotency.expiresAfter in seconds reaches the environment as a reference', () => {
    const s = freshStack();
    const expiry = new CfnParameter(s, 'Expiry', { type: 'Number' });
    new SqsBatchConsumer(s, 'C', { idempotency: { expiresAfter: Duration.seconds(expiry.valueAsNumber) } });
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_EXPIRES_AFTER_SECONDS: { Ref: 'Expiry' } }) },
    });
  });

  test('oldestMessageAgeAlarmThreshold in seconds becomes the alarm threshold', () => {
    const s = freshStack();
    const age = new CfnParameter(s, 'Age', { type: 'Number' });
    new SqsBatchConsumer(s, 'C', { oldestMessageAgeAlarmThreshold: Duration.seconds(age.valueAsNumber) });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: { Ref: 'Age' },
      AlarmDescription: Match.stringLikeRegexp('older than the configured oldestMessageAgeAlarmThreshold'),
    });
  });

  test.each([
    ['idempotency.expiresAfter', (m: number): SqsBatchConsumerProps => ({ idempotency: { expiresAfter: Duration.minutes(m) } })],
    ['oldestMessageAgeAlarmThreshold', (m: number): SqsBatchConsumerProps => ({ oldestMessageAgeAlarmThreshold: Duration.minutes(m) })],
    ['visibilityTimeout', (m: number): SqsBatchConsumerProps => ({ visibilityTimeout: Duration.minutes(m) })],
    ['retentionPeriod', (m: number): SqsBatchConsumerProps => ({ retentionPeriod: Duration.minutes(m) })],
    ['maxBatchingWindow', (m: number): SqsBatchConsumerProps => ({ maxBatchingWindow: Duration.minutes(m) })],
  ])('%s as Duration.minutes(token) is a clear error naming the prop', (prop, props) => {
    const s = freshStack();
    const minutes = new CfnParameter(s, 'Minutes', { type: 'Number' });
    expect(() => new SqsBatchConsumer(s, 'C', props(minutes.valueAsNumber))).toThrow(
      new RegExp(`^SqsBatchConsumer One/C: invalid \`${prop.replace('.', '\\.')}\` \\(got a token Duration\\)\\. It is a token in minutes, .*Duration\\.seconds\\(param\\.valueAsNumber\\)`),
    );
  });
});

describe('shared sort-key idempotency table', () => {
  test('an IdempotencyTable with a sort key: the sort key and static partition value reach the template', () => {
    const s = freshStack();
    const shared = new IdempotencyTable(s, 'Shared', { sortKeyName: 'sk' });
    const consumer = new SqsBatchConsumer(s, 'C', { idempotency: { table: shared.table, staticPartitionKeyValue: 'orders-consumer' } });
    expect(consumer.recordIdempotencyTable).toBe(shared.table);
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          IDEMPOTENCY_TABLE_NAME: { Ref: s.getLogicalId(shared.table.node.defaultChild as dynamodb.CfnTable) },
          IDEMPOTENCY_SORT_KEY_ATTR: 'sk',
          IDEMPOTENCY_STATIC_PK_VALUE: 'orders-consumer',
        }),
      },
    });
  });

  test('an imported table takes the sort key from sortKeyName', () => {
    const s = freshStack();
    const table = dynamodb.Table.fromTableName(s, 'Imported', 'shared-idempotency');
    new SqsBatchConsumer(s, 'C', { idempotency: { table, sortKeyName: 'sk', staticPartitionKeyValue: 'orders' } });
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE_NAME: 'shared-idempotency', IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'orders' }) },
    });
  });

  test('without a sort key, neither variable is set', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { idempotency: {} });
    const vars = (Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'))[0] as any).Properties.Environment.Variables;
    expect(vars.IDEMPOTENCY_TABLE_NAME).toBeDefined();
    expect(vars).not.toHaveProperty('IDEMPOTENCY_SORT_KEY_ATTR');
    expect(vars).not.toHaveProperty('IDEMPOTENCY_STATIC_PK_VALUE');
  });
});

describe('existing queues', () => {
  test('consumes an existing queue without creating queues, alarming on the given DLQ', () => {
    const s = freshStack();
    const dlq = new sqs.Queue(s, 'ExistingDlq', { enforceSSL: true, retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(s, 'Existing', { enforceSSL: true, visibilityTimeout: Duration.minutes(2), deadLetterQueue: { queue: dlq, maxReceiveCount: 4 } });
    const consumer = new SqsBatchConsumer(s, 'C', { existingQueue: queue, existingDeadLetterQueue: dlq });
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(consumer.queue).toBe(queue);
    expect(consumer.deadLetterQueue).toBe(dlq);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [s.getLogicalId(queue.node.defaultChild as sqs.CfnQueue), 'Arn'] } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [s.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue), 'QueueName'] } }],
    });
  });

  test('an imported FIFO queue switches the template to the FIFO processor; no DLQ means no DLQ alarm', () => {
    const s = freshStack();
    const queue = sqs.Queue.fromQueueArn(s, 'Imported', 'arn:aws:sqs:us-east-1:123456789012:ledger.fifo');
    const consumer = new SqsBatchConsumer(s, 'C', { existingQueue: queue, skipGroupOnError: true });
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ BATCH_QUEUE_TYPE: 'FIFO', BATCH_SKIP_GROUP_ON_ERROR: 'true' }) } });
    expect(consumer.deadLetterQueue).toBeUndefined();
    expect(alarmsOf(template).filter((a) => a.metricNames.includes('ApproximateNumberOfMessagesVisible'))).toEqual([]);
    expect(alarmsOf(template).some((a) => a.metricNames.includes('ApproximateAgeOfOldestMessage'))).toBe(true);
  });

  test('an existing idempotency table is used as is and granted the four actions', () => {
    const s = freshStack();
    const table = dynamodb.Table.fromTableName(s, 'Shared', 'shared-idempotency');
    const consumer = new SqsBatchConsumer(s, 'C', { idempotency: { table } });
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(consumer.recordIdempotencyTable).toBe(table);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE_NAME: 'shared-idempotency', IDEMPOTENCY_EVENT_KEY_JMESPATH: 'messageId', IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600' }) },
    });
    const ddb = statements(template).filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
    expect(actionsOf(ddb[0]).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });
});

describe('grantRedriveFromDeadLetterQueue', () => {
  test('grants the move-task actions on the DLQ and SendMessage on the source queue, nothing wider', () => {
    const s = freshStack();
    const key = new kms.Key(s, 'Key');
    const consumer = new SqsBatchConsumer(s, 'C', { encryptionKey: key });
    const operator = new iam.Role(s, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    consumer.grantRedriveFromDeadLetterQueue(operator);
    const template = Template.fromStack(s);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) =>
      p.Properties.Roles.some((r: any) => r.Ref === s.getLogicalId(operator.node.defaultChild as iam.CfnRole)),
    ) as any;
    const st = policy.Properties.PolicyDocument.Statement;
    const dlqArn = { 'Fn::GetAtt': [s.getLogicalId((consumer.deadLetterQueue as sqs.Queue).node.defaultChild as sqs.CfnQueue), 'Arn'] };
    const queueArn = { 'Fn::GetAtt': [s.getLogicalId((consumer.queue as sqs.Queue).node.defaultChild as sqs.CfnQueue), 'Arn'] };
    const onDlq = st.filter((x: any) => JSON.stringify(x.Resource) === JSON.stringify(dlqArn)).flatMap(actionsOf);
    const onQueue = st.filter((x: any) => JSON.stringify(x.Resource) === JSON.stringify(queueArn)).flatMap(actionsOf);
    expect(onDlq.sort()).toEqual(
      ['sqs:CancelMessageMoveTask', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:StartMessageMoveTask'].sort(),
    );
    expect(onQueue).toContain('sqs:SendMessage');
    expect(onQueue.every((a: string) => ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].includes(a))).toBe(true);
    expect(st.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kms:Decrypt']));
    for (const x of st) {
      expect(actionsOf(x).some((a) => a.includes('*'))).toBe(false);
      expect(resourcesOf(x)).not.toContain('*');
    }
  });

  test('without a DLQ it explains what is missing', () => {
    const s = freshStack();
    const consumer = new SqsBatchConsumer(s, 'C', { existingQueue: sqs.Queue.fromQueueArn(s, 'Q', 'arn:aws:sqs:us-east-1:123456789012:q') });
    expect(() => consumer.grantRedriveFromDeadLetterQueue(new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }))).toThrow(
      /needs a dead-letter queue; with existingQueue, also pass existingDeadLetterQueue/,
    );
  });
});

describe('bring your own handler', () => {
  test('HandlerCode.fromEntry wraps a processRecord module with the template (bundled at synth)', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', { handlerCode: HandlerCode.fromEntry(path.join(__dirname, '..', '..', 'examples', 'batch', 'process-order.ts')) });
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Environment: { Variables: Match.objectLike({ BATCH_QUEUE_TYPE: 'STANDARD' }) },
    });
  });

  test('HandlerCode.fromCode runs any runtime and still gets the wiring env vars and the queue', () => {
    const s = freshStack();
    new SqsBatchConsumer(s, 'C', {
      fifo: true,
      handlerCode: HandlerCode.fromCode(lambda.Code.fromInline('def handler(event, context):\n    return {"batchItemFailures": []}'), 'index.handler', lambda.Runtime.PYTHON_3_13),
    });
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.13',
      Environment: { Variables: Match.objectLike({ BATCH_QUEUE_TYPE: 'FIFO', BATCH_CORRELATION_ID_ATTRIBUTE: 'correlationId' }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });
});

describe('bad props', () => {
  const dlqOf = (s: Stack) => new sqs.Queue(s, 'Dlq');
  const cases: [string, (s: Stack) => SqsBatchConsumerProps, RegExp][] = [
    ['maxReceiveCount 0', () => ({ maxReceiveCount: 0 }), /invalid `maxReceiveCount` \(got 0\)\. Use a whole number from 1 to 1000/],
    ['maxReceiveCount 1001', () => ({ maxReceiveCount: 1001 }), /invalid `maxReceiveCount` \(got 1001\)/],
    ['batchSize 0', () => ({ batchSize: 0 }), /invalid `batchSize` \(got 0\)\. Use a whole number from 1 to 10000/],
    ['batchSize 11 without a window', () => ({ batchSize: 11 }), /invalid `batchSize` \(got 11\)\. A batch size above 10 needs a batching window; set maxBatchingWindow/],
    ['batchSize 11 on FIFO', () => ({ fifo: true, batchSize: 11 }), /invalid `batchSize` \(got 11\)\. FIFO queues deliver at most 10 records/],
    ['a batching window on FIFO', () => ({ fifo: true, maxBatchingWindow: Duration.seconds(5) }), /invalid `maxBatchingWindow` \(got 5 seconds\)\. Lambda does not support a batching window on FIFO/],
    ['a batching window over 5 minutes', () => ({ maxBatchingWindow: Duration.minutes(6) }), /invalid `maxBatchingWindow` \(got 6 minutes\)\. Use a Duration from 0 to 5 minutes/],
    ['maxConcurrency 1', () => ({ maxConcurrency: 1 }), /invalid `maxConcurrency` \(got 1\)\. Use a whole number from 2 to 1000/],
    ['maxConcurrency 1001', () => ({ maxConcurrency: 1001 }), /invalid `maxConcurrency` \(got 1001\)/],
    ['visibility below the function timeout', () => ({ timeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(20) }), /invalid `visibilityTimeout` \(got 20 seconds\)\. It must be at least the function timeout \(30 seconds\).*recommends 180 seconds/],
    ['visibility over 12 hours', () => ({ visibilityTimeout: Duration.hours(13) }), /invalid `visibilityTimeout` \(got 13 hours\)\. SQS allows at most 12 hours/],
    ['skipGroupOnError on a standard queue', () => ({ skipGroupOnError: true }), /invalid `skipGroupOnError` \(got true\)\. Message groups exist only on FIFO queues/],
    ['contentBasedDeduplication on a standard queue', () => ({ contentBasedDeduplication: true }), /invalid `contentBasedDeduplication` \(got true\)\. Content-based deduplication exists only on FIFO/],
    ['retention under a minute', () => ({ retentionPeriod: Duration.seconds(30) }), /invalid `retentionPeriod` \(got 30 seconds\)\. SQS keeps messages from 1 minute to 14 days/],
    ['retention over 14 days', () => ({ retentionPeriod: Duration.days(15) }), /invalid `retentionPeriod` \(got 15 days\)/],
    ['existingQueue with maxReceiveCount', (s) => ({ existingQueue: dlqOf(s), maxReceiveCount: 5 }), /invalid `maxReceiveCount` \(got 5\)\. It shapes the queue the construct creates, but existingQueue was given/],
    ['existingQueue with fifo', (s) => ({ existingQueue: dlqOf(s), fifo: true }), /invalid `fifo` \(got true\)\. It shapes the queue/],
    ['existingDeadLetterQueue without existingQueue', (s) => ({ existingDeadLetterQueue: dlqOf(s) }), /invalid `existingDeadLetterQueue` \(got "One\/Dlq"\)\. It describes the DLQ of an existingQueue/],
    ['a correlation attribute with a space', () => ({ correlationIdAttribute: 'correlation id' }), /invalid `correlationIdAttribute` \(got "correlation id"\)\. Use an SQS message attribute name/],
    ['a reserved correlation attribute', () => ({ correlationIdAttribute: 'AWS.TraceHeader' }), /invalid `correlationIdAttribute` \(got "AWS\.TraceHeader"\)/],
    ['an age threshold under a minute', () => ({ oldestMessageAgeAlarmThreshold: Duration.seconds(30) }), /invalid `oldestMessageAgeAlarmThreshold` \(got 30 seconds\)\. Use a Duration from 1 minute to 14 days/],
    ['an idempotency expiry under a second', () => ({ idempotency: { expiresAfter: Duration.millis(500) } }), /invalid `idempotency\.expiresAfter` \(got 500 millis\)\. Use a whole number of seconds/],
    ['an invalid body JMESPath', () => ({ idempotency: { key: RecordIdempotencyKey.fromBody('order..id') } }), /invalid `idempotency\.key` \(got "order\.\.id"\)\. It is not a valid JMESPath expression \(.*parse error/],
    ['an unknown JMESPath function', () => ({ idempotency: { key: RecordIdempotencyKey.fromBody('nope(orderId)') } }), /invalid `idempotency\.key` \(got "nope\(orderId\)"\)\. It is not a valid JMESPath expression \(Unknown function/],
    ['overriding a wiring env var', () => ({ environment: { BATCH_QUEUE_TYPE: 'FIFO' } }), /invalid `environment\.BATCH_QUEUE_TYPE` \(got "FIFO"\)\. Variables starting with BATCH_ configure the construct's template/],
    ['a core function prop (memory)', () => ({ memorySizeMb: 64 }), /invalid `memorySizeMb` \(got 64\)/],
    ['IDEMPOTENCY_TABLE_NAME through environment', () => ({ environment: { IDEMPOTENCY_TABLE_NAME: 'x' } }), /invalid `environment\.IDEMPOTENCY_TABLE_NAME` \(got "x"\)\. Variables starting with IDEMPOTENCY_ configure the construct's template/],
    ['another IDEMPOTENCY_ variable through environment', () => ({ idempotency: {}, environment: { IDEMPOTENCY_SORT_KEY_ATTR: 'sk' } }), /invalid `environment\.IDEMPOTENCY_SORT_KEY_ATTR` \(got "sk"\)\. Variables starting with IDEMPOTENCY_/],
    ['an unknown BATCH_ variable through environment', () => ({ environment: { BATCH_EXTRA: '1' } }), /invalid `environment\.BATCH_EXTRA` \(got "1"\)\. Variables starting with BATCH_/],
    [
      'a sort-key table without a static partition value',
      (s) => ({ idempotency: { table: new IdempotencyTable(s, 'Shared', { sortKeyName: 'sk' }).table } }),
      /invalid `idempotency\.staticPartitionKeyValue` \(got undefined\)\. The table has the sort key "sk" \(shared-table layout\)/,
    ],
    [
      'an imported table with sortKeyName but no static partition value',
      (s) => ({ idempotency: { table: dynamodb.Table.fromTableName(s, 'T', 't'), sortKeyName: 'sk' } }),
      /invalid `idempotency\.staticPartitionKeyValue` \(got undefined\)\. The table has the sort key "sk"/,
    ],
    ['a static partition value without a sort key', () => ({ idempotency: { staticPartitionKeyValue: 'orders' } }), /invalid `idempotency\.staticPartitionKeyValue` \(got "orders"\)\. It only applies to a table with a sort key/],
    [
      'a table whose partition key is not id',
      (s) => ({ idempotency: { table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }) } }),
      /invalid `idempotency\.table` \(got "One\/T"\)\. Its partition key is pk \(S\), but Powertools idempotency needs a single String partition key named "id"/,
    ],
    [
      'a table with a Number sort key',
      (s) => ({
        idempotency: {
          table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'n', type: dynamodb.AttributeType.NUMBER } }),
          staticPartitionKeyValue: 'x',
        },
      }),
      /invalid `idempotency\.table` .*needs one String sort key/,
    ],
    [
      'sortKeyName different from the table\'s sort key',
      (s) => ({ idempotency: { table: new IdempotencyTable(s, 'Shared', { sortKeyName: 'sk' }).table, sortKeyName: 'other', staticPartitionKeyValue: 'x' } }),
      /invalid `idempotency\.sortKeyName` \(got "other"\)\. The table's sort key is "sk"/,
    ],
    ['sortKeyName on the created table (no sort key)', () => ({ idempotency: { sortKeyName: 'sk', staticPartitionKeyValue: 'x' } }), /invalid `idempotency\.sortKeyName` \(got "sk"\)\. The table's sort key is absent/],
    ['sortKeyName "id"', (s) => ({ idempotency: { table: dynamodb.Table.fromTableName(s, 'T', 't'), sortKeyName: 'id', staticPartitionKeyValue: 'x' } }), /invalid `idempotency\.sortKeyName` \(got "id"\)\. The sort key must differ from the partition key "id"/],
    ['an empty static partition value', (s) => ({ idempotency: { table: dynamodb.Table.fromTableName(s, 'T', 't'), sortKeyName: 'sk', staticPartitionKeyValue: ' ' } }), /invalid `idempotency\.staticPartitionKeyValue` \(got " "\)\. Give a non-empty string/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    const s = freshStack();
    expect(() => new SqsBatchConsumer(s, 'C', props(s))).toThrow(message);
  });

  test('every error names the construct path', () => {
    const s = freshStack();
    expect(() => new SqsBatchConsumer(s, 'Orders', { maxReceiveCount: 0 })).toThrow(/^SqsBatchConsumer One\/Orders: /);
  });
});
