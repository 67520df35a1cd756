/**
 * HandlerCode.fromEntry end to end: synthesize an SqsBatchConsumer with the example entry
 * (examples/batch/process-order.ts), then import the staged asset from the cloud assembly
 * (the template wrapping the user's processRecord, as deployed) and run SQS batches through it.
 */
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { captureStdout, emfSum, failedIds, sqsRecord } from './batch-support';
import { SqsBatchConsumer } from '../../src/batch';
import { HandlerCode } from '../../src/core';
import { createTestApp } from '../support/app';
import { lambdaContext } from '../support/assets';

let handler: any;

beforeAll(async () => {
  process.env.POWERTOOLS_SERVICE_NAME = 'entry-test';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'BatchEntry';
  const app = createTestApp();
  // Asset metadata tells us where the staged function code is in the cloud assembly.
  app.node.setContext('aws:cdk:enable-asset-metadata', true);
  const stack = new Stack(app, 'Entry');
  const consumer = new SqsBatchConsumer(stack, 'Orders', {
    handlerCode: HandlerCode.fromEntry(path.join(__dirname, '..', '..', 'examples', 'batch', 'process-order.ts')),
  });
  const assembly = app.synth();
  const cfn = consumer.function.node.defaultChild as lambda.CfnFunction;
  const assetDir = cfn.getMetadata('aws:asset:path');
  expect(assetDir).toBeDefined();
  const mod = await import(path.join(assembly.directory, assetDir, 'index.mjs'));
  handler = mod.handler;
});

afterAll(() => {
  delete process.env.POWERTOOLS_SERVICE_NAME;
  delete process.env.POWERTOOLS_METRICS_NAMESPACE;
});

test('the wrapped example accepts valid orders and fails only the invalid record', async () => {
  const { result, lines } = await captureStdout(() =>
    handler(
      {
        Records: [
          sqsRecord('ok', JSON.stringify({ orderId: 'o-1', items: [{ sku: 'a', quantity: 2, price: 5 }] }), { attributes: { correlationId: 'c-9' } }),
          sqsRecord('missing-items', JSON.stringify({ orderId: 'o-2' })),
          sqsRecord('not-json', 'orderId=o-3'),
        ],
      },
      lambdaContext(),
    ),
  );
  expect(failedIds(result)).toEqual(['missing-items', 'not-json']);
  expect(lines.find((l) => l.message === 'order accepted')).toMatchObject({ orderId: 'o-1', total: 10, correlation_id: 'c-9', service: 'entry-test' });
  expect(emfSum(lines, 'OrdersAccepted')).toBe(1);
  expect(emfSum(lines, 'RecordsProcessed')).toBe(1);
  expect(emfSum(lines, 'RecordsFailed')).toBe(2);
});
