/**
 * Parameters and secrets in the *bundled* templates (assets/<template>/index.mjs): the logic
 * gets `parameters` on its context, values come through Powertools Parameters with caching,
 * a missing one fails the invocation naming it, and no value reaches a log line.
 *
 * SSM and Secrets Manager have no local server. What ships (the lean clients) calls a local
 * HTTP stand-in for both endpoints (bench/lib/local-parameters-server.ts, AWS JSON 1.1 on
 * 127.0.0.1, reached through AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_SECRETS_MANAGER). SDK
 * clients handed to an asset with its exported `useParameterClients` are aws-sdk-client-mock
 * mocks. DynamoDB, for the idempotent template, is dynalite on 127.0.0.1.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { restEvent } from './api-events';
import { captureStdout, sqsRecord } from './batch-support';
import { createIdempotencyTable } from './idempotency-table';
import { LocalParametersServer, startLocalParametersServer } from '../../bench/lib/local-parameters-server';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { DynaliteServer, LOCAL_AWS_ENV, localDynamoDbClient, startDynalite } from '../support/dynalite';

const SECRET_VALUE = 'sk_live_51H-very-secret-value';
const DB_URL = 'postgres://orders-db.internal:5432/orders';
const STRIPE_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf';
// A binary secret (SecretBinary): the logic gets its bytes as base64.
const CERT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:client-cert-XyZ123';
const CERT_BYTES = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x00, 0xff, 0x7f, 0x80]);

const env = fileEnv({
  ...LOCAL_AWS_ENV,
  AWS_LAMBDA_FUNCTION_NAME: 'shop-fn',
  POWERTOOLS_SERVICE_NAME: 'params',
  POWERTOOLS_METRICS_NAMESPACE: 'ParametersTest',
  // Every line the templates can write, so the clean-logs check sees them all.
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  BATCH_QUEUE_TYPE: 'STANDARD',
  PARAMETERS_SSM_NAMES: JSON.stringify({ dbUrl: '/shop/db-url', gone: '/shop/deleted' }),
  PARAMETERS_SECRET_IDS: JSON.stringify({ stripe: STRIPE_ARN, cert: CERT_ARN }),
  POWERTOOLS_PARAMETERS_MAX_AGE: '300',
});

/** Mocked SDK clients answering like SSM and Secrets Manager; `calls` holds the requests they served. */
function fakeStores() {
  const ssm = new SSMClient({ region: 'us-east-1' });
  const secretsManager = new SecretsManagerClient({ region: 'us-east-1' });
  const calls = { ssm: [] as any[], secrets: [] as any[] };
  mockClient(ssm).onAnyCommand().callsFake((input: any) => {
    calls.ssm.push(input);
    if (input.Name === '/shop/db-url') return { Parameter: { Name: input.Name, Type: 'SecureString', Value: DB_URL } };
    throw Object.assign(new Error(`Parameter ${input.Name} not found.`), { name: 'ParameterNotFound' });
  });
  mockClient(secretsManager).onAnyCommand().callsFake((input: any) => {
    calls.secrets.push(input);
    if (input.SecretId.includes(':secret:stripe-')) return { ARN: input.SecretId, SecretString: SECRET_VALUE };
    throw Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' });
  });
  return { clients: { ssm, secretsManager }, calls };
}

let server: DynaliteServer;
let stores: LocalParametersServer;

/** The JSON inputs the stand-in received for one target, oldest first. */
const inputs = (target: string) => stores.received.filter((r) => r.headers['x-amz-target'] === target).map((r) => JSON.parse(r.body));
const ssmInputs = () => inputs('AmazonSSM.GetParameter');
const secretInputs = () => inputs('secretsmanager.GetSecretValue');

beforeAll(async () => {
  server = await startDynalite();
  stores = await startLocalParametersServer({ ssm: { '/shop/db-url': DB_URL }, secrets: { [STRIPE_ARN]: SECRET_VALUE }, binarySecrets: { [CERT_ARN]: CERT_BYTES.toString('base64') } });
  env.set({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, ...stores.endpointEnv });
});

afterAll(async () => {
  await Promise.all([server?.stop(), stores?.stop()]);
});

/** Logic that reads both values and logs what it may: the context, never the values. */
async function readBoth(context: any): Promise<{ dbUrlLength: number; stripeLength: number }> {
  const dbUrl: string = await context.parameters.get('dbUrl');
  const stripe: string = await context.parameters.secret('stripe');
  context.logger?.info?.('read the configuration', { context });
  return { dbUrlLength: dbUrl.length, stripeLength: stripe.length };
}

describe('PowertoolsFunction template (assets/function)', () => {
  let t: any;
  beforeAll(async () => {
    t = await importTemplate('function');
  });

  test('handle gets the values through context.parameters; the Lambda context stays intact', async () => {
    const handler = t.wrapFunction({
      handle: async (_event: unknown, context: any) => ({
        dbUrl: await context.parameters.get('dbUrl'),
        requestId: context.awsRequestId,
        remaining: context.getRemainingTimeInMillis() > 0,
      }),
    });
    expect(await handler({}, lambdaContext({ requestId: 'r-1' }))).toEqual({ dbUrl: DB_URL, requestId: 'r-1', remaining: true });
    // SecureStrings are decrypted
    expect(ssmInputs()).toEqual([{ Name: '/shop/db-url', WithDecryption: true }]);
  });

  test('a binary secret (SecretBinary) reaches the logic as the base64 of its bytes', async () => {
    const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => context.parameters.secret('cert') });
    const value: string = await handler({}, lambdaContext());
    expect(Buffer.from(value, 'base64')).toEqual(CERT_BYTES);
    expect(secretInputs().at(-1)).toEqual({ SecretId: CERT_ARN });
  });

  test('values are cached for POWERTOOLS_PARAMETERS_MAX_AGE: repeated reads make no new request', async () => {
    const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => readBoth(context) });
    const before = { ssm: ssmInputs().length, secrets: secretInputs().length };
    for (let i = 0; i < 3; i++) expect(await handler({}, lambdaContext())).toEqual({ dbUrlLength: DB_URL.length, stripeLength: SECRET_VALUE.length });
    // dbUrl was fetched by the first test, less than 300 s ago
    expect(ssmInputs().length - before.ssm).toBe(0);
    expect(secretInputs().length - before.secrets).toBe(1);
    expect(secretInputs().at(-1)).toEqual({ SecretId: STRIPE_ARN });
  });

  test('POWERTOOLS_PARAMETERS_MAX_AGE=0 (parametersMaxAge: 0) fetches on every read', async () => {
    const saved = process.env.POWERTOOLS_PARAMETERS_MAX_AGE;
    process.env.POWERTOOLS_PARAMETERS_MAX_AGE = '0';
    t.useParameterClients({});
    try {
      const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => context.parameters.get('dbUrl') });
      const before = ssmInputs().length;
      await handler({}, lambdaContext());
      await handler({}, lambdaContext());
      expect(ssmInputs().length - before).toBe(2);
    } finally {
      process.env.POWERTOOLS_PARAMETERS_MAX_AGE = saved;
      t.useParameterClients({});
    }
  });

  test('a missing parameter fails the invocation with an error naming the key and the parameter', async () => {
    const seen: unknown[] = [];
    const handler = t.wrapFunction({
      handle: async (_e: unknown, context: any) => {
        seen.push(await context.parameters.get('gone'));
        return 'unreachable';
      },
    });
    const { result } = await captureStdout(() => handler({}, lambdaContext()).then(
      () => undefined,
      (error: Error) => error,
    ));
    expect(result).toMatchObject({ name: 'MissingParameterError', message: expect.stringMatching(/^SSM parameter "gone" \(\/shop\/deleted\) was not found \(ParameterNotFound: \/shop\/deleted not found\)\. Create it, or fix the name given to the construct's `parameters`\.$/) });
    expect(seen).toEqual([]);
  });

  test('a key the construct did not declare fails naming the declared ones', async () => {
    const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => context.parameters.secret('paypal') });
    const { result } = await captureStdout(() => handler({}, lambdaContext()).catch((error: Error) => error));
    expect(result).toMatchObject({ name: 'UndeclaredParameterError', message: expect.stringContaining('Secret "paypal" is not declared (declared: stripe, cert). Add it to the construct\'s `secrets`') });
  });

  test('a malformed names variable fails the read, naming it and the prop', async () => {
    const saved = process.env.PARAMETERS_SSM_NAMES;
    process.env.PARAMETERS_SSM_NAMES = '["/shop/db-url"]';
    t.useParameterClients({});
    try {
      const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => context.parameters.get('dbUrl') });
      const { result } = await captureStdout(() => handler({}, lambdaContext()).catch((error: Error) => error));
      expect(String(result)).toMatch(/PARAMETERS_SSM_NAMES must be a JSON object of non-empty names\. The construct sets it from `parameters`/);
    } finally {
      process.env.PARAMETERS_SSM_NAMES = saved;
      t.useParameterClients({});
    }
  });

  test('no value reaches a log line, even when the logic logs its context or fails', async () => {
    const handler = t.wrapFunction({
      handle: async (_e: unknown, context: any) => {
        await readBoth(context);
        console.log(JSON.stringify({ context }));
        throw new Error('the logic failed after reading its secrets');
      },
    });
    const { lines } = await captureStdout(() => handler({ orderId: 'o-1' }, lambdaContext()).catch(() => undefined));
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(1); // the event line, the context dump, the error, EMF
    expect(text).toContain('the logic failed after reading its secrets');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(DB_URL);
  });
});

describe('useParameterClients: SDK clients replace the lean ones', () => {
  test('reads go through the given clients with Powertools\' SDK providers, caching included; `{}` goes back', async () => {
    const t = await importTemplate('function');
    const mocked = fakeStores();
    t.useParameterClients(mocked.clients);
    const handler = t.wrapFunction({ handle: (_e: unknown, context: any) => readBoth(context) });
    const before = { ssm: ssmInputs().length, secrets: secretInputs().length };
    for (let i = 0; i < 2; i++) expect(await handler({}, lambdaContext())).toEqual({ dbUrlLength: DB_URL.length, stripeLength: SECRET_VALUE.length });
    expect(mocked.calls.ssm).toEqual([{ Name: '/shop/db-url', WithDecryption: true }]);
    expect(mocked.calls.secrets).toEqual([{ SecretId: STRIPE_ARN }]);
    expect({ ssm: ssmInputs().length, secrets: secretInputs().length }).toEqual(before);
    const missing = t.wrapFunction({ handle: (_e: unknown, context: any) => context.parameters.get('gone') });
    await expect(missing({}, lambdaContext())).rejects.toThrow(/^SSM parameter "gone" \(\/shop\/deleted\) was not found \(ParameterNotFound: Parameter \/shop\/deleted not found\.\)/);
    t.useParameterClients({});
    expect(await handler({}, lambdaContext())).toEqual({ dbUrlLength: DB_URL.length, stripeLength: SECRET_VALUE.length });
    expect(ssmInputs().length - before.ssm).toBe(1);
  });
});

describe('the other templates hand parameters to the logic', () => {
  test('SqsBatchConsumer: context.parameters on each record; a missing secret fails only its record', async () => {
    const t = await importTemplate('batch');
    const handler = t.wrapBatch({
      processRecord: async (body: any, context: any) => {
        const value = await context.parameters.secret(body.secret);
        context.logger.info('charged', { body, context: { messageId: context.messageId, parameters: context.parameters } });
        return value.length;
      },
    });
    const { result, lines } = await captureStdout(() =>
      handler({ Records: [sqsRecord('m-1', '{"secret":"stripe"}'), sqsRecord('m-2', '{"secret":"paypal"}')] }, lambdaContext()),
    );
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.error?.message)).toEqual([expect.stringContaining('Secret "paypal" is not declared')]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(JSON.stringify(lines)).toMatch(/Secret \\"paypal\\" is not declared/);
    expect(JSON.stringify(lines)).not.toContain(SECRET_VALUE);
  });

  test('ObservableApi: request.parameters in a route; a missing parameter is a 500 without internals', async () => {
    const t = await importTemplate('api');
    const handler = t.wrapApi({
      routes: {
        'GET /config': async (request: any) => ({ dbUrlLength: (await request.parameters.get('dbUrl')).length }),
        'GET /broken': async (request: any) => request.parameters.get('gone'),
      },
    });
    const ok = await handler(restEvent({ method: 'GET', path: '/config', requestId: 'a-1' }), lambdaContext());
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ dbUrlLength: DB_URL.length });
    const { result } = await captureStdout<any>(() => handler(restEvent({ method: 'GET', path: '/broken', requestId: 'a-2' }), lambdaContext()));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('/shop/deleted');
  });

  test('IdempotentFunction: processEvent gets context.parameters; a missing parameter leaves no record behind, so a retry runs', async () => {
    const ddb = localDynamoDbClient(server);
    const table = await createIdempotencyTable(ddb, 'params-idempotency');
    ddb.destroy();
    env.set({ IDEMPOTENCY_TABLE_NAME: table, IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId', IDEMPOTENCY_KEY_PREFIX: 'Shop/Payments' });
    const t = await importTemplate('idempotent');
    let key = 'gone';
    let runs = 0;
    const handler = t.wrapIdempotent({
      processEvent: async (event: any, context: any) => {
        runs++;
        return { orderId: event.orderId, length: (await context.parameters.get(key)).length };
      },
    });
    await expect(handler({ orderId: 'p-1' }, lambdaContext())).rejects.toThrow(/SSM parameter "gone" \(\/shop\/deleted\) was not found/);
    key = 'dbUrl';
    expect(await handler({ orderId: 'p-1' }, lambdaContext())).toEqual({ orderId: 'p-1', length: DB_URL.length });
    expect(await handler({ orderId: 'p-1' }, lambdaContext())).toEqual({ orderId: 'p-1', length: DB_URL.length });
    expect(runs).toBe(2);
  });

  test('StreamBatchConsumer and PowerTunedFunction: the same context field', async () => {
    // The stream template has per-record idempotency too: without this, the idempotent test's
    // table and key (`orderId`, absent from this record) would apply to it and fail the record.
    for (const name of ['IDEMPOTENCY_TABLE_NAME', 'IDEMPOTENCY_EVENT_KEY_JMESPATH', 'IDEMPOTENCY_KEY_PREFIX']) delete process.env[name];
    const stream = await importTemplate('stream');
    const seen: string[] = [];
    const streamHandler = stream.wrapStream({ processRecord: async (_p: unknown, context: any) => void seen.push(await context.parameters.get('dbUrl')) });
    const record = { eventSource: 'aws:kinesis', eventID: 'shardId-000:1', kinesis: { sequenceNumber: '1', partitionKey: 'k', data: Buffer.from('{}').toString('base64') } };
    expect(await captureStdout(() => streamHandler({ Records: [record] }, lambdaContext())).then((r) => r.result)).toEqual({ batchItemFailures: [] });
    const tuned = await importTemplate('power-tuned');
    const tunedHandler = tuned.wrapPowerTuned({ handle: async (_e: unknown, context: any) => context.parameters.secret('stripe').then((s: string) => s.length) });
    expect(await captureStdout(() => tunedHandler({}, lambdaContext())).then((r) => r.result)).toBe(SECRET_VALUE.length);
    expect(seen).toEqual([DB_URL]);
  });
});
