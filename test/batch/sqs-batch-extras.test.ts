/**
 * SqsBatchConsumer's processing mode (`processInParallel`) and ESM provisioned mode
 * (`provisionedPollerConfig`): what reaches the function and the mapping, and each bad value.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SqsBatchConsumer, SqsBatchConsumerProps } from '../../src';
import { createTestStack } from '../support/app';

function synth(props: SqsBatchConsumerProps) {
  const stack = createTestStack();
  new SqsBatchConsumer(stack, 'Orders', props);
  return Template.fromStack(stack);
}
const variables = (template: Template) => (Object.values(template.findResources('AWS::Lambda::Function'))[0] as any).Properties.Environment.Variables;
const mapping = (template: Template) => (Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0] as any).Properties;

describe('processInParallel', () => {
  test('defaults to concurrent processing', () => {
    expect(variables(synth({})).BATCH_PROCESS_IN_PARALLEL).toBe('true');
  });

  test('false tells the template to process one record at a time', () => {
    expect(variables(synth({ processInParallel: false })).BATCH_PROCESS_IN_PARALLEL).toBe('false');
  });

  test('FIFO is always sequential: the variable says so, and false is accepted', () => {
    expect(variables(synth({ fifo: true })).BATCH_PROCESS_IN_PARALLEL).toBe('false');
    expect(variables(synth({ fifo: true, processInParallel: false })).BATCH_PROCESS_IN_PARALLEL).toBe('false');
  });

  test('true with a FIFO queue fails, naming the prop and the fix', () => {
    expect(() => synth({ fifo: true, processInParallel: true })).toThrow(
      /SqsBatchConsumer TestStack\/Orders: invalid `processInParallel` \(got true\)\. FIFO queues are always processed one record at a time/,
    );
    const stack = createTestStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:us-east-1:123456789012:orders.fifo');
    expect(() => new SqsBatchConsumer(stack, 'C', { existingQueue: queue, processInParallel: true })).toThrow(/invalid `processInParallel`/);
  });

  test('BATCH_PROCESS_IN_PARALLEL cannot be set through environment', () => {
    expect(() => synth({ environment: { BATCH_PROCESS_IN_PARALLEL: 'false' } })).toThrow(/BATCH_PROCESS_IN_PARALLEL/);
  });
});

describe('provisionedPollerConfig', () => {
  test('unset: on-demand polling (no ProvisionedPollerConfig)', () => {
    expect(mapping(synth({})).ProvisionedPollerConfig).toBeUndefined();
  });

  test('minimum and maximum pollers reach the event source mapping', () => {
    expect(mapping(synth({ provisionedPollerConfig: { minimumPollers: 5, maximumPollers: 100 } })).ProvisionedPollerConfig).toEqual({
      MinimumPollers: 5,
      MaximumPollers: 100,
    });
  });

  test('the limits themselves are accepted', () => {
    expect(mapping(synth({ provisionedPollerConfig: { minimumPollers: 2, maximumPollers: 2 } })).ProvisionedPollerConfig).toEqual({
      MinimumPollers: 2,
      MaximumPollers: 2,
    });
    expect(mapping(synth({ provisionedPollerConfig: { minimumPollers: 200, maximumPollers: 2000 } })).ProvisionedPollerConfig).toEqual({
      MinimumPollers: 200,
      MaximumPollers: 2000,
    });
    expect(mapping(synth({ provisionedPollerConfig: { maximumPollers: 10 } })).ProvisionedPollerConfig).toEqual({ MaximumPollers: 10 });
  });

  const bad: Array<[string, SqsBatchConsumerProps, RegExp]> = [
    ['minimumPollers 1 (SQS needs 2)', { provisionedPollerConfig: { minimumPollers: 1 } }, /invalid `provisionedPollerConfig.minimumPollers` \(got 1\)\. Use a whole number from 2 to 200/],
    ['minimumPollers 201', { provisionedPollerConfig: { minimumPollers: 201 } }, /invalid `provisionedPollerConfig.minimumPollers` \(got 201\)\. Use a whole number from 2 to 200/],
    ['maximumPollers 1', { provisionedPollerConfig: { maximumPollers: 1 } }, /invalid `provisionedPollerConfig.maximumPollers` \(got 1\)\. Use a whole number from 2 to 2000/],
    ['maximumPollers 2001', { provisionedPollerConfig: { maximumPollers: 2001 } }, /invalid `provisionedPollerConfig.maximumPollers` \(got 2001\)\. Use a whole number from 2 to 2000/],
    ['minimumPollers 2.5', { provisionedPollerConfig: { minimumPollers: 2.5 } }, /invalid `provisionedPollerConfig.minimumPollers` \(got 2.5\)/],
    ['minimum above maximum', { provisionedPollerConfig: { minimumPollers: 50, maximumPollers: 10 } }, /invalid `provisionedPollerConfig.minimumPollers` \(got 50\)\. It must not exceed maximumPollers \(10\)/],
    ['a Kafka poller group', { provisionedPollerConfig: { minimumPollers: 2, pollerGroupName: 'g' } }, /invalid `provisionedPollerConfig.pollerGroupName` \(got "g"\)\. Poller groups exist for Amazon MSK and self-managed Kafka sources only/],
  ];
  test.each(bad)('%s fails synth naming the prop, the value and the fix', (_name, props, error) => {
    expect(() => synth(props)).toThrow(error);
  });
});
