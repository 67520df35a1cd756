/**
 * The api-stream template (Function URL, RESPONSE_STREAM) shares the api template's router:
 * cookies reach the prelude, CORS headers too, and a route's web Response streams. A fake of
 * the runtime's response stream records the prelude and every chunk; no AWS involved.
 */
import { Writable } from 'node:stream';
import { importTemplate, lambdaContext } from '../support/assets';

Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'stream-router',
  POWERTOOLS_METRICS_NAMESPACE: 'StreamRouter',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

class FakeResponseStream extends Writable {
  public readonly chunks: string[] = [];
  public prelude?: { statusCode: number; headers?: Record<string, string>; cookies?: string[] };
  public override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }
}

(globalThis as any).awslambda = {
  streamifyResponse: (handler: unknown) => handler,
  HttpResponseStream: {
    from(stream: FakeResponseStream, prelude: FakeResponseStream['prelude']) {
      stream.prelude = prelude;
      return stream;
    },
  },
};

type StreamHandler = (event: unknown, stream: FakeResponseStream, context: unknown) => Promise<void>;
let template: { wrapApiStream: (module: unknown) => StreamHandler };

function urlEvent(method: string, path: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abcdefgh.lambda-url.eu-west-1.on.aws', ...headers },
    requestContext: { domainName: 'abcdefgh.lambda-url.eu-west-1.on.aws', http: { method, path, sourceIp: '203.0.113.7' }, requestId: `url-${path}`, routeKey: '$default' },
    isBase64Encoded: false,
  };
}

async function invoke(handler: StreamHandler, event: unknown): Promise<FakeResponseStream> {
  const stream = new FakeResponseStream();
  await handler(event, stream, lambdaContext());
  return stream;
}

beforeAll(async () => {
  template = await importTemplate('api-stream');
});

test('cookies from reply() reach the Function URL prelude as cookies, not as a header', async () => {
  const handler = template.wrapApiStream({ routes: { 'GET /login': (r: any) => r.reply(200, { ok: true }, { 'set-cookie': 'sid=1; HttpOnly' }) } });
  const stream = await invoke(handler, urlEvent('GET', '/login'));
  expect(stream.prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: ['sid=1; HttpOnly'] });
  expect(JSON.parse(stream.chunks.join(''))).toEqual({ ok: true });
});

test('a web Response with a text body is written whole, with its status and headers', async () => {
  const handler = template.wrapApiStream({ routes: { 'GET /csv': () => new Response('a,b\n', { status: 201, headers: { 'content-type': 'text/csv' } }) } });
  const stream = await invoke(handler, urlEvent('GET', '/csv'));
  expect(stream.prelude).toMatchObject({ statusCode: 201, headers: { 'content-type': 'text/csv' } });
  expect(stream.chunks.join('')).toBe('a,b\n');
  expect(stream.writableFinished).toBe(true);
});

test('CORS headers are in the prelude for an allowed origin', async () => {
  process.env.API_CORS_ALLOW_ORIGINS = 'https://app.example.com';
  let handler: StreamHandler;
  try {
    handler = template.wrapApiStream({ routes: { 'GET /x': () => ({ x: 1 }) } });
  } finally {
    delete process.env.API_CORS_ALLOW_ORIGINS;
  }
  const stream = await invoke(handler, urlEvent('GET', '/x', { origin: 'https://app.example.com' }));
  expect(stream.prelude?.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'vary': 'Origin' });
});

test('the caller\'s x-correlation-id is the correlation id the route sees, as in the buffered template', async () => {
  let seen: string | undefined;
  const handler = template.wrapApiStream({ routes: { 'GET /c': (r: any) => { seen = r.correlationId; return {}; } } });
  await invoke(handler, urlEvent('GET', '/c', { 'x-correlation-id': 'chain-42' }));
  expect(seen).toBe('chain-42');
});
