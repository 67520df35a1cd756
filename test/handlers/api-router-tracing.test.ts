/**
 * Tracing of the api template's own router, recorded for real: the X-Ray SDK in the bundled
 * asset sends its documents over UDP to a fake daemon (test/support/xray-daemon.ts). Each
 * request gets a `METHOD /path` subsegment with ColdStart, Service, the route key and the
 * HTTP request and status, as Powertools' tracer middleware recorded it; a failing route is
 * recorded as an error on it, and no response body ever reaches a trace. Tracing never fails
 * a request: a subsegment that cannot be closed is one WARN line and the request is answered.
 */
import { httpEvent, restEvent } from './api-events';
import { captureStdout } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { FakeXRayDaemon, lambdaTracingEnv, startFakeXRayDaemon, XRayDocument } from '../support/xray-daemon';

const env = fileEnv({
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'traced-api',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'RouterTracing',
  POWERTOOLS_LOG_LEVEL: 'WARN',
});

let daemon: FakeXRayDaemon;
let app: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon();
  env.set(lambdaTracingEnv(daemon));
  const template = await importTemplate('api');
  app = template.wrapApi({
    routes: {
      'GET /orders/{id}': (request: any) => ({ id: request.params.id, secret: 'card-4242' }),
      'POST /orders': () => {
        throw new Error('database unreachable');
      },
      'GET /counts': (request: any) => {
        // A circular value: the X-Ray SDK's JSON.stringify on close throws.
        const page: Record<string, unknown> = { rows: 3 };
        page.self = page;
        request.tracer.putMetadata('page', page);
        return { ok: true };
      },
    },
  });
});

afterAll(async () => {
  await daemon?.stop();
});

const requestSegment = (name: string) => (docs: XRayDocument[]) => docs.find((d) => d.name === name) as any;

async function traced(event: unknown, name: string) {
  daemon.clear();
  const { result } = await captureStdout(() => app(event, lambdaContext()));
  const docs = await daemon.waitFor((d) => requestSegment(name)(d) !== undefined);
  return { result, segment: requestSegment(name)(docs) };
}

test('REST v1: a GET /orders/7 subsegment with ColdStart, Service, route and the http block; no body in the trace', async () => {
  const { result, segment } = await traced(restEvent({ method: 'GET', path: '/orders/7', requestId: 'r-1' }), 'GET /orders/7');
  expect((result as any).statusCode).toBe(200);
  expect(segment.annotations).toEqual({ ColdStart: true, Service: 'orders', route: 'GET /orders/{id}' });
  expect(segment.http).toEqual({
    request: { method: 'GET', url: 'https://abc123.execute-api.us-east-1.amazonaws.com/orders/7', user_agent: 'curl/8.4.0', client_ip: '203.0.113.7' },
    response: { status: 200 },
  });
  expect(JSON.stringify(segment)).not.toContain('card-4242');
});

test('HTTP v2: a failing route is recorded as an error with status 500; the next request is not a cold start', async () => {
  const { result, segment } = await traced(httpEvent({ method: 'POST', path: '/orders', body: '{}', requestId: 'r-2' }), 'POST /orders');
  expect((result as any).statusCode).toBe(500);
  expect(segment.annotations).toMatchObject({ ColdStart: false, Service: 'orders', route: 'POST /orders' });
  expect(segment.http.response).toEqual({ status: 500 });
  expect(JSON.stringify(segment)).toContain('database unreachable');
});

const CLOSE_WARNING = 'Failed to close the request subsegment; its trace data may be lost';

test('a subsegment that cannot be closed is one WARN line; the request is still answered 200', async () => {
  daemon.clear();
  const { result, lines } = await captureStdout(() => app(restEvent({ method: 'GET', path: '/counts', requestId: 'r-1' }), lambdaContext()));
  expect(result.statusCode).toBe(200);
  expect(JSON.parse(result.body)).toEqual({ ok: true });
  const warnings = lines.filter((l) => l.message === CLOSE_WARNING);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ level: 'WARN', error: { name: 'TypeError' } });
  expect(JSON.stringify(warnings[0].error)).toMatch(/circular/i);
  // Sent without the metadata that could not be serialised; the http block and annotations kept.
  const docs = await daemon.waitFor((d) => requestSegment('GET /counts')(d) !== undefined);
  const segment = requestSegment('GET /counts')(docs);
  expect(segment.metadata).toBeUndefined();
  expect(segment.http.response).toEqual({ status: 200 });
  expect(segment.annotations).toMatchObject({ route: 'GET /counts' });
});

test('after a close failure, the next request is traced under the invocation segment again, not under the one that failed', async () => {
  daemon.clear();
  const { result, lines } = await captureStdout(() => app(restEvent({ method: 'GET', path: '/orders/7', requestId: 'r-2' }), lambdaContext()));
  expect(result.statusCode).toBe(200);
  expect(lines.filter((l) => l.message === CLOSE_WARNING)).toEqual([]);
  const docs = await daemon.waitFor((d) => d.some((x) => x.name === 'GET /orders/7'));
  const request = docs.find((d) => d.name === 'GET /orders/7')!;
  // The Lambda facade's id comes from _X_AMZN_TRACE_ID (lambdaTracingEnv).
  expect(request.parent_id).toBe('53995c3f42cd8ad8');
  expect(request.annotations).toMatchObject({ ColdStart: false, Service: 'orders', route: 'GET /orders/{id}' });
});
