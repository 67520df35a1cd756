/**
 * HandlerCode.fromEntry() with the example entry: the construct synthesizes, and the
 * bundle it produced (template + user logic, built by esbuild at synth) really runs
 * against dynalite: one charge per paymentId, duplicates replayed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HandlerCode } from '../../src/core';
import { IdempotentFunction } from '../../src/idempotency';
import { createTestApp } from '../support/app';
import { lambdaContext } from '../support/assets';
import { DynaliteServer, LOCAL_AWS_ENV, localDynamoDbClient, startDynalite } from '../support/dynalite';
import { expectNagClean } from '../support/nag';

const ENTRY = path.join(__dirname, '..', '..', 'examples', 'idempotency', 'charge-payment.ts');

let server: DynaliteServer;
let bundleDir: string;
let template: Template;

beforeAll(async () => {
  const app = createTestApp();
  const stack = new Stack(app, 'Entry');
  new IdempotentFunction(stack, 'Payments', { handlerCode: HandlerCode.fromEntry(ENTRY), eventKeyJmesPath: 'paymentId' });
  template = Template.fromStack(stack);
  bundleDir = stagedCodeDir(app.synth().directory, template);
  server = await startDynalite();
});

/**
 * The directory the function's code was staged to in cdk.out: the asset the template's
 * S3Key names (`<hash>.zip` is uploaded from `asset.<hash>`), i.e. exactly what deploys.
 */
function stagedCodeDir(outdir: string, stackTemplate: Template): string {
  const fn = Object.values(stackTemplate.findResources('AWS::Lambda::Function'))[0] as any;
  const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
  return path.join(outdir, `asset.${hash}`);
}

afterAll(async () => {
  await server?.stop();
});

test('the construct synthesizes with the wrapped bundle as its code', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Environment: { Variables: { IDEMPOTENCY_EVENT_KEY_JMESPATH: 'paymentId' } },
  });
  expect(fs.existsSync(path.join(bundleDir, 'index.mjs'))).toBe(true);
});

test('the bundle runs: one charge per paymentId, duplicates get the stored receipt', async () => {
  const client = localDynamoDbClient(server);
  await client.send(
    new CreateTableCommand({
      TableName: 'payments-idempotency',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  client.destroy();
  // The env the construct sets, pointed at dynalite.
  Object.assign(process.env, LOCAL_AWS_ENV, {
    AWS_ENDPOINT_URL_DYNAMODB: server.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'payments',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    IDEMPOTENCY_TABLE_NAME: 'payments-idempotency',
    IDEMPOTENCY_EVENT_KEY_JMESPATH: 'paymentId',
    IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
  });
  const bundle = await import(path.join(bundleDir, 'index.mjs'));
  const first = await bundle.handler({ paymentId: 'p-1', amountCents: 1299, currency: 'EUR' }, lambdaContext({ requestId: 'req-1' }));
  const duplicate = await bundle.handler({ paymentId: 'p-1', amountCents: 1299, currency: 'EUR' }, lambdaContext({ requestId: 'req-2' }));
  expect(first).toEqual({ paymentId: 'p-1', chargedCents: 1299, currency: 'EUR', chargedByRequest: 'req-1' });
  expect(duplicate).toEqual(first);
  const other = await bundle.handler({ paymentId: 'p-2', amountCents: 500 }, lambdaContext({ requestId: 'req-3' }));
  expect(other.chargedByRequest).toBe('req-3');
  await expect(bundle.handler({ paymentId: 'p-3' }, lambdaContext())).rejects.toThrow(/expected \{"paymentId": string, "amountCents"/);
});

test('an ES module entry without processEvent fails synth, naming the prop, the file and the export it needs', () => {
  const bad = path.join(path.dirname(bundleDir), `bad-entry-${process.pid}.mjs`);
  fs.writeFileSync(bad, 'export const handler = async () => 1;\n');
  try {
    const stack = new Stack(createTestApp(), 'BadEntry');
    expect(() => new IdempotentFunction(stack, 'Fn', { handlerCode: HandlerCode.fromEntry(bad) })).toThrow(
      /invalid `handlerCode`.* must export "processEvent" .*; it exports "handler"\. Rename or add the export "processEvent"/,
    );
  } finally {
    fs.rmSync(bad, { force: true });
  }
});

test('a CommonJS entry without processEvent (exports unknown until run time) fails at init with the contract in the message', async () => {
  const bad = path.join(path.dirname(bundleDir), `bad-entry-${process.pid}.cjs`);
  fs.writeFileSync(bad, 'exports.handler = async () => 1;\n');
  try {
    const app = createTestApp();
    const stack = new Stack(app, 'BadEntry');
    new IdempotentFunction(stack, 'Fn', { handlerCode: HandlerCode.fromEntry(bad) });
    const dir = stagedCodeDir(app.synth().directory, Template.fromStack(stack));
    await expect(import(path.join(dir, 'index.mjs'))).rejects.toThrow(/must export a function "processEvent" .*; it exports handler/);
  } finally {
    fs.rmSync(bad, { force: true });
  }
});

test('nag-clean with an entry', () => {
  const app = createTestApp();
  new IdempotentFunction(new Stack(app, 'EntryNag'), 'Payments', { handlerCode: HandlerCode.fromEntry(ENTRY), eventKeyJmesPath: 'paymentId' });
  expectNagClean(app);
});
