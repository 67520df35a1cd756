import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmAction, StreamBatchConsumer, StreamBatchConsumerProps, StreamFailureDestination, StreamSource } from '../../src';
import { maskVersionIds } from '../../src/testing';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp, createTestStack } from '../support/app';
import { collectFindings, Finding } from '../support/nag';

function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: any): string[] => ([] as string[]).concat(s.Action);
const resourcesOf = (s: any): any[] => ([] as any[]).concat(s.Resource);
const logicalId = (stack: Stack, construct: { node: { defaultChild?: any } }): string => stack.getLogicalId(construct.node.defaultChild ?? construct);
const getAtt = (stack: Stack, construct: { node: { defaultChild?: any } }, attr: string) => ({ 'Fn::GetAtt': [logicalId(stack, construct), attr] });
const statementWith = (template: Template, action: string) => statements(template).filter((s) => actionsOf(s).includes(action));

let app: App;
let findings: Finding[];
let defaults: { stack: Stack; consumer: StreamBatchConsumer; template: Template };
let all: { stack: Stack; consumer: StreamBatchConsumer; template: Template; key: kms.Key; topic: sns.Topic };
let ddb: { stack: Stack; consumer: StreamBatchConsumer; template: Template; table: dynamodb.Table; queue: sqs.Queue; queueKey: kms.Key };

beforeAll(() => {
  app = createTestApp();
  const d = new Stack(app, 'Defaults');
  const dc = new StreamBatchConsumer(d, 'Events');

  const a = new Stack(app, 'AllOptions');
  const key = new kms.Key(a, 'StreamKey', { enableKeyRotation: true });
  const topicKey = new kms.Key(a, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(a, 'Failures', { enforceSSL: true, masterKey: topicKey });
  const vpc = new ec2.Vpc(a, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addFlowLog('FlowLog');
  const ac = new StreamBatchConsumer(a, 'Clicks', {
    streamEncryptionKey: key,
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 500,
    maxBatchingWindow: Duration.seconds(10),
    parallelizationFactor: 4,
    retryAttempts: 5,
    maxRecordAge: Duration.hours(6),
    bisectBatchOnError: false,
    tumblingWindow: Duration.minutes(1),
    filters: [lambda.FilterCriteria.filter({ data: { type: lambda.FilterRule.isEqual('click') } })],
    enabled: false,
    onFailure: StreamFailureDestination.topic(topic),
    consumerName: 'clicks-efo',
    iteratorAgeAlarmThreshold: Duration.minutes(5),
    alias: 'live',
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    serviceName: 'clicks',
    monitoring: { alarmAction: AlarmAction.toTopic(topic) },
  });

  const t = new Stack(app, 'DynamoDb');
  const table = new dynamodb.Table(t, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: new kms.Key(t, 'TableKey', { enableKeyRotation: true }),
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const queueKey = new kms.Key(t, 'QueueKey', { enableKeyRotation: true });
  const queue = new sqs.Queue(t, 'Failed', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  // What a user does for their own on-failure queue: it is a dead-letter queue itself.
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: 'The on-failure destination of a stream consumer is a dead-letter queue.' },
    { id: 'Serverless-SQSRedrivePolicy', reason: 'A dead-letter queue has no dead-letter queue of its own.' },
  );
  const tc = new StreamBatchConsumer(t, 'OrderChanges', { source: StreamSource.dynamoDb(table), onFailure: StreamFailureDestination.queue(queue) });

  findings = collectFindings(app);
  defaults = { stack: d, consumer: dc, template: Template.fromStack(d) };
  all = { stack: a, consumer: ac, template: Template.fromStack(a), key, topic };
  ddb = { stack: t, consumer: tc, template: Template.fromStack(t), table, queue, queueKey };
});

describe('cdk-nag and CloudFormation validation', () => {
  test('defaults, all options and a DynamoDB source have zero findings (AwsSolutions + Serverless + CFN validation)', () => {
    expect(findings).toEqual([]);
  });

  test('acknowledgements are on exact resources, each with a reason', () => {
    const acks = (construct: any): { [rule: string]: string } =>
      Object.assign({}, ...construct.node.metadata.filter((m: any) => m.type === 'aws:cdk:acknowledged-rules').map((m: any) => m.data));
    expect(Object.keys(acks(defaults.consumer.function))).toEqual(['Annotation::Serverless-LambdaDLQ']);
    expect(acks(defaults.consumer.function)['Annotation::Serverless-LambdaDLQ']).toMatch(/stream event source mapping invokes this function/);
    // The mapping has a real on-failure destination: nothing to acknowledge.
    expect(acks(defaults.consumer.eventSourceMapping)).toEqual({});
    expect(Object.keys(acks(defaults.consumer.onFailureQueue as sqs.Queue)).sort()).toEqual(
      ['Annotation::AwsSolutions-SQS3', 'Annotation::Serverless-SQSRedrivePolicy', 'cdk-validator-cfnguard::sqs_dlq_check'].sort(),
    );
    expect(acks(defaults.consumer.stream as kinesis.Stream)).toEqual({});
    expect(acks(all.consumer.stream as kinesis.Stream)['Annotation::AwsSolutions-KDS3']).toMatch(/streamEncryptionKey was given/);
    // ListStreams is scoped to the stream ARN: nothing DynamoDB-specific to acknowledge on the role.
    expect(JSON.stringify(acks(ddb.consumer.role))).not.toMatch(/ListStreams/);
  });
});

describe('defaults', () => {
  test('an on-demand Kinesis stream, SSE-KMS with aws/kinesis, 24 h retention', () => {
    defaults.template.resourceCountIs('AWS::Kinesis::Stream', 1);
    defaults.template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 24,
      ShardCount: Match.absent(),
    });
    expect(defaults.consumer.table).toBeUndefined();
    expect(defaults.consumer.eventSourceArn).toBe((defaults.consumer.stream as kinesis.Stream).streamArn);
  });

  test('the mapping: partial batch responses, bisect, 3 retries, 24 h record age, LATEST, 100 records, the on-failure queue', () => {
    const { template, stack, consumer } = defaults;
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 86400,
      StartingPosition: 'LATEST',
      BatchSize: 100,
      Enabled: true,
      EventSourceArn: getAtt(stack, consumer.stream as kinesis.Stream, 'Arn'),
      FunctionName: { Ref: logicalId(stack, consumer.function) },
      DestinationConfig: { OnFailure: { Destination: getAtt(stack, consumer.onFailureQueue as sqs.Queue, 'Arn') } },
      MaximumBatchingWindowInSeconds: Match.absent(),
      ParallelizationFactor: Match.absent(),
      TumblingWindowInSeconds: Match.absent(),
      FilterCriteria: Match.absent(),
    });
  });

  test('the on-failure queue: SSE-SQS, TLS only, 14 days, accepts no redrive source', () => {
    const { template, stack, consumer } = defaults;
    const queue = template.toJSON().Resources[logicalId(stack, consumer.onFailureQueue as sqs.Queue)];
    expect(queue.Properties).toEqual({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true, RedriveAllowPolicy: { redrivePermission: 'denyAll' } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(consumer.onFailureTopic).toBeUndefined();
  });

  test('the function: core defaults, the stream template, KINESIS, no async DLQ', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: Match.absent(),
      Environment: { Variables: Match.objectLike({ STREAM_SOURCE_TYPE: 'KINESIS', POWERTOOLS_SERVICE_NAME: 'Events' }) },
    });
  });

  test('IAM: exactly the Kinesis read actions on the stream, send on the on-failure queue, no wildcard action, no KMS', () => {
    const { template, stack, consumer } = defaults;
    const kinesisStatements = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
    expect(kinesisStatements).toHaveLength(1);
    expect(actionsOf(kinesisStatements[0]).sort()).toEqual(
      ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'].sort(),
    );
    expect(resourcesOf(kinesisStatements[0])).toEqual([getAtt(stack, consumer.stream as kinesis.Stream, 'Arn')]);
    const send = statementWith(template, 'sqs:SendMessage');
    expect(send).toHaveLength(1);
    expect(actionsOf(send[0]).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(resourcesOf(send[0])).toEqual([getAtt(stack, consumer.onFailureQueue as sqs.Queue, 'Arn')]);
    for (const s of statements(template)) expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
    expect(statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([]);
  });

  test('alarms: iterator age > 60 s and the on-failure queue (critical, missing data not breaching), plus the function set', () => {
    const { template, consumer } = defaults;
    expect(alarmsOf(template).map((a) => a.properties.AlarmName).sort()).toEqual([
      ...['DurationP90', 'DurationP99', 'ErrorRate', 'Errors', 'Throttles'].map((n) => `Defaults-Events-Handler-${n}`),
      'Defaults-Events-IteratorAge',
      'Defaults-Events-OnFailureQueueMessages',
    ].sort());
    expect(consumer.alarms).toHaveLength(alarmsOf(template).length);
    const age = alarmNamed(template, 'Events-IteratorAge').properties;
    expect(age).toMatchObject({
      MetricName: 'IteratorAge',
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 60000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(age.AlarmDescription).toMatch(/^\[critical\]/);
    const depth = alarmNamed(template, 'Events-OnFailureQueueMessages').properties;
    expect(depth).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, TreatMissingData: 'notBreaching' });
    expect(depth.AlarmDescription).toMatch(/^\[critical\]/);
  });

  test('dashboard: a stream row (iterator age, incoming records), the function rows, EMF records processed and failed', () => {
    const dashboard = defaults.template.toJSON().Resources[logicalId(defaults.stack, defaults.consumer.dashboard!)];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const text of ['Iterator age (ms)', 'Incoming records', 'IncomingRecords', 'RecordsProcessed', 'RecordsFailed', 'Function Defaults/Events']) {
      expect(body).toContain(text);
    }
  });

  test('snapshot', () => {
    expect(defaults.template.toJSON()).toMatchSnapshot();
  });
});

describe('all options', () => {
  test('the mapping carries every option and reads through the enhanced fan-out consumer, invoking the alias', () => {
    const { template, stack, consumer } = all;
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', { ConsumerName: 'clicks-efo', StreamARN: getAtt(stack, consumer.stream as kinesis.Stream, 'Arn') });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(stack, consumer.streamConsumer!, 'ConsumerARN'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 10,
      ParallelizationFactor: 4,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 21600,
      BisectBatchOnFunctionError: false,
      TumblingWindowInSeconds: 60,
      Enabled: false,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { type: ['click'] } }) }] },
      DestinationConfig: { OnFailure: { Destination: { Ref: logicalId(stack, all.topic) } } },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const esm = Object.values<any>(template.findResources('AWS::Lambda::EventSourceMapping'))[0];
    expect(JSON.stringify(esm.Properties.FunctionName)).toContain(`"Ref":"${logicalId(stack, consumer.handler.alias!)}"`);
    expect(esm.DependsOn).toEqual(expect.arrayContaining([logicalId(stack, consumer.streamConsumer!)]));
  });

  test('the created stream uses the given customer managed key', () => {
    all.template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: getAtt(all.stack, all.key, 'Arn') },
    });
  });

  test('IAM: fan-out actions on the consumer only, kms:Decrypt on the stream key, sns:Publish + key use on the topic', () => {
    const { template, stack, consumer } = all;
    const fanOut = statementWith(template, 'kinesis:SubscribeToShard');
    expect(fanOut).toHaveLength(1);
    expect(actionsOf(fanOut[0]).sort()).toEqual(['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard']);
    expect(resourcesOf(fanOut[0])).toEqual([getAtt(stack, consumer.streamConsumer!, 'ConsumerARN')]);
    const decrypt = statements(template).filter((s) => actionsOf(s).includes('kms:Decrypt') && JSON.stringify(s.Resource).includes(logicalId(stack, all.key)));
    expect(decrypt).toHaveLength(1);
    expect(actionsOf(decrypt[0])).toEqual(['kms:Decrypt']);
    const publish = statementWith(template, 'sns:Publish');
    expect(resourcesOf(publish[0])).toEqual([{ Ref: logicalId(stack, all.topic) }]);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    for (const s of statements(template)) expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
  });

  test('alarms: iterator age at the given threshold and lost deliveries to the on-failure topic', () => {
    const { template } = all;
    expect(alarmNamed(template, 'Clicks-IteratorAge').properties.Threshold).toBe(300000);
    const lost = alarmNamed(template, 'Clicks-OnFailureDeliveryFailures').properties;
    expect(lost).toMatchObject({ MetricName: 'DestinationDeliveryFailures', Threshold: 0, TreatMissingData: 'notBreaching' });
    expect(lost.AlarmDescription).toMatch(/^\[critical\]/);
    expect(all.consumer.onFailureTopic).toBe(all.topic);
  });

  test('snapshot', () => {
    // The alias points at a version whose logical id hashes the code: masked, like asset hashes.
    expect(maskVersionIds(all.template.toJSON())).toMatchSnapshot();
  });
});

describe('DynamoDB source', () => {
  test('reads the table stream with the four DynamoDB stream read actions (ListStreams too) on the stream ARN only, and kms:Decrypt on the table key', () => {
    const { template, stack, table } = ddb;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(stack, table, 'StreamArn'),
      MaximumRecordAgeInSeconds: 86400,
      TumblingWindowInSeconds: Match.absent(),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ STREAM_SOURCE_TYPE: 'DYNAMODB' }) } });
    const read = statementWith(template, 'dynamodb:GetRecords');
    expect(read).toHaveLength(1);
    expect(actionsOf(read[0]).sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    expect(resourcesOf(read[0])).toEqual([getAtt(stack, table, 'StreamArn')]);
    // No statement anywhere grants a DynamoDB action on "*".
    expect(statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')) && resourcesOf(s).includes('*'))).toEqual([]);
    const decrypt = statements(template).filter((s) => actionsOf(s).includes('kms:Decrypt') && JSON.stringify(s.Resource).includes('TableKey'));
    expect(actionsOf(decrypt[0])).toEqual(['kms:Decrypt']);
    template.resourceCountIs('AWS::Kinesis::Stream', 0);
    expect(ddb.consumer.stream).toBeUndefined();
    expect(ddb.consumer.table).toBe(table);
  });

  test('the given on-failure queue: send plus exact key actions (no kms wildcards), and its depth alarm', () => {
    const { template, stack, queue, queueKey } = ddb;
    template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(resourcesOf(statementWith(template, 'sqs:SendMessage')[0])).toEqual([getAtt(stack, queue, 'Arn')]);
    const keyUse = statements(template).filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack, queueKey)));
    expect(actionsOf(keyUse[0]).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    for (const s of statements(template)) expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
    expect(alarmNamed(template, 'OrderChanges-OnFailureQueueMessages').properties.Threshold).toBe(0);
  });

  test('every view type is accepted; a table without a stream fails naming `source`', () => {
    for (const view of Object.values(dynamodb.StreamViewType)) {
      const stack = createTestStack();
      const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: view });
      expect(() => new StreamBatchConsumer(stack, 'C', { source: StreamSource.dynamoDb(table) })).not.toThrow();
    }
    const stack = createTestStack();
    const table = new dynamodb.Table(stack, 'NoStream', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => new StreamBatchConsumer(stack, 'C', { source: StreamSource.dynamoDb(table) })).toThrow(
      /invalid `source` \(got "StreamSource.dynamoDb\(TestStack\/NoStream\)"\)\. The table has no stream\. Set `stream: dynamodb.StreamViewType/,
    );
  });

  test('an imported table with tableStreamArn works', () => {
    const stack = createTestStack();
    const table = dynamodb.Table.fromTableAttributes(stack, 'T', {
      tableName: 'orders',
      tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
    });
    new StreamBatchConsumer(stack, 'C', { source: StreamSource.dynamoDb(table) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: table.tableStreamArn });
  });
});

describe('a given Kinesis stream', () => {
  test('is read as is (no stream created) with kms:Decrypt on its customer key', () => {
    const stack = createTestStack();
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
    const stream = new kinesis.Stream(stack, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    const consumer = new StreamBatchConsumer(stack, 'C', { source: StreamSource.kinesis(stream) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    expect(consumer.stream).toBe(stream);
    const decrypt = statements(template).filter((s) => actionsOf(s).includes('kms:Decrypt'));
    expect(decrypt).toHaveLength(1);
    expect(resourcesOf(decrypt[0])).toEqual([getAtt(stack, key, 'Arn')]);
  });
});

describe('bad props fail with an error naming the prop, the value and the fix', () => {
  const table = (stack: Stack) =>
    new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
  const cases: Array<[string, (stack: Stack) => StreamBatchConsumerProps, RegExp]> = [
    ['batchSize 0', () => ({ batchSize: 0 }), /invalid `batchSize` \(got 0\)\. Use a whole number from 1 to 10000/],
    ['batchSize 10001', () => ({ batchSize: 10001 }), /invalid `batchSize` \(got 10001\)/],
    ['parallelizationFactor 0', () => ({ parallelizationFactor: 0 }), /invalid `parallelizationFactor` \(got 0\)\. Use a whole number from 1 to 10/],
    ['parallelizationFactor 11', () => ({ parallelizationFactor: 11 }), /invalid `parallelizationFactor` \(got 11\)/],
    ['retryAttempts -1', () => ({ retryAttempts: -1 }), /invalid `retryAttempts` \(got -1\)\. Unlimited retries would block the shard/],
    ['retryAttempts 10001', () => ({ retryAttempts: 10001 }), /invalid `retryAttempts` \(got 10001\)\. Use a whole number from 0 to 10000/],
    ['maxBatchingWindow 301 s', () => ({ maxBatchingWindow: Duration.seconds(301) }), /invalid `maxBatchingWindow` \(got 5 minutes 1 second\)\. Use at most Duration.minutes\(5\)/],
    ['maxRecordAge 59 s', () => ({ maxRecordAge: Duration.seconds(59) }), /invalid `maxRecordAge` \(got 59 seconds\)\. Use Duration.seconds\(60\) to Duration.days\(7\)/],
    ['maxRecordAge 8 days', () => ({ maxRecordAge: Duration.days(8) }), /invalid `maxRecordAge` \(got 8 days\)/],
    ['tumblingWindow 16 min', () => ({ tumblingWindow: Duration.minutes(16) }), /invalid `tumblingWindow` \(got 16 minutes\)\. Use Duration.seconds\(1\) to Duration.minutes\(15\)/],
    ['tumblingWindow on DynamoDB', (s) => ({ source: StreamSource.dynamoDb(table(s)), tumblingWindow: Duration.minutes(1) }), /invalid `tumblingWindow` \(got 1 minute\)\. Tumbling windows are supported for Kinesis sources only/],
    ['consumerName on DynamoDB', (s) => ({ source: StreamSource.dynamoDb(table(s)), consumerName: 'x' }), /invalid `consumerName` \(got "x"\)\. Enhanced fan-out exists for Kinesis only/],
    ['consumerName with a space', () => ({ consumerName: 'a b' }), /invalid `consumerName` \(got "a b"\)\. Use 1 to 128 letters/],
    ['startingPosition AT_TIMESTAMP', () => ({ startingPosition: lambda.StartingPosition.AT_TIMESTAMP }), /invalid `startingPosition` \(got "AT_TIMESTAMP"\)\. Use StartingPosition.LATEST or/],
    ['six filters', () => ({ filters: Array.from({ length: 6 }, () => lambda.FilterCriteria.filter({ a: [1] })) }), /invalid `filters` \(got "6 filters"\)\. Use at most 5/],
    ['iteratorAgeAlarmThreshold 0', () => ({ iteratorAgeAlarmThreshold: Duration.seconds(0) }), /invalid `iteratorAgeAlarmThreshold` \(got 0 seconds\)\. Use Duration.seconds\(1\) to Duration.days\(7\)/],
    ['streamEncryptionKey with source', (s) => ({ source: StreamSource.kinesis(new kinesis.Stream(s, 'S')), streamEncryptionKey: new kms.Key(s, 'K') }), /invalid `streamEncryptionKey` \(got "a KMS key"\)\. It encrypts the stream this construct creates/],
  ];
  test.each(cases)('%s', (_name, props, error) => {
    const stack = createTestStack();
    expect(() => new StreamBatchConsumer(stack, 'C', props(stack))).toThrow(error);
  });

  test('the limits themselves are accepted', () => {
    const stack = createTestStack();
    expect(() => new StreamBatchConsumer(stack, 'A', {
      batchSize: 10000,
      parallelizationFactor: 10,
      retryAttempts: 0,
      maxBatchingWindow: Duration.minutes(5),
      maxRecordAge: Duration.seconds(60),
      tumblingWindow: Duration.minutes(15),
    })).not.toThrow();
    expect(() => new StreamBatchConsumer(stack, 'B', { batchSize: 1, parallelizationFactor: 1, retryAttempts: 10000, maxRecordAge: Duration.days(7) })).not.toThrow();
  });
});
