import { Writable } from 'node:stream';
import { importTemplate, lambdaContext } from '../support/assets';

// What Lambda and the construct set; Tracer is off outside Lambda and explicitly here.
Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'orders-url',
  POWERTOOLS_METRICS_NAMESPACE: 'Shop',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});

const INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/**
 * A fake of the Lambda runtime's response stream: it records every chunk as it is written,
 * the HTTP prelude and the content type, the way the runtime's HttpResponseStream.from
 * frames a Function URL response. No AWS involved.
 */
class FakeResponseStream extends Writable {
  public readonly chunks: string[] = [];
  public prelude?: { statusCode: number; headers?: Record<string, string> };
  public contentType?: string;
  public setContentType(type: string): void {
    this.contentType = type;
  }
  public override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }
  public get body(): string {
    return this.chunks.join('');
  }
}

// The runtime's globals, set before the asset loads (Powertools and the template read them at init).
const streamified: unknown[] = [];
(globalThis as any).awslambda = {
  streamifyResponse: (handler: unknown) => {
    streamified.push(handler);
    return handler;
  },
  HttpResponseStream: {
    from(stream: FakeResponseStream, prelude: FakeResponseStream['prelude']) {
      stream.prelude = prelude;
      stream.setContentType(INTEGRATION_CONTENT_TYPE);
      return stream;
    },
  },
};

type StreamHandler = (event: unknown, stream: FakeResponseStream, context: unknown) => Promise<void>;
let template: { handler: StreamHandler; wrapApiStream: (module: unknown) => StreamHandler };

/** A Lambda Function URL event (payload format 2.0, as AWS documents it). */
function urlEvent(spec: { method: string; path: string; body?: string; headers?: Record<string, string>; requestId: string }) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: spec.path,
    rawQueryString: '',
    headers: { 'host': 'abcdefgh.lambda-url.eu-west-1.on.aws', 'x-forwarded-proto': 'https', ...spec.headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefgh',
      domainName: 'abcdefgh.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abcdefgh',
      http: { method: spec.method, path: spec.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.4.0' },
      requestId: spec.requestId,
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:12:00:00 +0000',
      timeEpoch: 1796126400000,
    },
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    isBase64Encoded: false,
  };
}

async function invoke(handler: StreamHandler, event: unknown): Promise<{ stream: FakeResponseStream; lines: any[] }> {
  const stream = new FakeResponseStream();
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (out.push(String(chunk)), true));
  const spyErr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (out.push(String(chunk)), true));
  try {
    await handler(event, stream, lambdaContext({ functionName: 'orders-url-fn' }));
  } finally {
    spy.mockRestore();
    spyErr.mockRestore();
  }
  return { stream, lines: out.join('').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) };
}

let seq = 0;
const rid = () => `url-req-${++seq}`;

beforeAll(async () => {
  template = await importTemplate('api-stream');
});

describe('api-stream template (Function URL, RESPONSE_STREAM), on the bundled asset with a fake response stream', () => {
  test('the default handler is marked for streaming by the runtime\'s streamifyResponse', () => {
    expect(streamified).toContain(template.handler);
  });

  test('a JSON route: the HTTP prelude first, then the body; log lines carry the request id; ColdStart EMF', async () => {
    const requestId = rid();
    const { stream, lines } = await invoke(template.handler, urlEvent({ method: 'GET', path: '/health', requestId }));
    expect(stream.contentType).toBe(INTEGRATION_CONTENT_TYPE);
    expect(stream.prelude).toMatchObject({ statusCode: 200, headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    expect(JSON.parse(stream.body)).toEqual({ status: 'ok' });
    expect(stream.writableFinished).toBe(true);
    expect(lines.find((l) => l.message === 'Request streamed')).toMatchObject({ correlation_id: requestId, method: 'GET', path: '/health', service: 'orders-url' });
    const cold = lines.filter((l) => l._aws);
    expect(cold.map((l) => l._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual(['ColdStart']);
  });

  test('GET /orders/export streams NDJSON in several chunks, one line each', async () => {
    const requestId = rid();
    const { stream } = await invoke(template.handler, urlEvent({ method: 'GET', path: '/orders/export', requestId }));
    expect(stream.prelude).toMatchObject({ statusCode: 200, headers: expect.objectContaining({ 'content-type': 'application/x-ndjson' }) });
    const dataChunks = stream.chunks.filter((c) => c.length > 0);
    expect(dataChunks.length).toBe(5);
    expect(dataChunks.map((c) => JSON.parse(c))).toEqual([1, 2, 3, 4, 5].map((line) => ({ line, of: 5, requestId })));
  });

  test('client errors keep their status: malformed JSON is a 400, an unknown route a 404', async () => {
    const bad = await invoke(template.handler, urlEvent({ method: 'POST', path: '/orders', body: '{"item":', headers: { 'content-type': 'application/json' }, requestId: rid() }));
    expect(bad.stream.prelude?.statusCode).toBe(400);
    expect(JSON.parse(bad.stream.body)).toMatchObject({ statusCode: 400, error: 'BadRequest', message: 'Malformed JSON body' });
    const missing = await invoke(template.handler, urlEvent({ method: 'GET', path: '/nope', requestId: rid() }));
    expect(missing.stream.prelude?.statusCode).toBe(404);
  });

  test('POST /orders creates an order (201) and emits the business metric', async () => {
    const { stream, lines } = await invoke(template.handler, urlEvent({ method: 'POST', path: '/orders', body: JSON.stringify({ item: 'book', quantity: 2 }), headers: { 'content-type': 'application/json' }, requestId: rid() }));
    expect(stream.prelude?.statusCode).toBe(201);
    expect(JSON.parse(stream.body)).toMatchObject({ item: 'book', quantity: 2 });
    expect(lines.filter((l) => l._aws).flatMap((l) => l._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name))).toContain('OrderCreated');
  });

  test('an event that is not an HTTP event is answered 400 through the stream, not a crash', async () => {
    const { stream } = await invoke(template.handler, { Records: [] });
    expect(stream.prelude?.statusCode).toBe(400);
    expect(JSON.parse(stream.body)).toMatchObject({ statusCode: 400, message: 'Not an HTTP proxy event' });
    expect(stream.writableFinished).toBe(true);
  });

  test('a route that throws: 500 with the request id and no internals', async () => {
    const handler = template.wrapApiStream({ routes: { 'GET /boom': () => { throw new Error('db password is hunter2'); } } });
    const requestId = rid();
    const { stream, lines } = await invoke(handler, urlEvent({ method: 'GET', path: '/boom', requestId }));
    expect(stream.prelude?.statusCode).toBe(500);
    expect(stream.body).not.toContain('hunter2');
    expect(JSON.parse(stream.body)).toMatchObject({ statusCode: 500, requestId });
    expect(lines.some((l) => l.level === 'ERROR' && JSON.stringify(l).includes('hunter2'))).toBe(true);
  });

  test('a user module without routes fails at init with the contract', () => {
    expect(() => template.wrapApiStream({ route: {} })).toThrow(/ObservableApi entry module: "routes" is missing/);
  });
});
