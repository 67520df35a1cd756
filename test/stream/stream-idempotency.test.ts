/**
 * StreamBatchConsumer's per-record idempotency (on a new or shared IdempotencyTable, keyed
 * by event id, sequence number or a payload JMESPath) and the remaining bad-input checks.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IdempotencyTable, StreamBatchConsumer, StreamBatchConsumerProps, StreamIdempotencyKey, StreamSource } from '../../src';
import { createTestApp, createTestStack } from '../support/app';
import { collectFindings } from '../support/nag';

const variables = (template: Template) =>
  (Object.values(template.findResources('AWS::Lambda::Function')) as any[]).find((f) => f.Properties.Environment?.Variables?.STREAM_SOURCE_TYPE).Properties.Environment
    .Variables;
const statements = (template: Template): any[] => Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

function synth(props: StreamBatchConsumerProps, build?: (stack: Stack) => StreamBatchConsumerProps) {
  const stack = createTestStack();
  const consumer = new StreamBatchConsumer(stack, 'Events', { ...props, ...build?.(stack) });
  return { stack, consumer, template: Template.fromStack(stack) };
}

describe('per-record idempotency', () => {
  test('off by default: no table, no IDEMPOTENCY_* variables', () => {
    const { template, consumer } = synth({});
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(Object.keys(variables(template)).filter((k) => k.startsWith('IDEMPOTENCY_'))).toEqual([]);
    expect(consumer.recordIdempotencyTable).toBeUndefined();
  });

  test('on: a new IdempotencyTable, key = event id, expiry = maxRecordAge (24 h), exactly the four item actions', () => {
    const { template, stack, consumer } = synth({ idempotency: {} });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(variables(template)).toMatchObject({
      IDEMPOTENCY_TABLE_NAME: { Ref: stack.getLogicalId(consumer.recordIdempotencyTable!.node.defaultChild as any) },
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'eventId',
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '86400',
    });
    const tableId = stack.getLogicalId(consumer.recordIdempotencyTable!.node.defaultChild as any);
    const onTable = statements(template).filter((s) => JSON.stringify(s.Resource).includes(tableId));
    expect(onTable.flatMap((s) => [].concat(s.Action)).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  test('the expiry follows maxRecordAge unless given', () => {
    expect(variables(synth({ maxRecordAge: Duration.hours(6), idempotency: {} }).template).IDEMPOTENCY_EXPIRES_AFTER_SECONDS).toBe('21600');
    expect(variables(synth({ idempotency: { expiresAfter: Duration.days(2) } }).template).IDEMPOTENCY_EXPIRES_AFTER_SECONDS).toBe('172800');
  });

  test.each([
    ['eventId()', StreamIdempotencyKey.eventId(), 'eventId'],
    ['sequenceNumber()', StreamIdempotencyKey.sequenceNumber(), 'sequenceNumber'],
    ["fromPayload('newImage.orderId')", StreamIdempotencyKey.fromPayload('newImage.orderId'), 'payload | newImage.orderId'],
  ])('key %s reaches the template as %j', (_name, key, jmesPath) => {
    expect(variables(synth({ idempotency: { key } }).template).IDEMPOTENCY_EVENT_KEY_JMESPATH).toBe(jmesPath);
  });

  test('the key prefix is the construct path unless given (shared with SqsBatchConsumer via RecordIdempotencyOptions)', () => {
    expect(variables(synth({ idempotency: {} }).template).IDEMPOTENCY_KEY_PREFIX).toBe('TestStack/Events');
    expect(variables(synth({ idempotency: { keyPrefix: 'clicks-v1' } }).template).IDEMPOTENCY_KEY_PREFIX).toBe('clicks-v1');
    expect(() => synth({ idempotency: { keyPrefix: 'a#b' } })).toThrow(/idempotency\.keyPrefix/);
  });

  test('tableAttributes of an existing table reach the template and are checked against its key and TTL', () => {
    const legacy = (stack: Stack) =>
      new dynamodb.Table(stack, 'Legacy', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'ttl' });
    const { template } = synth({}, (stack) => ({ idempotency: { table: legacy(stack), tableAttributes: { key: 'pk', expiry: 'ttl' } } }));
    expect(variables(template)).toMatchObject({ IDEMPOTENCY_KEY_ATTR: 'pk', IDEMPOTENCY_EXPIRY_ATTR: 'ttl' });
    expect(() => synth({}, (stack) => ({ idempotency: { table: legacy(stack), tableAttributes: { expiry: 'ttl' } } }))).toThrow(/idempotency\./);
  });

  test('a shared sort-key IdempotencyTable: the sort key and static partition value reach the template', () => {
    const { template } = synth({}, (stack) => ({
      idempotency: { table: new IdempotencyTable(stack, 'Shared', { sortKeyName: 'sk' }).table, staticPartitionKeyValue: 'clicks' },
    }));
    expect(variables(template)).toMatchObject({ IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'clicks' });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  test('a DynamoDB source with idempotency and the defaults stays cdk-nag clean with zero CloudFormation findings', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Idem');
    const orders = new dynamodb.Table(stack, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    new StreamBatchConsumer(stack, 'Changes', { source: StreamSource.dynamoDb(orders), idempotency: { key: StreamIdempotencyKey.fromPayload('keys.pk') } });
    new StreamBatchConsumer(stack, 'Clicks', { idempotency: {} });
    expect(collectFindings(app)).toEqual([]);
  });

  test('IDEMPOTENCY_* cannot be set through environment', () => {
    expect(() => synth({ environment: { IDEMPOTENCY_TABLE_NAME: 'x' } })).toThrow(/IDEMPOTENCY_TABLE_NAME/);
  });

  test('an expiry shorter than maxRecordAge is a warning (a late retry would run again)', () => {
    const { stack } = synth({ idempotency: { expiresAfter: Duration.hours(1) } });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('idempotency.expiresAfter \\(3600 s\\) is shorter than maxRecordAge \\(86400 s\\)'));
  });

  const bad: Array<[string, StreamBatchConsumerProps, RegExp]> = [
    ['expiresAfter 0', { idempotency: { expiresAfter: Duration.seconds(0) } }, /invalid `idempotency.expiresAfter` \(got 0 seconds\)\. Use a whole number of seconds of at least 1/],
    ['expiresAfter 1.5 s', { idempotency: { expiresAfter: Duration.millis(1500) } }, /invalid `idempotency.expiresAfter` \(got 1 second 500 millis\)/],
    ['a payload key that is not JMESPath', { idempotency: { key: StreamIdempotencyKey.fromPayload('order[') } }, /invalid `idempotency.key` \(got "order\["\)\. It is not a valid JMESPath expression/],
    ['a sort-key table without staticPartitionKeyValue', { idempotency: { sortKeyName: 'sk', table: dynamodb.Table.fromTableName(createTestStack(), 'T', 'shared') } }, /invalid `idempotency.staticPartitionKeyValue`/],
  ];
  test.each(bad)('%s fails synth naming the prop', (_name, props, error) => {
    expect(() => synth(props)).toThrow(error);
  });
});

describe('the remaining bad input of issue 13', () => {
  test('bisectBatchOnError with a tumbling window is allowed (AWS documents no restriction; both reach the mapping)', () => {
    const { template } = synth({ tumblingWindow: Duration.minutes(5), bisectBatchOnError: true });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { TumblingWindowInSeconds: 300, BisectBatchOnFunctionError: true });
  });

  test.each([
    ['a batching window of 301 s', { maxBatchingWindow: Duration.seconds(301) }, /invalid `maxBatchingWindow`/],
    ['a tumbling window of 0 s', { tumblingWindow: Duration.seconds(0) }, /invalid `tumblingWindow` \(got 0 seconds\)/],
    ['a tumbling window of 901 s', { tumblingWindow: Duration.seconds(901) }, /invalid `tumblingWindow` \(got 15 minutes 1 second\)/],
    ['retryAttempts 1.5', { retryAttempts: 1.5 }, /invalid `retryAttempts` \(got 1.5\)/],
  ] as Array<[string, StreamBatchConsumerProps, RegExp]>)('%s fails synth', (_name, props, error) => {
    expect(() => synth(props)).toThrow(error);
  });

  test('errors name the construct path', () => {
    const stack = createTestStack();
    const table = new dynamodb.Table(stack, 'NoStream', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => new StreamBatchConsumer(stack, 'C', { source: StreamSource.dynamoDb(table) })).toThrow(/^StreamBatchConsumer TestStack\/C: invalid `source`/);
  });
});
