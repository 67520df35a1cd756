/**
 * The lean SSM and Secrets Manager providers (src/core/runtime/shared/parameter-providers/)
 * against the AWS SDK clients Powertools' own providers use, side by side on one local HTTP
 * server that plays both services (SSM and Secrets Manager have no local server; answers are
 * chosen per test): the same requests (target, content type, body), signatures that
 * `@smithy/signature-v4` (what the SDK clients sign with) recomputes from what arrived, the
 * same error names, SecretBinary bytes, Powertools' caching, retries, the endpoints the SDK
 * resolves, and X-Ray subsegments named as the X-Ray SDK names the SDK clients'.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { GetParameterError, ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
// The signer the SDK clients use, present as a dependency of the dev dependencies @aws-sdk/client-*.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SignatureV4 } from '@smithy/signature-v4';
import { resolveServiceEndpoint } from '../../src/core/runtime/shared/aws-json/endpoint';
import { AwsJsonError } from '../../src/core/runtime/shared/aws-json/errors';
import { AwsJsonService, DYNAMODB } from '../../src/core/runtime/shared/aws-json/services';
import { KeepAliveHttp } from '../../src/core/runtime/shared/dynamodb/http';
import { SigV4Signer } from '../../src/core/runtime/shared/dynamodb/sigv4';
import { xrayCallTracer } from '../../src/core/runtime/shared/dynamodb/xray';
import { LeanSecretsProvider, SECRETS_MANAGER } from '../../src/core/runtime/shared/parameter-providers/secrets-provider';
import { LeanSSMProvider, SSM } from '../../src/core/runtime/shared/parameter-providers/ssm-provider';
import { captureRegisteredClients, traceWhenRecording } from '../../src/core/runtime/shared/traced-clients';
import { RecordedRequest, ScriptedAnswer, startScriptedJsonServer } from '../support/scripted-json-server';
import { seededRandom } from '../support/sqs-simulator';

type Answer = ScriptedAnswer;

type Received = RecordedRequest;

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==' };
const REGION = 'eu-central-1';
const LOADED_MACHINE = { requestTimeoutMs: 120_000, connectTimeoutMs: 120_000 };

let stop: () => Promise<void>;
let endpoint: string;
let answers: Answer[] = [];
let received: Received[] = [];

beforeAll(async () => {
  ({ endpoint, stop } = await startScriptedJsonServer({
    contentType: 'application/x-amz-json-1.1',
    next: () => answers.shift(),
    record: (request) => received.push(request),
  }));
});

afterAll(() => stop());

const made: Array<{ destroy(): void }> = [];
beforeEach(() => {
  answers = [];
  received = [];
});
afterEach(() => {
  for (const client of made.splice(0)) client.destroy();
});

const options = { endpoint: '', region: REGION, credentials: CREDENTIALS, maxAttempts: 3, ...LOADED_MACHINE };
function leanSsm(): LeanSSMProvider {
  const provider = new LeanSSMProvider({ ...options, endpoint });
  made.push(provider.jsonClient);
  return provider;
}
function leanSecrets(): LeanSecretsProvider {
  const provider = new LeanSecretsProvider({ ...options, endpoint });
  made.push(provider.jsonClient);
  return provider;
}
function sdkSsm(): SSMClient {
  const client = new SSMClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  made.push(client);
  return client;
}
function sdkSecrets(): SecretsManagerClient {
  const client = new SecretsManagerClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  made.push(client);
  return client;
}

/**
 * Recomputes the signature of a request as it arrived, with the SDK's signer over exactly the
 * headers the request says it signed: equal only if our canonical request, scope and key are.
 */
async function signatureHolds(request: Received, signingName: string): Promise<boolean> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name]);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  // The token is a signed header already (x-amz-security-token): sign with the key pair only, so it is not added twice.
  const longTerm = { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey };
  const signer = new SignatureV4({ service: signingName, region: REGION, credentials: longTerm, sha256: sha256(), applyChecksum: false });
  const signed: any = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: request.url, headers, body: request.body, query: {} } as any,
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  return signed.headers.authorization === authorization;
}

let sdkSha256: any;
/** The SHA-256 the SDK's SSM client signs with (its own runtime config), not one written here. */
function sha256(): any {
  if (!sdkSha256) {
    const client = new SSMClient({ region: REGION, credentials: CREDENTIALS });
    sdkSha256 = client.config.sha256;
    client.destroy();
  }
  return sdkSha256;
}

const scope = (request: Received) => /Credential=([^,]+)/.exec(String(request.headers.authorization))![1];
const signedHeaderNames = (request: Received) => /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1].split(';');
const PROTOCOL_HEADERS = ['content-type', 'x-amz-target', 'host', 'x-amz-security-token'];

describe('the same requests the SDK clients send', () => {
  test('SSM GetParameter: target, JSON 1.1 content type, body; a signature the SDK signer agrees with', async () => {
    answers = [
      { status: 200, body: { Parameter: { Name: '/shop/db-url', Type: 'SecureString', Value: 'postgres://db', Version: 3 } } },
      { status: 200, body: { Parameter: { Name: '/shop/db-url', Type: 'SecureString', Value: 'postgres://db', Version: 3 } } },
    ];
    const sdkValue = (await sdkSsm().send(new GetParameterCommand({ Name: '/shop/db-url', WithDecryption: true }))).Parameter?.Value;
    const leanValue = await leanSsm().get('/shop/db-url', { decrypt: true });
    expect(leanValue).toBe(sdkValue);
    const [sdk, lean] = received;
    expect(lean.method).toBe('POST');
    expect(lean.url).toBe(sdk.url);
    expect(lean.body).toBe(sdk.body);
    expect(JSON.parse(lean.body)).toEqual({ Name: '/shop/db-url', WithDecryption: true });
    for (const name of PROTOCOL_HEADERS) expect([name, lean.headers[name]]).toEqual([name, sdk.headers[name]]);
    expect(lean.headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
    expect(lean.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(lean.headers['content-length']).toBe(String(Buffer.byteLength(lean.body)));
    // The scope names the same region and service; what we sign is a subset of what the SDK signs (it adds its amz-sdk-* headers).
    expect(scope(lean)).toEqual(scope(sdk));
    expect(scope(lean)).toMatch(new RegExp(`^${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/ssm/aws4_request$`));
    expect(signedHeaderNames(sdk)).toEqual(expect.arrayContaining(signedHeaderNames(lean)));
    expect(signedHeaderNames(lean)).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']));
    expect(await signatureHolds(sdk, 'ssm')).toBe(true);
    expect(await signatureHolds(lean, 'ssm')).toBe(true);
  });

  test('Secrets Manager GetSecretValue: the same, signed for secretsmanager', async () => {
    const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:stripe-AbCdEf';
    answers = [{ status: 200, body: { ARN: arn, SecretString: 'sk_live_1' } }, { status: 200, body: { ARN: arn, SecretString: 'sk_live_1' } }];
    const sdkValue = (await sdkSecrets().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    expect(await leanSecrets().get(arn)).toBe(sdkValue);
    const [sdk, lean] = received;
    expect(lean.body).toBe(sdk.body);
    expect(JSON.parse(lean.body)).toEqual({ SecretId: arn });
    for (const name of PROTOCOL_HEADERS) expect([name, lean.headers[name]]).toEqual([name, sdk.headers[name]]);
    expect(lean.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(scope(lean)).toEqual(scope(sdk));
    expect(signedHeaderNames(sdk)).toEqual(expect.arrayContaining(signedHeaderNames(lean)));
    expect(await signatureHolds(sdk, 'secretsmanager')).toBe(true);
    expect(await signatureHolds(lean, 'secretsmanager')).toBe(true);
  });

  test('a tampered request fails the signature check (the check can fail)', async () => {
    answers = [{ status: 200, body: { Parameter: { Value: 'v' } } }];
    await leanSsm().get('/a', { decrypt: true });
    expect(await signatureHolds({ ...received[0], body: received[0].body.replace('/a', '/b') }, 'ssm')).toBe(false);
    expect(await signatureHolds(received[0], 'secretsmanager')).toBe(false);
  });

  test('decryption follows SSMProvider: decrypt option, then sdkOptions.WithDecryption, then POWERTOOLS_PARAMETERS_SSM_DECRYPT', async () => {
    const provider = leanSsm();
    answers = [1, 2, 3, 4].map(() => ({ status: 200, body: { Parameter: { Value: 'v' } } }));
    await provider.get('/p1', { decrypt: false, sdkOptions: { WithDecryption: true } });
    await provider.get('/p2', { sdkOptions: { WithDecryption: true } });
    await provider.get('/p3');
    const saved = process.env.POWERTOOLS_PARAMETERS_SSM_DECRYPT;
    process.env.POWERTOOLS_PARAMETERS_SSM_DECRYPT = 'yes';
    try {
      await provider.get('/p4');
    } finally {
      if (saved === undefined) delete process.env.POWERTOOLS_PARAMETERS_SSM_DECRYPT;
      else process.env.POWERTOOLS_PARAMETERS_SSM_DECRYPT = saved;
    }
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      { Name: '/p1', WithDecryption: false },
      { Name: '/p2', WithDecryption: true },
      { Name: '/p3', WithDecryption: false },
      { Name: '/p4', WithDecryption: true },
    ]);
  });
});

test('SigV4: the Authorization header equals @smithy/signature-v4 for 200 random SSM and Secrets Manager requests', async () => {
  const random = seededRandom(1811);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const text = (length: number, alphabet: string) => Array.from({ length }, () => pick([...alphabet])).join('');
  const regions = ['us-east-1', 'eu-central-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-7'];
  for (let i = 0; i < 200; i++) {
    const [service, operation, field] = pick([[SSM, 'GetParameter', 'Name'], [SECRETS_MANAGER, 'GetSecretValue', 'SecretId']] as const);
    const region = pick(regions);
    const credentials = {
      accessKeyId: `ASIA${text(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
      secretAccessKey: text(40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'),
      ...(random() < 0.8 ? { sessionToken: text(300, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=') } : {}),
    };
    const now = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 5 * 365 * 86_400_000));
    // Names with spaces, non-ASCII text and JSON escapes: the payload hash covers the UTF-8 bytes.
    const body = JSON.stringify({ [field]: `/${text(1 + Math.floor(random() * 40), 'ab/é 中"\\-_.')}`, ...(field === 'Name' ? { WithDecryption: random() < 0.5 } : {}) });
    const host = pick([`${service.endpoint.hostPrefix}.${region}.amazonaws.com`, `${service.endpoint.hostPrefix}-fips.${region}.amazonaws.com`, '127.0.0.1:4566']);
    const headers = { 'host': host, 'content-type': service.contentType, 'content-length': String(Buffer.byteLength(body)), 'x-amz-target': `${service.targetPrefix}.${operation}` };
    const ours = new SigV4Signer(region, service.signingName).sign({ method: 'POST', path: '/', headers, body }, credentials, now);
    const sdk = new SignatureV4({ service: service.signingName, region, credentials, sha256: sha256(), applyChecksum: false });
    const signed: any = await sdk.sign({ method: 'POST', protocol: 'https:', hostname: host, path: '/', headers: { ...headers }, body, query: {} } as any, { signingDate: now });
    expect(ours.authorization).toBe(signed.headers.authorization);
    expect(ours['x-amz-security-token']).toBe(signed.headers['x-amz-security-token']);
  }
});

describe('answers read as the SDK reads them', () => {
  test('SecretBinary: the same bytes as the SDK decodes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    answers = [{ status: 200, body: { ARN: 'a', SecretBinary: bytes.toString('base64') } }, { status: 200, body: { ARN: 'a', SecretBinary: bytes.toString('base64') } }];
    const sdkValue = (await sdkSecrets().send(new GetSecretValueCommand({ SecretId: 'bin' }))).SecretBinary;
    const leanValue = await leanSecrets().get('bin');
    expect(leanValue).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(leanValue as Uint8Array)).toEqual(Buffer.from(sdkValue!));
    expect(Buffer.from(leanValue as Uint8Array)).toEqual(bytes);
  });

  test.each([
    ['a __type with the service namespace', { status: 400, body: { __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'gone' } }, 'ParameterNotFound'],
    ['a bare __type without a message', { status: 400, body: { __type: 'ParameterNotFound' } }, 'ParameterNotFound'],
    ['the x-amzn-errortype header with a URI', { status: 400, body: { message: 'no' }, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' } }, 'AccessDeniedException'],
  ])('error names: %s', async (_case, answer, name) => {
    answers = [answer, answer];
    const sdkError: any = await sdkSsm().send(new GetParameterCommand({ Name: '/x' })).catch((e) => e);
    const leanError: any = await leanSsm().get('/x').catch((e) => e);
    expect(sdkError.name).toBe(name);
    // Powertools wraps what the client throws, for either client.
    expect(leanError).toBeInstanceOf(GetParameterError);
    expect(leanError.cause).toBeInstanceOf(AwsJsonError);
    expect(leanError.cause.name).toBe(sdkError.name);
    expect(leanError.cause.$metadata).toMatchObject({ httpStatusCode: sdkError.$metadata.httpStatusCode, requestId: 'req-2', attempts: 1 });
    expect(leanError.cause.$fault).toBe(sdkError.$fault);
    expect(leanError.cause.message).not.toBe('');
  });

  test('throwOnMissing: a missing parameter or secret is Powertools\' ParameterNotFoundError, as with its SDK providers', async () => {
    answers = [{ status: 400, body: { __type: 'ParameterNotFound' } }, { status: 400, body: { __type: 'ResourceNotFoundException', Message: 'not here' } }];
    await expect(leanSsm().get('/gone', { throwOnMissing: true } as any)).rejects.toBeInstanceOf(ParameterNotFoundError);
    await expect(leanSecrets().get('gone', { throwOnMissing: true } as any)).rejects.toBeInstanceOf(ParameterNotFoundError);
  });

  test('throttling is retried as the SDK\'s standard mode retries it; the value arrives', async () => {
    answers = [{ status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }, { status: 200, body: { Parameter: { Value: 'after-retry' } } }];
    expect(await leanSsm().get('/busy')).toBe('after-retry');
    expect(received).toHaveLength(2);
  });

  test('no answer in time: a TimeoutError naming the service and the setting', async () => {
    answers = ['hang'];
    const provider = new LeanSSMProvider({ ...options, endpoint, maxAttempts: 1, requestTimeoutMs: 200 });
    made.push(provider.jsonClient);
    const error: any = await provider.get('/slow').catch((e) => e);
    expect(error.cause).toMatchObject({ name: 'TimeoutError', message: 'SSM did not answer within 200 ms (requestTimeoutMs)', transient: true });
  });

  test('no connection: a transient error naming the service, retried up to maxAttempts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const provider = new LeanSecretsProvider({ ...options, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 2 });
    made.push(provider.jsonClient);
    const error: any = await provider.get('s').catch((e) => e);
    expect(error.cause).toMatchObject({ transient: true, message: expect.stringMatching(/^Secrets Manager request failed: .*ECONNREFUSED/) });
    expect(error.cause.$metadata.attempts).toBe(2);
  });

  test('an access-denied answer is not retried', async () => {
    answers = [{ status: 400, body: { __type: 'AccessDeniedException', Message: 'not authorized' } }];
    const error: any = await leanSecrets().get('s').catch((e) => e);
    expect(error.cause).toMatchObject({ name: 'AccessDeniedException', message: 'not authorized' });
    expect(received).toHaveLength(1);
  });
});

describe('Powertools caching stays Powertools\'', () => {
  test('maxAge caches, 0 does not, forceFetch refetches', async () => {
    answers = [1, 2, 3, 4].map((n) => ({ status: 200, body: { Parameter: { Value: `v${n}` } } }));
    const provider = leanSsm();
    expect(await provider.get('/c', { maxAge: 60 })).toBe('v1');
    expect(await provider.get('/c', { maxAge: 60 })).toBe('v1');
    expect(received).toHaveLength(1);
    expect(await provider.get('/c', { forceFetch: true })).toBe('v2');
    expect(await provider.get('/z', { maxAge: 0 })).toBe('v3');
    expect(await provider.get('/z', { maxAge: 0 })).toBe('v4');
    expect(received).toHaveLength(4);
  });

  test('transforms are Powertools\' (json)', async () => {
    answers = [{ status: 200, body: { ARN: 'a', SecretString: '{"user":"app","port":5432}' } }];
    expect(await leanSecrets().get('db', { transform: 'json' })).toEqual({ user: 'app', port: 5432 });
  });
});

describe('endpoints: the ones the SDK clients resolve', () => {
  const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1', 'ca-central-1', 'il-central-1', 'ap-southeast-7', 'eusc-de-east-1'];
  const CLIENTS: Array<[AwsJsonService, new (config: any) => { config: any; destroy(): void }]> = [
    [SSM, SSMClient],
    [SECRETS_MANAGER, SecretsManagerClient],
    [DYNAMODB, DynamoDBClient],
  ];

  test.each(CLIENTS.map(([service, client]) => [service.endpoint.label, service, client] as const))('%s: every region, FIPS and dual-stack combination', async (_label, service, Client) => {
    let compared = 0;
    for (const region of REGIONS) {
      for (const fips of [false, true]) {
        for (const dualStack of [false, true]) {
          // A deliberate refusal: the China partition's FIPS endpoints are not served (a clear error instead).
          if (fips && region.startsWith('cn-')) continue;
          const client = new Client({ region, useFipsEndpoint: fips, useDualstackEndpoint: dualStack, credentials: CREDENTIALS });
          const sdk = client.config.endpointProvider({ Region: region, UseFIPS: fips, UseDualStack: dualStack }, {}).url as URL;
          client.destroy();
          const env = { AWS_REGION: region, AWS_USE_FIPS_ENDPOINT: String(fips), AWS_USE_DUALSTACK_ENDPOINT: String(dualStack) };
          const ours = resolveServiceEndpoint(service.endpoint, {}, env);
          expect([region, fips, dualStack, ours.url.host]).toEqual([region, fips, dualStack, sdk.host]);
          compared++;
        }
      }
    }
    expect(compared).toBe(REGIONS.length * 4 - 4);
  });

  test('each service has its own configured-endpoint variable, then AWS_ENDPOINT_URL; errors name the service', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: 'http://ssm:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm:2', AWS_ENDPOINT_URL: 'http://all:3' };
    expect(resolveServiceEndpoint(SSM.endpoint, {}, env).url.href).toBe('http://ssm:1/');
    expect(resolveServiceEndpoint(SECRETS_MANAGER.endpoint, {}, env).url.href).toBe('http://sm:2/');
    expect(resolveServiceEndpoint(DYNAMODB.endpoint, {}, env).url.href).toBe('http://all:3/');
    expect(() => resolveServiceEndpoint(SECRETS_MANAGER.endpoint, {}, {})).toThrow('Secrets Manager client: no region.');
    expect(() => resolveServiceEndpoint(SSM.endpoint, {}, { AWS_REGION: 'us-iso-east-1' })).toThrow('SSM client: region "us-iso-east-1" is in an isolated partition; set AWS_ENDPOINT_URL_SSM to its endpoint.');
  });
});

describe('X-Ray', () => {
  interface Recorded {
    name: string;
    id: string;
    attributes: Record<string, unknown>;
  }
  const recorded: Recorded[] = [];
  const segment = {
    id: 'parent-1',
    trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    addNewSubsegment(name: string) {
      const entry: Recorded = { name, id: `sub-${recorded.length + 1}`, attributes: {} };
      recorded.push(entry);
      return {
        id: entry.id,
        addAttribute: (key: string, value: unknown) => (entry.attributes[key] = value),
        addThrottleFlag: () => undefined,
        addErrorFlag: () => undefined,
        addFaultFlag: () => undefined,
        close: () => undefined,
      };
    },
  };

  test('each call is an `aws` subsegment named as the X-Ray SDK names the SDK client (SSM, SecretsManager), with the trace header', async () => {
    const post = jest.spyOn(KeepAliveHttp.prototype, 'post');
    const ssm = leanSsm();
    const secrets = leanSecrets();
    for (const provider of [ssm, secrets]) provider.jsonClient.traceWith(xrayCallTracer({ getSegment: () => segment }));
    answers = [{ status: 200, body: { Parameter: { Value: 'v' } } }, { status: 200, body: { SecretString: 's' } }];
    await ssm.get('/t');
    await secrets.get('t');
    expect(recorded.map((r) => [r.name, r.attributes.namespace, (r.attributes.aws as any).operation, (r.attributes.aws as any).region])).toEqual([
      ['SSM', 'aws', 'GetParameter', REGION],
      ['SecretsManager', 'aws', 'GetSecretValue', REGION],
    ]);
    expect(recorded.map((r) => (r.attributes.aws as any).request_id)).toEqual(['req-1', 'req-2']);
    // Read where the client hands the request to node:http: on the wire, an X-Ray SDK patch of node:http from an
    // earlier test file in this jest worker may rewrite it.
    expect(post.mock.calls.map(([headers]) => headers['x-amzn-trace-id'])).toEqual(recorded.map((r) => `Root=${segment.trace_id};Parent=${r.id};Sampled=1`));
    post.mockRestore();
  });

  test('clients registered before or after the template\'s tracer loads are all handed to it', () => {
    const captured: object[] = [];
    const early = traceWhenRecording({ early: true });
    expect(captured).toEqual([]);
    captureRegisteredClients((client) => captured.push(client));
    const late = traceWhenRecording({ late: true });
    expect(captured).toEqual([early, late]);
  });
});
