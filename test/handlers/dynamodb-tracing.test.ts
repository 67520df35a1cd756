/**
 * X-Ray subsegments of the lean DynamoDB client, as the X-Ray SDK's AWS SDK v3 integration
 * records them: `DynamoDB` in the `aws` namespace with operation, table_name, region,
 * request_id, retries and the HTTP status, error/throttle/fault flags, and the trace header
 * on the request. A recording stand-in for the Powertools Tracer's segment and a local HTTP
 * server playing DynamoDB (test/handlers/tracing.test.ts covers the templates end to end).
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { DynamoDbJsonClient } from '../../src/core/runtime/shared/dynamodb/client';
import { isTraceableClient, xrayCallTracer } from '../../src/core/runtime/shared/dynamodb/xray';

interface Recorded {
  name: string;
  id: string;
  notTraced?: boolean;
  attributes: Record<string, unknown>;
  flags: string[];
  closed?: { error?: any; remote?: boolean };
}

const recorded: Recorded[] = [];
let sequence = 0;
const segment = {
  id: 'parent-1',
  trace_id: '1-5759e988-bd862e3fe1be46a994272793',
  addNewSubsegment(name: string) {
    const entry: Recorded = { name, id: `sub-${++sequence}`, attributes: {}, flags: [] };
    recorded.push(entry);
    return {
      id: entry.id,
      addAttribute: (key: string, value: unknown) => (entry.attributes[key] = value),
      addThrottleFlag: () => entry.flags.push('throttle'),
      addErrorFlag: () => entry.flags.push('error'),
      addFaultFlag: () => entry.flags.push('fault'),
      close: (error?: unknown, remote?: boolean) => (entry.closed = { error, remote }),
    };
  },
};

// Request counts are asserted: no attempt may time out and be retried on a loaded CI machine.
const LOADED_MACHINE = { requestTimeoutMs: 120_000, connectTimeoutMs: 120_000 };

let answers: { status: number; body: unknown }[] = [];
let requests = 0;
// The trace header of each request as the server received it. On the wire even when a test
// file that ran the X-Ray SDK earlier in this jest worker left node:http patched: the client
// sends past that patch (test/handlers/lean-client-tracing.test.ts covers it on the asset).
const wireTraceHeaders: (string | undefined)[] = [];
const traceHeaders = () => [...wireTraceHeaders];
let server: http.Server;
let client: DynamoDbJsonClient;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    wireTraceHeaders.push(request.headers['x-amzn-trace-id'] as string | undefined);
    request.resume();
    request.on('end', () => {
      const answer = answers.shift() ?? { status: 200, body: {} };
      response.writeHead(answer.status, { 'x-amzn-requestid': `REQ${++requests}` });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new DynamoDbJsonClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 3, ...LOADED_MACHINE });
  expect(isTraceableClient(client)).toBe(true);
  client.traceWith(xrayCallTracer({ getSegment: () => segment }));
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  recorded.length = 0;
  wireTraceHeaders.length = 0;
  requests = 0;
  answers = [];
});

test('a call is one aws subsegment with operation, table, region, request id, attempts and status, linked by the trace header', async () => {
  await client.send('PutItem', { TableName: 'orders-idempotency', Item: {} });
  expect(recorded).toHaveLength(1);
  const [sub] = recorded;
  expect(sub.name).toBe('DynamoDB');
  expect(sub.attributes).toEqual({
    namespace: 'aws',
    aws: { operation: 'PutItem', region: 'eu-central-1', request_id: 'REQ1', retries: 1, table_name: 'orders-idempotency' },
    http: { response: { status: 200 } },
  });
  expect(sub.flags).toEqual([]);
  expect(sub.closed).toEqual({ error: undefined, remote: undefined });
  expect(traceHeaders()).toEqual([`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${sub.id};Sampled=1`]);
});

test('retries are counted in the one subsegment; a failed condition is an error flag with the remote cause', async () => {
  answers = [
    { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' } },
    { status: 200, body: {} },
  ];
  await client.send('GetItem', { TableName: 't' });
  expect(recorded).toHaveLength(1);
  expect(recorded[0].attributes.aws).toMatchObject({ operation: 'GetItem', retries: 2, request_id: 'REQ2' });
  answers = [{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' } }];
  await expect(client.send('PutItem', { TableName: 't' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  const failed = recorded[1];
  expect(failed.attributes.http).toEqual({ response: { status: 400 } });
  expect(failed.flags).toEqual(['error']);
  expect(failed.closed?.remote).toBe(true);
  expect(failed.closed?.error).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
});

test('throttling that outlasts the attempts is flagged as throttle and error; a 5xx as fault', async () => {
  const throttled = { status: 400, body: { __type: 'com.amazonaws.dynamodb#ProvisionedThroughputExceededException', message: 'slow' } };
  answers = [throttled, throttled, throttled];
  await expect(client.send('UpdateItem', { TableName: 't' })).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  expect(recorded[0].flags).toEqual(['throttle', 'error']);
  const failing = { status: 503, body: {} };
  answers = [failing, failing, failing];
  await expect(client.send('DeleteItem', { TableName: 't' })).rejects.toMatchObject({ $metadata: { httpStatusCode: 503, attempts: 3 } });
  expect(recorded[1].flags).toEqual(['fault']);
});

test("under a subsegment: the root segment's trace id and additional trace data (Lambda's Lineage) go on the header", async () => {
  const parent = { ...segment, id: 'handler-1', trace_id: undefined, segment: { trace_id: '1-5759e988-bd862e3fe1be46a994272793', additionalTraceData: { Lineage: 'a87bd80c:0' } } };
  const nested = new DynamoDbJsonClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, ...LOADED_MACHINE });
  nested.traceWith(xrayCallTracer({ getSegment: () => parent }));
  await nested.send('GetItem', { TableName: 't' });
  nested.destroy();
  expect(recorded).toHaveLength(1);
  expect(traceHeaders()).toEqual([`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${recorded[0].id};Sampled=1;Lineage=a87bd80c:0`]);
});

test('no segment (outside an invocation): the call is not traced and carries no trace header', async () => {
  const untraced = new DynamoDbJsonClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'eu-central-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, ...LOADED_MACHINE });
  untraced.traceWith(xrayCallTracer({ getSegment: () => undefined }));
  await untraced.send('GetItem', { TableName: 't' });
  untraced.destroy();
  expect(recorded).toHaveLength(0);
  expect(traceHeaders()).toEqual([undefined]);
});
