/**
 * Entry schemas (zod, validated with Powertools parser) in the bundled batch, stream and API
 * templates: a record that does not match fails alone with the issues in its WARN line (never
 * counted as processed), the logic gets the schema's output, an API body that does not match
 * is a 400 listing the issues (no internals), and a bad schema export fails at load.
 */
import { z } from 'zod';
import { restEvent } from './api-events';
import { captureStdout, emfSum, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';

fileEnv({
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'SchemaTest',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  STREAM_SOURCE_TYPE: 'KINESIS',
});

const Order = z.object({ orderId: z.string().min(1), quantity: z.number().int().min(1), note: z.string().default('') });

let batch: any;
let stream: any;
let api: any;
beforeAll(async () => {
  [batch, stream, api] = await Promise.all([importTemplate('batch'), importTemplate('stream'), importTemplate('api')]);
});

describe('SqsBatchConsumer', () => {
  test('a body that does not match fails that record only, with the zod issues in its WARN line', async () => {
    const seen: unknown[] = [];
    const handler = batch.wrapBatch({ schema: Order, processRecord: (order: unknown) => seen.push(order) });
    const event = {
      Records: [
        sqsRecord('ok-1', JSON.stringify({ orderId: 'o-1', quantity: 2 })),
        sqsRecord('bad-1', JSON.stringify({ orderId: '', quantity: 'two' }), { attributes: { correlationId: 'c-9' } }),
      ],
    };
    const { result, lines } = await captureStdout(() => handler(event, lambdaContext()));
    expect(failedIds(result)).toEqual(['bad-1']);
    expect(seen).toEqual([{ orderId: 'o-1', quantity: 2, note: '' }]);
    const warn = lines.find((l) => l.level === 'WARN' && l.message_id === 'bad-1');
    expect(warn).toMatchObject({ correlation_id: 'c-9', error: expect.objectContaining({ name: 'InvalidInputError' }) });
    expect(warn.issues).toEqual([
      expect.objectContaining({ path: ['orderId'], code: 'too_small' }),
      expect.objectContaining({ path: ['quantity'], code: 'invalid_type' }),
    ]);
    expect(emfSum(lines, 'RecordsFailed')).toBe(1);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(1);
  });

  test('a text body is validated as text', async () => {
    const handler = batch.wrapBatch({ bodyFormat: 'text', schema: z.string().startsWith('ORDER:'), processRecord: () => undefined });
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('a', 'ORDER:1'), sqsRecord('b', 'hello')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['b']);
  });

  test('a schema export that is not a schema fails at load', () => {
    expect(() => batch.wrapBatch({ processRecord: () => 1, schema: 'Order' })).toThrow('SqsBatchConsumer entry: "schema" must be a zod schema');
  });
});

describe('StreamBatchConsumer (Kinesis)', () => {
  const seq = (n: number) => `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;
  const record = (n: number, data: unknown) => ({
    kinesis: { partitionKey: 'pk', sequenceNumber: seq(n), data: Buffer.from(JSON.stringify(data)).toString('base64'), kinesisSchemaVersion: '1.0', approximateArrivalTimestamp: 1 },
    eventSource: 'aws:kinesis',
    eventID: `shardId-000000000001:${seq(n)}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/r',
  });

  test('a payload that does not match fails its record and every later one, with the issues in the WARN line', async () => {
    const seen: unknown[] = [];
    const handler = stream.wrapStream({ schema: Order, processRecord: (order: unknown) => seen.push(order) });
    const event = { Records: [record(1, { orderId: 'o-1', quantity: 1 }), record(2, { orderId: 'o-2' }), record(3, { orderId: 'o-3', quantity: 3 })] };
    const { result, lines } = await captureStdout(() => handler(event, lambdaContext()));
    expect(failedIds(result)).toEqual([seq(2), seq(3)]);
    expect(seen).toEqual([{ orderId: 'o-1', quantity: 1, note: '' }]);
    const warn = lines.find((l) => l.level === 'WARN' && l.sequence_number === seq(2));
    expect(warn.issues).toEqual([expect.objectContaining({ path: ['quantity'], code: 'invalid_type' })]);
    expect(warn.error.message).toMatch(`record ${seq(2)} does not match the entry's schema: quantity: `);
  });

  test('a schema export that is not a schema fails at load', () => {
    expect(() => stream.wrapStream({ processRecord: () => 1, schema: 42 })).toThrow('StreamBatchConsumer entry: "schema" must be a zod schema');
  });
});

describe('ObservableApi', () => {
  const NewOrder = z.object({ item: z.string().min(1), quantity: z.number().int().min(1).max(1000) });
  const entry = {
    routes: {
      'POST /orders': (request: any) => request.reply(201, { received: request.body }),
      'GET /orders/{id}': (request: any) => ({ id: request.params.id }),
    },
    schemas: { 'POST /orders': NewOrder.transform((o) => ({ ...o, item: o.item.toUpperCase() })) },
  };
  const post = (body: string) => restEvent({ method: 'POST', path: '/orders', body, headers: { 'content-type': 'application/json' }, requestId: 'req-42' });

  test('a body that matches reaches the route as the schema output', async () => {
    const handler = api.wrapApi(entry);
    const { result } = await captureStdout<any>(() => handler(post(JSON.stringify({ item: 'book', quantity: 2, extra: 'dropped' })), lambdaContext()));
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({ received: { item: 'BOOK', quantity: 2 } });
  });

  test('a body that does not match is a 400 with the issues as JSON and nothing internal; the route never runs', async () => {
    let ran = false;
    const handler = api.wrapApi({ ...entry, routes: { ...entry.routes, 'POST /orders': () => (ran = true) } });
    const { result } = await captureStdout<any>(() => handler(post(JSON.stringify({ item: '', quantity: 5000 })), lambdaContext()));
    expect(ran).toBe(false);
    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body);
    expect(body).toEqual({
      statusCode: 400,
      error: 'BadRequest',
      message: 'The request body does not match the schema of POST /orders',
      requestId: 'req-42',
      issues: [
        { path: ['item'], message: expect.any(String), code: 'too_small' },
        { path: ['quantity'], message: expect.any(String), code: 'too_big' },
      ],
    });
    expect(result.body).not.toMatch(/stack|at |node_modules|"input"/);
  });

  test('a missing body is a 400 too; routes without a schema are unchanged', async () => {
    const handler = api.wrapApi(entry);
    const { result: missing } = await captureStdout<any>(() => handler(post(''), lambdaContext()));
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body).issues).toEqual([expect.objectContaining({ path: [], code: 'invalid_type' })]);
    const { result: get } = await captureStdout<any>(() => handler(restEvent({ method: 'GET', path: '/orders/7', requestId: 'r' }), lambdaContext()));
    expect(JSON.parse(get.body)).toEqual({ id: '7' });
  });

  test('schemas for an unknown route, or a value that is not a schema, fail at load naming the key', () => {
    expect(() => api.wrapApi({ ...entry, schemas: { 'POST /order': NewOrder } })).toThrow(
      '"schemas" has "POST /order", which is not a key of "routes" ("POST /orders", "GET /orders/{id}")',
    );
    expect(() => api.wrapApi({ ...entry, schemas: { 'POST /orders': { item: 'string' } } })).toThrow(
      'ObservableApi entry: "schemas["POST /orders"]" must be a zod schema',
    );
    expect(() => api.wrapApi({ ...entry, schemas: [NewOrder] })).toThrow('"schemas" is an array');
  });
});
