/**
 * The *bundled* idempotent template on its built-in DynamoDB client when DynamoDB misbehaves,
 * played by a local HTTP server (answers chosen per test): a hung request fails the
 * invocation with a clear timeout instead of waiting for the Lambda timeout, throttling is
 * retried through to one execution, and a store failure names the table and the cause.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { LOCAL_AWS_ENV } from '../support/dynalite';

fileEnv({ ...LOCAL_AWS_ENV, AWS_LAMBDA_FUNCTION_NAME: 'orders', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });

type Answer = { status: number; body: unknown } | 'hang';
let answers: Answer[] = [];
const operations: string[] = [];
const hung: http.ServerResponse[] = [];
let server: http.Server;
let endpoint: string;
let template: any;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      operations.push(String(request.headers['x-amz-target']).replace('DynamoDB_20120810.', ''));
      const answer = answers.shift() ?? { status: 200, body: {} };
      if (answer === 'hang') {
        hung.push(response);
        return;
      }
      response.writeHead(answer.status, { 'x-amzn-requestid': `r${operations.length}` });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  template = await importTemplate('idempotent');
});

afterAll(async () => {
  for (const response of hung) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [];
  operations.length = 0;
});

const noMetrics = { addMetric: () => undefined, publishStoredMetrics: () => undefined };

function handler(clientConfig: Record<string, unknown>) {
  let runs = 0;
  const logic = (event: { orderId: string }) => {
    runs++;
    return { accepted: event.orderId };
  };
  const config = {
    tableName: 'orders-idempotency',
    eventKeyJmesPath: 'orderId',
    expiresAfterSeconds: 3600,
    throwOnNoIdempotencyKey: true,
    useLocalCache: false,
    maxLocalCacheSize: 100,
    clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, ...clientConfig },
  };
  return { handle: template.createIdempotentHandler(logic, config, { metrics: noMetrics }), runs: () => runs };
}

const throttled = { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' } };

test('a DynamoDB request that never answers fails the invocation with a TimeoutError naming the table, and the logic does not run', async () => {
  answers = ['hang'];
  const { handle, runs } = handler({ requestTimeoutMs: 200, maxAttempts: 1 });
  const error = await handle({ orderId: 'o-1' }, lambdaContext()).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect(error.message).toMatch(/table "orders-idempotency": TimeoutError: DynamoDB did not answer within 200 ms \(requestTimeoutMs\)/);
  expect(runs()).toBe(0);
  expect(operations).toEqual(['PutItem']);
});

test('throttling on the first write is retried: the logic runs once and the record is completed', async () => {
  answers = [throttled, throttled, { status: 200, body: {} }, { status: 200, body: {} }];
  const { handle, runs } = handler({ maxAttempts: 3 });
  await expect(handle({ orderId: 'o-2' }, lambdaContext())).resolves.toEqual({ accepted: 'o-2' });
  expect(runs()).toBe(1);
  expect(operations).toEqual(['PutItem', 'PutItem', 'PutItem', 'UpdateItem']);
});

test('throttling that outlasts the attempts fails the invocation with the cause, without running the logic', async () => {
  answers = [throttled, throttled];
  const { handle, runs } = handler({ maxAttempts: 2 });
  const error = await handle({ orderId: 'o-3' }, lambdaContext()).catch((e: Error) => e);
  expect(error.name).toBe('IdempotencyPersistenceLayerError');
  expect(error.message).toMatch(/table "orders-idempotency": ThrottlingException: Rate exceeded/);
  expect(runs()).toBe(0);
});

test("DynamoDB's item-size rejection of the result is the documented IdempotentResultTooLargeError", async () => {
  const tooLarge = { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'Item size has exceeded the maximum allowed size' } };
  answers = [{ status: 200, body: {} }, tooLarge];
  const { handle, runs } = handler({ maxAttempts: 3 });
  const error = await handle({ orderId: 'o-4' }, lambdaContext()).catch((e: Error) => e);
  expect(error.name).toBe('IdempotentResultTooLargeError');
  expect(runs()).toBe(1);
  // Not retried: a client error is DynamoDB's answer.
  expect(operations).toEqual(['PutItem', 'UpdateItem']);
});
