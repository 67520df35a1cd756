/**
 * CORS in the api template (REST proxy integrations answer CORS themselves), on the bundled
 * asset: the rules of Powertools' cors middleware, which the template used before it had its
 * own router. Preflight, allowed and other origins, credentials, wildcard, error responses.
 */
import { EVENT_SHAPES, restEvent } from './api-events';
import { importTemplate, lambdaContext } from '../support/assets';

Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'cors-test',
  POWERTOOLS_METRICS_NAMESPACE: 'CorsTest',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

type Result = { statusCode: number; headers: Record<string, string>; body: string; multiValueHeaders?: Record<string, string[]> };
type Handler = (event: unknown, context: unknown) => Promise<Result>;
let template: { wrapApi: (module: unknown) => Handler };
const routes = {
  'GET /orders': () => ({ orders: [] }),
  'OPTIONS /orders': () => ({ routed: true }),
  'GET /conflict': () => {
    throw Object.assign(new Error('taken'), { statusCode: 409 });
  },
};

/** A router built with the construct's CORS variables (read when the module is wrapped). */
function appWith(origins: string, credentials?: string): Handler {
  process.env.API_CORS_ALLOW_ORIGINS = origins;
  if (credentials) process.env.API_CORS_ALLOW_CREDENTIALS = credentials;
  try {
    return template.wrapApi({ routes });
  } finally {
    delete process.env.API_CORS_ALLOW_ORIGINS;
    delete process.env.API_CORS_ALLOW_CREDENTIALS;
  }
}

const ALLOW_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
const ALLOW_HEADERS = ['authorization', 'content-type', 'x-amz-date', 'x-api-key', 'x-amz-security-token'];
let seq = 0;
const rid = () => `cors-${++seq}`;

beforeAll(async () => {
  template = await importTemplate('api');
});

describe.each(EVENT_SHAPES)('%s events', (shape, event) => {
  const call = (app: Handler, method: string, path: string, headers: Record<string, string>) =>
    app(event({ method, path, headers, requestId: rid() }), lambdaContext());

  test('a valid preflight from an allowed origin: 204 with the allowed methods and headers, the route does not run', async () => {
    const app = appWith('https://app.example.com,https://admin.example.com', 'true');
    const result = await call(app, 'OPTIONS', '/orders', { 'Origin': 'https://admin.example.com', 'Access-Control-Request-Method': 'post', 'Access-Control-Request-Headers': 'Content-Type, X-Api-Key' });
    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers).toMatchObject({ 'access-control-allow-origin': 'https://admin.example.com', 'access-control-allow-credentials': 'true', 'vary': 'Origin' });
    if (shape === 'REST v1') {
      expect(result.multiValueHeaders).toEqual({ 'access-control-allow-methods': ALLOW_METHODS, 'access-control-allow-headers': ALLOW_HEADERS });
    } else {
      expect(result.headers['access-control-allow-methods']).toBe(ALLOW_METHODS.join(', '));
      expect(result.headers['access-control-allow-headers']).toBe(ALLOW_HEADERS.join(', '));
    }
  });

  test('a preflight asking for a header that is not allowed is routed like any OPTIONS request, without CORS headers', async () => {
    const app = appWith('https://app.example.com');
    const result = await call(app, 'OPTIONS', '/orders', { 'origin': 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-secret' });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ routed: true });
    expect(Object.keys(result.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  test('a preflight from another origin gets no CORS headers', async () => {
    const app = appWith('https://app.example.com');
    const result = await call(app, 'OPTIONS', '/orders', { 'origin': 'https://evil.example', 'access-control-request-method': 'GET' });
    expect(result.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('responses to an allowed origin carry the CORS headers, errors included; other origins get none', async () => {
    const app = appWith('https://app.example.com');
    const ok = await call(app, 'GET', '/orders', { origin: 'https://app.example.com' });
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'vary': 'Origin', 'content-type': 'application/json' });
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const conflict = await call(app, 'GET', '/conflict', { origin: 'https://app.example.com' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const missing = await call(app, 'GET', '/nowhere', { origin: 'https://app.example.com' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await call(app, 'GET', '/orders', { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await call(app, 'GET', '/orders', {});
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a wildcard origin answers "*" and does not vary on Origin', async () => {
    const app = appWith('*');
    const result = await call(app, 'GET', '/orders', { origin: 'https://anyone.example' });
    expect(result.headers['access-control-allow-origin']).toBe('*');
    expect(result.headers.vary).toBeUndefined();
  });
});

test('without the construct\'s CORS variables nothing CORS is added, preflight included', async () => {
  const app = template.wrapApi({ routes });
  const result = await app(restEvent({ method: 'OPTIONS', path: '/orders', headers: { 'origin': 'https://app.example.com', 'access-control-request-method': 'GET' }, requestId: rid() }), lambdaContext());
  expect(JSON.parse(result.body)).toEqual({ routed: true });
  expect(result.headers['access-control-allow-origin']).toBeUndefined();
});
