/**
 * The worker-wide CloudFormation validator (test/support/jest/): aws-cdk-lib's built-in
 * validation still reports schema findings through it, passes clean templates, and builds its
 * engine once rather than once per synth or per suite.
 */
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createTestApp } from './app';
import { SHARED_VALIDATE_GLOBAL, SharedModule } from './jest/shared-cloudformation-validate';
import { collectFindings } from './nag';

const shared = (): SharedModule => (globalThis as any)[SHARED_VALIDATE_GLOBAL];

function queueApp(visibilityTimeout: number) {
  const app = createTestApp();
  const stack = new Stack(app, 'Queues');
  new sqs.CfnQueue(stack, 'Queue', { visibilityTimeout, sqsManagedSseEnabled: true });
  return app;
}

const cfnFindings = (visibilityTimeout: number) => collectFindings(queueApp(visibilityTimeout)).filter((f) => f.plugin === 'CloudFormation Validate');

test('a schema violation is still a CloudFormation validation finding', () => {
  expect(cfnFindings(999_999)).toEqual([expect.objectContaining({ rule: 'F3034', resource: 'Queues/Queue', description: expect.stringContaining('43200') })]);
});

test('a valid template has no CloudFormation validation finding', () => {
  expect(cfnFindings(30)).toEqual([]);
});

test('the engine is built once per worker: later synths reuse it', () => {
  cfnFindings(60);
  const builds = shared().engineBuilds();
  expect(builds).toBeGreaterThanOrEqual(1);
  cfnFindings(999_999);
  cfnFindings(90);
  expect(shared().engineBuilds()).toBe(builds);
});

test('every read of the suite global is the same worker-wide module', () => {
  expect(shared()).toBe(shared());
  expect(typeof shared().CompositeEngine).toBe('function');
});
