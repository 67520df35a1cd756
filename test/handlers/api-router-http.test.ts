/**
 * The api template's own router on the bundled asset, for REST v1 and HTTP v2 events: what it
 * must keep from the Powertools event-handler router it replaced (matching, 404s, HEAD and
 * OPTIONS routes, query strings, headers, base64, proxy-result shapes) and what it fixes
 * (a JSON 405, a 400 for an empty path parameter, every Set-Cookie kept).
 */
import { EVENT_SHAPES, httpEvent, restEvent } from './api-events';
import { importTemplate, lambdaContext } from '../support/assets';

Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'router-test',
  POWERTOOLS_METRICS_NAMESPACE: 'RouterTest',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

type Result = {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
};
type Handler = (event: unknown, context: unknown) => Promise<Result>;
let app: Handler;
let seq = 0;
const rid = () => `router-${++seq}`;
const echo = (r: any) => ({ method: r.method, path: r.path, params: r.params, query: r.query, headers: r.headers, body: r.body });

beforeAll(async () => {
  const template = await importTemplate('api');
  app = template.wrapApi({
    routes: {
      'GET /items/{id}': echo,
      'GET /items/{id}/parts/{part}': echo,
      'GET /items/special': () => 'static wins over {id}',
      'POST /items': echo,
      'HEAD /items': () => ({ head: true }),
      'OPTIONS /items': () => ({ options: true }),
      'GET /files/{name}.json': echo,
      'GET /image': (r: any) => r.reply(200, 'png-bytes', { 'content-type': 'image/png' }),
      'GET /cache': (r: any) => r.reply(200, { ok: true }, { 'Cache-Control': 'no-cache, no-store', 'x-list': 'a, b' }),
      'GET /web': () => {
        const headers = new Headers({ 'content-type': 'text/csv', 'x-web': 'yes' });
        headers.append('set-cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
        headers.append('set-cookie', 'b=2; HttpOnly');
        return new Response('id,qty\n1,2\n', { status: 202, headers });
      },
      'GET /web-binary': () => new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), { headers: { 'content-type': 'image/png' } }),
      'GET /one-cookie': (r: any) => r.reply(200, { ok: true }, { 'Set-Cookie': 'sid=abc; Secure; HttpOnly' }),
      'GET /nothing': () => undefined,
    },
  });
});

const call = (event: unknown) => app(event, lambdaContext());
const json = (result: Result) => JSON.parse(result.body);

describe.each(EVENT_SHAPES)('%s events', (shape, event) => {
  test('path parameters decode; the most specific route wins; a trailing slash routes the same', async () => {
    expect(json(await call(event({ method: 'GET', path: '/items/a%20b', requestId: rid() }))).params).toEqual({ id: 'a b' });
    expect(json(await call(event({ method: 'GET', path: '/items/7/parts/x', requestId: rid() }))).params).toEqual({ id: '7', part: 'x' });
    expect(json(await call(event({ method: 'GET', path: '/items/special', requestId: rid() })))).toBe('static wins over {id}');
    const slash = await call(event({ method: 'GET', path: '/items/9/', requestId: rid() }));
    expect(json(slash)).toMatchObject({ params: { id: '9' }, path: '/items/9/' });
    expect(json(await call(event({ method: 'GET', path: '/files/report.json', requestId: rid() }))).params).toEqual({ name: 'report' });
  });

  test('a known path with another method is a 404 naming both; an unsupported method is a JSON 405', async () => {
    const other = await call(event({ method: 'DELETE', path: '/items/1', requestId: rid() }));
    expect(other.statusCode).toBe(404);
    expect(json(other)).toMatchObject({ error: 'NotFound', message: 'Route /items/1 for method DELETE not found' });
    const requestId = rid();
    const trace = await call(event({ method: 'TRACE', path: '/items/1', requestId }));
    expect(trace.statusCode).toBe(405);
    expect(trace.headers['content-type']).toBe('application/json');
    expect(json(trace)).toEqual({ statusCode: 405, error: 'MethodNotAllowed', message: 'HTTP method TRACE is not supported', requestId });
  });

  test('HEAD and OPTIONS reach their own routes only', async () => {
    expect(json(await call(event({ method: 'HEAD', path: '/items', requestId: rid() })))).toEqual({ head: true });
    expect(json(await call(event({ method: 'OPTIONS', path: '/items', requestId: rid() })))).toEqual({ options: true });
    expect((await call(event({ method: 'HEAD', path: '/items/1', requestId: rid() }))).statusCode).toBe(404);
  });

  test('a whitespace-only path parameter is a 400, not a 500', async () => {
    const result = await call(event({ method: 'GET', path: '/items/%20', requestId: rid() }));
    expect(result.statusCode).toBe(400);
    expect(json(result).message).toBe('The path parameter "id" cannot be empty');
  });

  test('header names are lower case whatever the client sent; the JSON body follows a Content-Type in any case', async () => {
    const result = await call(event({ method: 'POST', path: '/items', body: '{"n":1}', headers: { 'CONTENT-TYPE': 'application/json', 'X-Custom-Thing': 'v' }, requestId: rid() }));
    expect(json(result)).toMatchObject({ body: { n: 1 }, headers: { 'content-type': 'application/json', 'x-custom-thing': 'v' } });
  });

  test('a text body stays text; a malformed JSON body is a 400', async () => {
    expect(json(await call(event({ method: 'POST', path: '/items', body: 'plain words', headers: { 'content-type': 'text/plain' }, requestId: rid() }))).body).toBe('plain words');
    const bad = await call(event({ method: 'POST', path: '/items', body: '{"n":', headers: { 'content-type': 'application/json' }, requestId: rid() }));
    expect(bad.statusCode).toBe(400);
    expect(json(bad).message).toBe('Malformed JSON body');
  });

  test('a base64 request body is decoded before parsing', async () => {
    const base = event({ method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, requestId: rid() });
    const result = await call({ ...base, body: Buffer.from('{"name":"café"}').toString('base64'), isBase64Encoded: true });
    expect(json(result).body).toEqual({ name: 'café' });
  });

  test('an image reply and a binary web Response are base64 encoded for API Gateway', async () => {
    const image = await call(event({ method: 'GET', path: '/image', requestId: rid() }));
    expect(image).toMatchObject({ isBase64Encoded: true, body: Buffer.from('png-bytes').toString('base64') });
    const binary = await call(event({ method: 'GET', path: '/web-binary', requestId: rid() }));
    expect(binary.isBase64Encoded).toBe(true);
    expect([...Buffer.from(binary.body, 'base64')]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    expect((await call(event({ method: 'GET', path: '/items/1', requestId: rid() }))).isBase64Encoded).toBe(false);
  });

  test('a route returning a web Response keeps its status, headers, body and every cookie', async () => {
    const result = await call(event({ method: 'GET', path: '/web', requestId: rid() }));
    expect(result).toMatchObject({ statusCode: 202, body: 'id,qty\n1,2\n', isBase64Encoded: false });
    expect(result.headers).toMatchObject({ 'content-type': 'text/csv', 'x-web': 'yes' });
    const cookies = ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly'];
    if (shape === 'REST v1') expect(result.multiValueHeaders?.['set-cookie']).toEqual(cookies);
    else expect(result.cookies).toEqual(cookies);
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  test('one cookie from reply(): a set-cookie header for REST, cookies for HTTP APIs', async () => {
    const result = await call(event({ method: 'GET', path: '/one-cookie', requestId: rid() }));
    if (shape === 'REST v1') expect(result.headers['set-cookie']).toBe('sid=abc; Secure; HttpOnly');
    else expect(result).toMatchObject({ cookies: ['sid=abc; Secure; HttpOnly'] });
  });

  test('list-valued response headers: REST lists them in multiValueHeaders, HTTP APIs keep one string', async () => {
    const result = await call(event({ method: 'GET', path: '/cache', requestId: rid() }));
    if (shape === 'REST v1') {
      expect(result.multiValueHeaders).toEqual({ 'cache-control': ['no-cache', 'no-store'] });
      expect(result.headers['cache-control']).toBeUndefined();
    } else {
      expect(result.headers['cache-control']).toBe('no-cache, no-store');
      expect(result.multiValueHeaders).toBeUndefined();
    }
    // Not a list header: one value with a comma in it.
    expect(result.headers['x-list']).toBe('a, b');
  });

  test('a route that returns nothing is a 204 with an empty body', async () => {
    expect(await call(event({ method: 'GET', path: '/nothing', requestId: rid() }))).toMatchObject({ statusCode: 204, body: '' });
  });
});

describe('query strings', () => {
  test('REST v1: single and multi-value parameters; the last value of a repeated one wins', async () => {
    const base = restEvent({ method: 'GET', path: '/items/q', requestId: rid() });
    const result = await call({ ...base, queryStringParameters: { a: '2', only: 'x y' }, multiValueQueryStringParameters: { a: ['1', '2'], only: ['x y'] } });
    expect(json(result).query).toEqual({ a: '2', only: 'x y' });
  });

  test('HTTP v2: the raw query string is form-decoded (+, %XX, UTF-8, a malformed escape kept as sent)', async () => {
    const base = httpEvent({ method: 'GET', path: '/items/q', requestId: rid() });
    const result = await call({ ...base, rawQueryString: 'a=1&a=2&b=x+y&c=%E2%82%AC&d=%ZZ&flag&=v&&h=1=2' });
    expect(json(result).query).toEqual({ 'a': '2', 'b': 'x y', 'c': '€', 'd': '%ZZ', 'flag': '', '': 'v', 'h': '1=2' });
  });
});

describe('headers', () => {
  test('REST v1: multiValueHeaders add the values headers lacks, joined with ", "', async () => {
    const base = restEvent({ method: 'GET', path: '/items/h', requestId: rid() });
    const result = await call({ ...base, headers: { 'X-Multi': 'a', 'X-Padded': '  v  ' }, multiValueHeaders: { 'X-Multi': ['a', 'b'], 'X-Only-Multi': ['1', '2'] } });
    expect(json(result).headers).toEqual({ 'x-multi': 'a, b', 'x-only-multi': '1, 2', 'x-padded': 'v' });
  });

  test('HTTP v2: cookies become one cookie header', async () => {
    const base = httpEvent({ method: 'GET', path: '/items/h', requestId: rid() });
    const result = await call({ ...base, cookies: ['a=1', 'b=2'] });
    expect(json(result).headers.cookie).toBe('a=1; b=2');
  });
});

describe('paths are normalised as a URL parser would', () => {
  test.each([
    ['/items/../items/3', '/items/3', { id: '3' }],
    ['/items/é', '/items/%C3%A9', { id: 'é' }],
    ['/items/{x}', '/items/%7Bx%7D', { id: '{x}' }],
  ])('%s routes as %s', async (raw, path, params) => {
    const result = await call(httpEvent({ method: 'GET', path: raw, requestId: rid() }));
    expect(json(result)).toMatchObject({ path, params });
  });
});

test('a route key naming one path parameter twice fails at init, naming the key and the fix', async () => {
  const template = await importTemplate('api');
  const wrap = () => template.wrapApi({ routes: { 'GET /a/{id}/b/{id}': () => 1 } });
  expect(wrap).toThrow(/invalid route key "GET \/a\/\{id\}\/b\/\{id\}": the path parameter "id" appears twice; give each parameter its own name/);
  expect(wrap).toThrow(/The module must export const routes = /);
});
