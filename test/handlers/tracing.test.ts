/**
 * Tracing in the bundled templates, recorded for real: the X-Ray SDK inside each asset sends
 * its documents over UDP to a fake daemon on 127.0.0.1 (test/support/xray-daemon.ts), with
 * the environment Lambda gives a function with active tracing. Checks the `## index.handler`
 * subsegment with ColdStart and Service, the business-key annotations (message id, sequence
 * number, route, idempotency key), the DynamoDB client captured with captureAWSv3Client
 * (dynalite), and the ColdStart EMF metric.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { restEvent } from './api-events';
import { captureStdout, sqsRecord } from './batch-support';
import { createIdempotencyTable } from './idempotency-table';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { InProcessDynalite, LOCAL_AWS_ENV, startDynalite } from '../support/dynalite';
import { FakeXRayDaemon, lambdaTracingEnv, startFakeXRayDaemon, XRayDocument } from '../support/xray-daemon';

const env = fileEnv({
  ...LOCAL_AWS_ENV,
  AWS_LAMBDA_FUNCTION_NAME: 'traced-fn',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'TracingTest',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  STREAM_SOURCE_TYPE: 'KINESIS',
  IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId',
});

let daemon: FakeXRayDaemon;
let dynalite: InProcessDynalite;
const templates: Record<string, any> = {};

beforeAll(async () => {
  daemon = await startFakeXRayDaemon();
  dynalite = await startDynalite();
  const ddb = new DynamoDBClient({ endpoint: dynalite.endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const table = await createIdempotencyTable(ddb, 'traced');
  ddb.destroy();
  env.set({ ...lambdaTracingEnv(daemon), AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, IDEMPOTENCY_TABLE_NAME: table });
  for (const name of ['function', 'power-tuned', 'batch', 'stream', 'api', 'idempotent']) templates[name] = await importTemplate(name);
});

afterAll(async () => {
  await daemon?.stop();
  await dynalite?.stop();
});

beforeEach(() => daemon.clear());

const handlerSegments = (docs: XRayDocument[]) => docs.filter((d) => d.name === '## index.handler');

/** Runs one invocation; returns what the daemon received and the EMF lines written. */
async function invoke(run: () => Promise<unknown>, until: (docs: XRayDocument[]) => boolean) {
  daemon.clear();
  const { lines } = await captureStdout(async () => run().catch((e) => e));
  return { docs: await daemon.waitFor(until), lines };
}

const coldStartMetric = (lines: any[]) => lines.find((l) => l._aws?.CloudWatchMetrics?.[0]?.Metrics?.some((m: any) => m.Name === 'ColdStart'));

describe.each(['function', 'power-tuned'])('%s template', (name) => {
  test('the first invocation is annotated ColdStart true, the next false, both with the service; ColdStart is an EMF metric once', async () => {
    const first = await invoke(() => templates[name].handler({}, lambdaContext()), (d) => handlerSegments(d).length >= 1);
    const second = await invoke(() => templates[name].handler({}, lambdaContext()), (d) => handlerSegments(d).length >= 1);
    expect(handlerSegments(first.docs)[0].annotations).toEqual({ ColdStart: true, Service: 'orders' });
    expect(handlerSegments(second.docs)[0].annotations).toEqual({ ColdStart: false, Service: 'orders' });
    expect(handlerSegments(first.docs)[0].trace_id).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(coldStartMetric(first.lines)).toMatchObject({ ColdStart: 1, function_name: 'test-fn' });
    expect(coldStartMetric(second.lines)).toBeUndefined();
  });

  test('a failure is recorded on the handler subsegment', async () => {
    const wrapped = name === 'function' ? templates.function.wrapFunction : templates['power-tuned'].wrapPowerTuned;
    const handler = wrapped({ handle: () => Promise.reject(new Error('boom')) });
    const { docs } = await invoke(() => handler({}, lambdaContext()), (d) => handlerSegments(d).length >= 1);
    const segment = handlerSegments(docs)[0];
    expect(segment.fault || segment.error).toBe(true);
    expect(JSON.stringify(segment.cause)).toContain('boom');
  });
});

test('SqsBatchConsumer: one subsegment per record with its message id and correlation id, under the handler subsegment', async () => {
  const handler = templates.batch.wrapBatch({ processRecord: () => undefined });
  const event = { Records: [sqsRecord('m-1', '{}', { attributes: { correlationId: 'c-1' } }), sqsRecord('m-2', '{}')] };
  const { docs, lines } = await invoke(() => handler(event, lambdaContext()), (d) => d.filter((x) => x.name === '## record').length >= 2);
  const records = docs.filter((d) => d.name === '## record');
  expect(records.map((r) => r.annotations).sort((a, b) => String(a?.messageId).localeCompare(String(b?.messageId)))).toEqual([
    { messageId: 'm-1', correlationId: 'c-1' },
    { messageId: 'm-2' },
  ]);
  const parent = handlerSegments(docs)[0] ?? (await daemon.waitFor((d) => handlerSegments(d).length > 0)).find((d) => d.name === '## index.handler')!;
  expect(records.every((r) => r.parent_id === parent.id)).toBe(true);
  expect(parent.annotations).toMatchObject({ ColdStart: true, Service: 'orders' });
  expect(coldStartMetric(lines)).toBeDefined();
});

test('StreamBatchConsumer: one subsegment per record with its sequence number and partition key', async () => {
  const handler = templates.stream.wrapStream({ processRecord: () => undefined });
  const record = {
    kinesis: { partitionKey: 'pk-7', sequenceNumber: '49590338271490256608559692538361571095921575989136588898', data: Buffer.from('{}').toString('base64') },
    eventSource: 'aws:kinesis',
    eventID: 'shardId-000000000001:49590338271490256608559692538361571095921575989136588898',
  };
  const { docs } = await invoke(() => handler({ Records: [record] }, lambdaContext()), (d) => d.some((x) => x.name === '## record'));
  expect(docs.find((d) => d.name === '## record')!.annotations).toEqual({
    sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    partitionKey: 'pk-7',
  });
});

test('ObservableApi: the request subsegment carries ColdStart, Service and the route key', async () => {
  const handler = templates.api.wrapApi({ routes: { 'GET /orders/{id}': (request: any) => ({ id: request.params.id }) } });
  const { docs } = await invoke(() => handler(restEvent({ method: 'GET', path: '/orders/7', requestId: 'r-1' }), lambdaContext()), (d) =>
    d.some((x) => x.annotations?.route !== undefined),
  );
  const request = docs.find((d) => d.annotations?.route !== undefined)!;
  expect(request.annotations).toEqual({ ColdStart: true, Service: 'orders', route: 'GET /orders/{id}' });
  expect(JSON.stringify(request)).not.toContain('"metadata"');
});

test('IdempotentFunction: the idempotency key and replay are annotated, and each DynamoDB call is a subsegment of the invocation', async () => {
  const handler = templates.idempotent.wrapIdempotent({ processEvent: (order: any) => ({ accepted: order.orderId }) });
  const first = await invoke(
    () => handler({ orderId: 'o-42' }, lambdaContext()),
    (d) => handlerSegments(d).length >= 1 && d.filter((x) => x.name === 'DynamoDB').length >= 2,
  );
  const segment = handlerSegments(first.docs)[0];
  expect(segment.annotations).toMatchObject({ ColdStart: true, Service: 'orders', idempotencyKey: 'o-42', replayed: false });
  const dynamoCalls = first.docs.filter((d) => d.name === 'DynamoDB');
  expect(dynamoCalls.map((d) => (d as any).aws?.operation).sort()).toEqual(['PutItem', 'UpdateItem']);
  expect(dynamoCalls.every((d) => d.parent_id === segment.id)).toBe(true);
  const replay = await invoke(() => handler({ orderId: 'o-42' }, lambdaContext()), (d) => handlerSegments(d).length >= 1);
  expect(handlerSegments(replay.docs)[0].annotations).toMatchObject({ ColdStart: false, idempotencyKey: 'o-42', replayed: true });
});
