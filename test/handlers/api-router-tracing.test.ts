/**
 * Tracing of the api template's own router, recorded for real: the X-Ray SDK in the bundled
 * asset sends its documents over UDP to a fake daemon (test/support/xray-daemon.ts). Each
 * request gets a `METHOD /path` subsegment with ColdStart, Service, the route key and the
 * HTTP request and status, as Powertools' tracer middleware recorded it; a failing route is
 * recorded as an error on it, and no response body ever reaches a trace.
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
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

let daemon: FakeXRayDaemon;
let app: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;

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
