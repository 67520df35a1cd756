/**
 * The lean DynamoDB client against a local HTTP server that plays DynamoDB (answers chosen
 * per test): retries as the SDK's standard mode, never a retried ConditionalCheckFailed,
 * SDK-shaped errors, request timeouts, endpoint and credential resolution.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DynamoDbJsonClient } from '../../src/core/runtime/shared/dynamodb/client';
import { defaultCredentials } from '../../src/core/runtime/shared/dynamodb/credentials';
import { resolveEndpoint } from '../../src/core/runtime/shared/dynamodb/endpoint';
import { DynamoDbError } from '../../src/core/runtime/shared/dynamodb/errors';
import { resolveMaxAttempts, RetryQuota } from '../../src/core/runtime/shared/dynamodb/retry';
import { RecordedRequest, ScriptedAnswer, startScriptedJsonServer } from '../support/scripted-json-server';
import { tempDir } from '../support/temp';

/** One answer of the fake server: a status and JSON body, a dropped socket, or no answer at all. */
type Answer = ScriptedAnswer;

type Seen = RecordedRequest;

let stop: () => Promise<void>;
let endpoint: string;
let answers: Answer[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  ({ endpoint, stop } = await startScriptedJsonServer({
    contentType: 'application/x-amz-json-1.0',
    next: () => answers.shift(),
    record: (request) => seen.push(request),
  }));
});

afterAll(() => stop());

const clients: DynamoDbJsonClient[] = [];
beforeEach(() => {
  answers = [];
  seen = [];
});
afterEach(() => {
  for (const created of clients.splice(0)) created.destroy();
});

function client(options: Partial<ConstructorParameters<typeof DynamoDbJsonClient>[0]> = {}) {
  // Generous timeouts unless a test sets its own: request counts are asserted, and a loaded CI machine must not
  // turn a slow answer into a retry.
  const created = new DynamoDbJsonClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    requestTimeoutMs: 120_000,
    connectTimeoutMs: 120_000,
    ...options,
  });
  clients.push(created);
  return created;
}

const failure = (type: string, message: string, extra: object = {}) => ({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });

async function rejection(promise: Promise<unknown>): Promise<DynamoDbError> {
  try {
    await promise;
  } catch (error) {
    return error as DynamoDbError;
  }
  throw new Error('expected the call to fail');
}

describe('requests', () => {
  test('a call is one signed JSON-protocol POST, and its JSON output is returned', async () => {
    answers = [{ status: 200, body: { Item: { id: { S: 'k' } } } }];
    const output = await client({ credentials: { accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 'tok' } }).send('GetItem', { TableName: 't', Key: { id: { S: 'k' } } });
    expect(output).toEqual({ Item: { id: { S: 'k' } } });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0].body)).toEqual({ TableName: 't', Key: { id: { S: 'k' } } });
    expect(seen[0].headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(seen[0].headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(seen[0].headers['x-amz-security-token']).toBe('tok');
    expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/);
  });
});

describe('retries (standard mode)', () => {
  test('a 500 and a throttling error are retried, and the third attempt succeeds', async () => {
    answers = [{ status: 500, body: failure('InternalServerError', 'boom') }, { status: 400, body: failure('ThrottlingException', 'slow down') }, { status: 200, body: { ok: 1 } }];
    await expect(client().send('PutItem', { TableName: 't' })).resolves.toEqual({ ok: 1 });
    expect(seen).toHaveLength(3);
  });

  test('ProvisionedThroughputExceeded, a 503 without a body and a reset socket are retried too', async () => {
    answers = [{ status: 400, body: failure('ProvisionedThroughputExceededException', 'capacity') }, { status: 503 }, 'reset', { status: 200, body: {} }];
    await expect(client({ maxAttempts: 4 }).send('PutItem', { TableName: 't' })).resolves.toEqual({});
    expect(seen).toHaveLength(4);
  });

  test('a ConditionalCheckFailedException is never retried, and carries the existing item', async () => {
    answers = [{ status: 400, body: failure('ConditionalCheckFailedException', 'The conditional request failed', { Item: { id: { S: 'k' }, status: { S: 'COMPLETED' } } }), requestId: 'rid-ccf' }];
    const error = await rejection(client({ maxAttempts: 5 }).send('PutItem', { TableName: 't' }));
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(DynamoDbError);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.message).toBe('The conditional request failed');
    expect(error.Item).toEqual({ id: { S: 'k' }, status: { S: 'COMPLETED' } });
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: 'rid-ccf', attempts: 1 });
    expect(error.$fault).toBe('client');
  });

  test('a ValidationException is not retried and keeps its message (the template maps the size one to IdempotentResultTooLargeError)', async () => {
    answers = [{ status: 400, body: failure('ValidationException', 'Item size has exceeded the maximum allowed size') }];
    const error = await rejection(client().send('UpdateItem', { TableName: 't' }));
    expect(seen).toHaveLength(1);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/size/);
  });

  test('after maxAttempts the last error is thrown with the attempts made', async () => {
    answers = [{ status: 500, body: failure('InternalServerError', 'a') }, { status: 500, body: failure('InternalServerError', 'b') }];
    const error = await rejection(client({ maxAttempts: 2 }).send('GetItem', { TableName: 't' }));
    expect(seen).toHaveLength(2);
    expect(error.name).toBe('InternalServerError');
    expect(error.message).toBe('b');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 2 });
    expect(error.$fault).toBe('server');
  });

  test('AWS_MAX_ATTEMPTS sets the attempts; default 3; a bad value is rejected by name', () => {
    expect(resolveMaxAttempts(undefined, {})).toBe(3);
    expect(resolveMaxAttempts(undefined, { AWS_MAX_ATTEMPTS: '5' })).toBe(5);
    expect(resolveMaxAttempts(2, { AWS_MAX_ATTEMPTS: '5' })).toBe(2);
    expect(() => resolveMaxAttempts(undefined, { AWS_MAX_ATTEMPTS: 'lots' })).toThrow('AWS_MAX_ATTEMPTS is "lots"; set it to an integer >= 1.');
    expect(() => resolveMaxAttempts(0, {})).toThrow('maxAttempts must be an integer >= 1, got 0');
  });

  test('AWS_MAX_ATTEMPTS=1 from the environment turns retries off', async () => {
    const saved = process.env.AWS_MAX_ATTEMPTS;
    process.env.AWS_MAX_ATTEMPTS = '1';
    try {
      answers = [{ status: 500, body: failure('InternalServerError', 'once') }];
      await expect(client().send('GetItem', { TableName: 't' })).rejects.toMatchObject({ name: 'InternalServerError' });
      expect(seen).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.AWS_MAX_ATTEMPTS;
      else process.env.AWS_MAX_ATTEMPTS = saved;
    }
  });
});

test('the retry quota (the SDK\'s 500 tokens) runs dry in an outage and refills with successes', () => {
  const quota = new RetryQuota();
  const serverError = new DynamoDbError('InternalServerError', 'x', { attempts: 1, totalRetryDelay: 0, httpStatusCode: 500 });
  const timeout = new DynamoDbError('TimeoutError', 'x', { attempts: 1, totalRetryDelay: 0 }, { transient: true });
  expect(quota.acquire(timeout)).toBe(10);
  let granted = 0;
  while (quota.acquire(serverError) !== undefined) granted++;
  expect(granted).toBe(98);
  expect(quota.available).toBe(0);
  // A first-attempt success gives 1 token back, a success after retries what they took.
  quota.release(undefined);
  expect(quota.available).toBe(1);
  quota.release(15);
  expect(quota.available).toBe(16);
  for (let i = 0; i < 1000; i++) quota.release(undefined);
  expect(quota.available).toBe(500);
});

describe('timeouts', () => {
  test('a request that gets no answer fails with a TimeoutError naming requestTimeoutMs, after every attempt timed out', async () => {
    answers = ['hang', 'hang'];
    const error = await rejection(client({ requestTimeoutMs: 150, maxAttempts: 2 }).send('GetItem', { TableName: 't' }));
    expect(seen).toHaveLength(2);
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe('DynamoDB did not answer within 150 ms (requestTimeoutMs)');
    expect(error.$metadata.attempts).toBe(2);
  });

  test('a timed-out attempt is retried and the next answer is used', async () => {
    answers = ['hang', { status: 200, body: { Item: { id: { S: 'x' } } } }];
    await expect(client({ requestTimeoutMs: 150 }).send('GetItem', { TableName: 't' })).resolves.toEqual({ Item: { id: { S: 'x' } } });
  });

  test('an endpoint that refuses connections fails with the network error once attempts are spent', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(client({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 2 }).send('GetItem', { TableName: 't' }));
    expect(error.name).toBe('NetworkingError');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.$metadata).toMatchObject({ attempts: 2, httpStatusCode: undefined });
  });
});

describe('endpoint', () => {
  test('explicit, then AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, else regional', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb:1', AWS_ENDPOINT_URL: 'http://all:2' };
    expect(resolveEndpoint({ endpoint: 'http://own:3' }, env).url.href).toBe('http://own:3/');
    expect(resolveEndpoint({}, env).url.href).toBe('http://ddb:1/');
    expect(resolveEndpoint({}, { ...env, AWS_ENDPOINT_URL_DYNAMODB: '' }).url.href).toBe('http://all:2/');
    expect(resolveEndpoint({}, { AWS_REGION: 'eu-west-1' })).toEqual({ url: new URL('https://dynamodb.eu-west-1.amazonaws.com/'), region: 'eu-west-1' });
    expect(resolveEndpoint({ region: 'us-east-2' }, { AWS_REGION: 'eu-west-1' }).region).toBe('us-east-2');
    expect(resolveEndpoint({}, { AWS_DEFAULT_REGION: 'ap-south-1' }).url.host).toBe('dynamodb.ap-south-1.amazonaws.com');
  });

  test('China, FIPS and dual-stack endpoints', () => {
    const host = (env: Record<string, string>) => resolveEndpoint({}, env).url.host;
    expect(host({ AWS_REGION: 'cn-north-1' })).toBe('dynamodb.cn-north-1.amazonaws.com.cn');
    expect(host({ AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'true' })).toBe('dynamodb-fips.us-east-1.amazonaws.com');
    expect(host({ AWS_REGION: 'us-gov-west-1', AWS_USE_FIPS_ENDPOINT: 'true' })).toBe('dynamodb.us-gov-west-1.amazonaws.com');
    expect(host({ AWS_REGION: 'eu-west-1', AWS_USE_DUALSTACK_ENDPOINT: 'true' })).toBe('dynamodb.eu-west-1.api.aws');
    expect(host({ AWS_REGION: 'us-east-1', AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_USE_FIPS_ENDPOINT: 'true' })).toBe('dynamodb-fips.us-east-1.api.aws');
    expect(host({ AWS_REGION: 'cn-northwest-1', AWS_USE_DUALSTACK_ENDPOINT: 'true' })).toBe('dynamodb.cn-northwest-1.api.amazonwebservices.com.cn');
    expect(host({ AWS_REGION: 'eu-west-1', AWS_USE_FIPS_ENDPOINT: 'false' })).toBe('dynamodb.eu-west-1.amazonaws.com');
  });

  test('settings it cannot serve fail with one clear message', () => {
    expect(() => resolveEndpoint({}, {})).toThrow('DynamoDB client: no region. Set AWS_REGION (Lambda sets it) or pass `region`.');
    expect(() => resolveEndpoint({}, { AWS_REGION: 'cn-north-1', AWS_USE_FIPS_ENDPOINT: 'true' })).toThrow('the China partition (cn-north-1) has no FIPS endpoint');
    expect(() => resolveEndpoint({}, { AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'yes' })).toThrow('AWS_USE_FIPS_ENDPOINT is "yes"; set it to true or false.');
    expect(() => resolveEndpoint({}, { AWS_REGION: 'us-isob-east-1' })).toThrow('isolated partition; set AWS_ENDPOINT_URL_DYNAMODB');
    expect(() => resolveEndpoint({ endpoint: 'not a url' }, { AWS_REGION: 'us-east-1' })).toThrow('endpoint "not a url" is not a URL');
    expect(() => resolveEndpoint({ endpoint: 'ftp://x' }, { AWS_REGION: 'us-east-1' })).toThrow('must use http: or https:');
  });

  test('a bad setting fails the call, not the construction of the client', async () => {
    const lazy = new DynamoDbJsonClient({ region: 'us-east-1', endpoint: 'nope' });
    await expect(lazy.send('GetItem', { TableName: 't' })).rejects.toThrow('endpoint "nope" is not a URL');
  });
});

describe('credentials', () => {
  test("Lambda's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN are used without the SDK", async () => {
    const source = defaultCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'sk', AWS_SESSION_TOKEN: 'tok' });
    await expect(source()).resolves.toEqual({ accessKeyId: 'AKID', secretAccessKey: 'sk', sessionToken: 'tok' });
  });

  test("without them, the SDK's default chain (lazily loaded) finds a shared credentials file", async () => {
    const dir = tempDir('lean-ddb-');
    const file = path.join(dir, 'credentials');
    fs.writeFileSync(file, '[lean]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n');
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];
    const saved = names.map((name) => [name, process.env[name]] as const);
    for (const name of names) delete process.env[name];
    Object.assign(process.env, { AWS_PROFILE: 'lean', AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: path.join(dir, 'config') });
    try {
      const source = defaultCredentials(process.env);
      await expect(source()).resolves.toMatchObject({ accessKeyId: 'AKIDFROMFILE', secretAccessKey: 'file-secret' });
      // And the client signs with them.
      answers = [{ status: 200, body: {} }];
      await client({ credentials: undefined }).send('GetItem', { TableName: 't' });
      expect(seen[0].headers.authorization).toContain('Credential=AKIDFROMFILE/');
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
