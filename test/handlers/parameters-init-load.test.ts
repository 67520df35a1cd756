/**
 * A function that declares parameters loads their readers (the lean SSM / Secrets Manager
 * providers, parameter-providers/) while its module initializes, when Lambda gives init the
 * most CPU, not on the first read; one that declares none never loads them. Neither loads the
 * AWS SDK's SSM or Secrets Manager client, at init or when the values are read: that load was
 * most of the option's cold-init cost.
 *
 * A fresh node process with a module-resolution hook imports the bundled asset. SSM and Secrets
 * Manager have no local server: where a test reads values, the child process itself runs a
 * minimal HTTP stand-in that answers GetParameter and GetSecretValue (AWS JSON 1.1), and the
 * asset reaches it through AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_SECRETS_MANAGER (and, for the
 * idempotent template's record writes, AWS_ENDPOINT_URL_DYNAMODB: any DynamoDB call succeeds).
 */
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import { restEvent } from './api-events';
import { assetPath } from '../support/assets';
import { modulesLoadedBy } from '../support/loaded-modules';
import { tempDir } from '../support/temp';

const DECLARED = {
  PARAMETERS_SSM_NAMES: JSON.stringify({ apiUrl: '/shop/api-url' }),
  PARAMETERS_SECRET_IDS: JSON.stringify({ apiKey: 'shop/api-key' }),
};

// The entry and one event per template, as a `fromEntry` user writes them; the logic reads both values.
const READ = "const values = [await ctx.parameters.get('apiUrl'), await ctx.parameters.secret('apiKey')]; globalThis.readValues = values;";
const ENTRIES: Record<string, { wrap: string; event: unknown }> = {
  function: { wrap: `wrapFunction({ handle: async (event, ctx) => { ${READ} return {}; } })`, event: {} },
  batch: { wrap: `wrapBatch({ processRecord: async (body, ctx) => { ${READ} } })`, event: { Records: [{ messageId: 'm', body: '{}', attributes: {}, messageAttributes: {} }] } },
  stream: {
    wrap: `wrapStream({ processRecord: async (body, ctx) => { ${READ} } })`,
    event: { Records: [{ eventSource: 'aws:kinesis', eventID: 'shardId-1:1', kinesis: { sequenceNumber: '1', partitionKey: 'p', data: Buffer.from('{}').toString('base64') } }] },
  },
  api: {
    wrap: `wrapApi({ routes: { 'GET /config': async (ctx) => { ${READ} return {}; } } })`,
    event: restEvent({ method: 'GET', path: '/config', requestId: 'a-1' }),
  },
  idempotent: { wrap: `wrapIdempotent({ processEvent: async (event, ctx) => { ${READ} return {}; } })`, event: { orderId: 'o-1' } },
};

const BASE_ENV = {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'init-load',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  STREAM_SOURCE_TYPE: 'KINESIS',
};

// A stand-in for the two endpoints, inside the child (the test's own process is blocked while the child runs).
const STAND_IN = `
const { createServer } = process.getBuiltinModule('node:http');
const server = createServer((req, res) => {
  let text = '';
  req.on('data', (c) => (text += c));
  req.on('end', () => {
    const target = req.headers['x-amz-target'];
    const input = JSON.parse(text);
    const body = target === 'AmazonSSM.GetParameter' ? { Parameter: { Name: input.Name, Type: 'SecureString', Value: 'https://api.internal' } }
      : target === 'secretsmanager.GetSecretValue' ? { ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:' + input.SecretId, SecretString: 'k-1' }
      : String(target).startsWith('DynamoDB_20120810.') ? {}
      : { __type: 'UnknownOperationException' };
    res.writeHead('__type' in body ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.env.AWS_ENDPOINT_URL_SSM = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:' + server.address().port;
`;

/** What the SDK's SSM and Secrets Manager clients bundle and the lean providers never do: their error shape ids. */
const SDK_CLIENT_MARKERS = ['com.amazonaws.ssm#', 'com.amazonaws.secretsmanager#'];

interface Loaded {
  /** The lean reader chunks that loaded: ssm-provider, secrets-provider. */
  readonly readers: string[];
  /** Loaded files holding SDK SSM / Secrets Manager client code. */
  readonly sdkClientFiles: string[];
  readonly values?: unknown;
}

function load(template: string, env: Record<string, string>, options: { invoke?: boolean } = {}): Loaded {
  const entry = ENTRIES[template];
  const script = options.invoke
    ? [
      STAND_IN,
      `const m = await import(${JSON.stringify(assetPath(template))});`,
      `const r = await m.${entry.wrap}(${JSON.stringify(entry.event)}, { functionName: 'init-load', awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 });`,
      "if (r && (r.statusCode >= 400 || r.batchItemFailures?.length)) throw new Error('the invocation failed: ' + JSON.stringify(r));",
      "process.getBuiltinModule('node:fs').writeFileSync(process.env.VALUES_FILE, JSON.stringify(globalThis.readValues));",
      'server.close();',
    ].join('\n')
    : [
      `await import(${JSON.stringify(assetPath(template))});`,
      // No invocation: only what the module's initialization started may load.
      'await new Promise((r) => setTimeout(r, 200));',
    ].join('\n');
  const valuesFile = `${tempDir('init-load-')}/values.json`;
  const urls = modulesLoadedBy(script, {
    ...BASE_ENV,
    ...(template === 'idempotent' ? { IDEMPOTENCY_TABLE_NAME: 'init-load' } : {}),
    // The credentials Lambda gives a function: signing needs no SDK credential chain.
    ...(options.invoke ? { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_SESSION_TOKEN: 'local-token', VALUES_FILE: valuesFile } : {}),
    ...env,
  });
  const files = urls.filter((url) => url.startsWith('file:') && url.endsWith('.mjs')).map((url) => fileURLToPath(url));
  const readers = files.map((file) => /\/chunks\/(ssm-provider|secrets-provider)-[A-Z0-9]+\.mjs$/.exec(file)?.[1]).filter((name): name is string => name !== undefined);
  const sdkClientFiles = [...new Set(files)].filter((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return SDK_CLIENT_MARKERS.some((marker) => text.includes(marker));
  });
  const values = fs.existsSync(valuesFile) ? JSON.parse(fs.readFileSync(valuesFile, 'utf8')) : undefined;
  fs.rmSync(valuesFile.replace(/\/values\.json$/, ''), { recursive: true, force: true });
  return { readers: [...new Set(readers)].sort(), sdkClientFiles, values };
}

test('the markers find the SDK clients in the bundles (so their absence below means something)', () => {
  // Every template bundles Powertools' SDK-based providers for useParameterClients: a chunk loaded only then.
  const chunks = fs.readdirSync(assetPath('function').replace(/index\.mjs$/, 'chunks')).map((name) => fs.readFileSync(`${assetPath('function').replace(/index\.mjs$/, 'chunks')}/${name}`, 'utf8'));
  for (const marker of SDK_CLIENT_MARKERS) expect(chunks.filter((text) => text.includes(marker)).length).toBeGreaterThan(0);
});

describe.each(Object.keys(ENTRIES))('%s template', (template) => {
  test('declared parameters and secrets: both lean readers load during init, no SDK client does', () => {
    const loaded = load(template, DECLARED);
    expect(loaded.readers).toEqual(['secrets-provider', 'ssm-provider']);
    expect(loaded.sdkClientFiles).toEqual([]);
  });

  test('reading both values signs and sends the requests itself: still no SDK client loaded', () => {
    const loaded = load(template, DECLARED, { invoke: true });
    expect(loaded.values).toEqual(['https://api.internal', 'k-1']);
    expect(loaded.sdkClientFiles).toEqual([]);
  });

  test('none declared: neither reader loads', () => {
    const loaded = load(template, {});
    expect(loaded.readers).toEqual([]);
    expect(loaded.sdkClientFiles).toEqual([]);
  });
});
