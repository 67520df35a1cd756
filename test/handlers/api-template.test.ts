import { EVENT_SHAPES, httpEvent, restEvent } from './api-events';
import { importTemplate, lambdaContext } from '../support/assets';

// What Lambda and the construct set; Tracer is off outside Lambda and explicitly here.
Object.assign(process.env, {
  POWERTOOLS_SERVICE_NAME: 'orders-api',
  POWERTOOLS_METRICS_NAMESPACE: 'Shop',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
});

type Result = { statusCode: number; headers?: Record<string, string>; body?: string };
let template: {
  handler: (event: unknown, context: unknown) => Promise<Result>;
  wrapApi: (module: unknown) => (event: unknown, context: unknown) => Promise<Result>;
};

/** Every line the template wrote to stdout/stderr while `fn` ran, parsed as JSON (a non-JSON line fails the test). */
async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; lines: any[] }> {
  const chunks: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (chunks.push(String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (chunks.push(String(chunk)), true));
  try {
    const result = await fn();
    const lines = chunks.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    return { result, lines };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const quiet = async <T>(fn: () => Promise<T>): Promise<T> => (await captured(fn)).result;
const emf = (lines: any[]) => lines.filter((l) => l._aws);
const logs = (lines: any[]) => lines.filter((l) => !l._aws);
let seq = 0;
const rid = () => `req-${++seq}`;

beforeAll(async () => {
  template = await importTemplate('api');
});

describe('api template: observability', () => {
  test('first invocation emits a valid ColdStart EMF line; log lines are JSON with correlation_id = request id', async () => {
    const requestId = rid();
    const ctx = lambdaContext({ functionName: 'orders-fn' });
    const { result, lines } = await captured(() => template.handler(restEvent({ method: 'GET', path: '/health', requestId }), ctx));
    expect(result.statusCode).toBe(200);

    const cold = emf(lines);
    expect(cold).toHaveLength(1);
    const directive = cold[0]._aws.CloudWatchMetrics[0];
    expect(directive).toEqual({ Namespace: 'Shop', Dimensions: [['service', 'function_name']], Metrics: [{ Name: 'ColdStart', Unit: 'Count' }] });
    expect(cold[0]).toMatchObject({ service: 'orders-api', function_name: 'orders-fn', ColdStart: 1 });
    expect(typeof cold[0]._aws.Timestamp).toBe('number');

    const handled = logs(lines).find((l) => l.message === 'Request handled');
    expect(handled).toMatchObject({ level: 'INFO', service: 'orders-api', correlation_id: requestId, method: 'GET', path: '/health', statusCode: 200 });

    const again = await captured(() => template.handler(restEvent({ method: 'GET', path: '/health', requestId: rid() }), ctx));
    expect(emf(again.lines)).toHaveLength(0);
  });

  test('a business metric is a valid EMF line whose directive matches its values', async () => {
    const { result, lines } = await captured(() =>
      template.handler(httpEvent({ method: 'POST', path: '/orders', body: JSON.stringify({ item: 'book', quantity: 2 }), headers: { 'content-type': 'application/json' }, requestId: rid() }), lambdaContext()),
    );
    expect(result.statusCode).toBe(201);
    const [line] = emf(lines);
    const directive = line._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Shop');
    expect(directive.Metrics).toEqual([{ Name: 'OrderCreated', Unit: 'Count' }]);
    for (const dimension of directive.Dimensions.flat()) expect(line[dimension]).toBeDefined();
    for (const metric of directive.Metrics) expect(line[metric.Name]).toBe(1);
    expect(line.service).toBe('orders-api');
  });

  test('correlation ids do not leak from one request into the next', async () => {
    const first = rid();
    const second = rid();
    const a = await captured(() => template.handler(httpEvent({ method: 'GET', path: '/orders', requestId: first }), lambdaContext()));
    const b = await captured(() => template.handler(httpEvent({ method: 'GET', path: '/orders', requestId: second }), lambdaContext()));
    expect(logs(a.lines).every((l) => l.correlation_id === first)).toBe(true);
    expect(logs(b.lines).every((l) => l.correlation_id === second)).toBe(true);
  });
});

describe.each(EVENT_SHAPES)('api template routing with %s events', (_shape, event) => {
  const ctx = lambdaContext();
  const call = (spec: Parameters<typeof event>[0], app = template.handler) => captured(() => app(event(spec), ctx));

  test('GET /health', async () => {
    const { result } = await call({ method: 'GET', path: '/health', requestId: rid() });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ status: 'ok' });
    expect(result.headers?.['content-type']).toMatch(/application\/json/);
  });

  test('POST /orders then GET /orders/{id} and GET /orders', async () => {
    const created = await call({ method: 'POST', path: '/orders', body: '{"item":"pen","quantity":3}', headers: { 'Content-Type': 'application/json' }, requestId: rid() });
    expect(created.result.statusCode).toBe(201);
    const order = JSON.parse(created.result.body!);
    expect(order).toMatchObject({ item: 'pen', quantity: 3, id: expect.any(String) });
    expect(created.result.headers?.location).toBe(`/orders/${order.id}`);

    const fetched = await call({ method: 'GET', path: `/orders/${order.id}`, requestId: rid() });
    expect(fetched.result.statusCode).toBe(200);
    expect(JSON.parse(fetched.result.body!)).toEqual(order);

    const listed = await call({ method: 'GET', path: '/orders', requestId: rid() });
    expect(JSON.parse(listed.result.body!).orders).toEqual(expect.arrayContaining([order]));
  });

  test('malformed JSON body: 400 with a JSON error', async () => {
    const requestId = rid();
    const { result } = await call({ method: 'POST', path: '/orders', body: '{"item": "pen",', headers: { 'Content-Type': 'application/json' }, requestId });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual({ statusCode: 400, error: 'BadRequest', message: 'Malformed JSON body', requestId });
  });

  test('invalid order: 400 naming the field', async () => {
    const { result } = await call({ method: 'POST', path: '/orders', body: '{"item":"pen","quantity":0}', requestId: rid() });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!).message).toMatch(/"quantity" must be a whole number/);
  });

  test('unknown route and unknown order: 404 with a JSON error', async () => {
    const unknown = await call({ method: 'GET', path: '/nowhere', requestId: rid() });
    expect(unknown.result.statusCode).toBe(404);
    expect(JSON.parse(unknown.result.body!)).toMatchObject({ statusCode: 404, error: 'NotFound' });
    const missing = await call({ method: 'GET', path: '/orders/does-not-exist', requestId: rid() });
    expect(missing.result.statusCode).toBe(404);
    expect(JSON.parse(missing.result.body!).message).toBe('Order does-not-exist not found');
  });

  test('a GET that carries a body is still served', async () => {
    const { result } = await call({ method: 'GET', path: '/health', body: 'ignored', requestId: rid() });
    expect(result.statusCode).toBe(200);
  });

  test('unhandled error: 500 without internals, logged with the correlation id', async () => {
    const boom = template.wrapApi({
      routes: {
        'GET /boom': () => {
          throw new Error('connection to db-internal.example:5432 refused (password=hunter2)');
        },
      },
    });
    const requestId = rid();
    const { result, lines } = await captured(() => boom(event({ method: 'GET', path: '/boom', requestId }), ctx));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ statusCode: 500, error: 'InternalServerError', message: 'Internal Server Error', requestId });
    expect(result.body).not.toMatch(/hunter2|db-internal|stack|at /);
    const logged = logs(lines).find((l) => l.level === 'ERROR');
    expect(logged).toMatchObject({ correlation_id: requestId, error: { message: expect.stringContaining('hunter2') } });
    expect(logged.error.stack).toBeDefined();
  });

  test.each([
    ['a string', 'card declined', '"card declined"'],
    ['a plain object', { code: 'E42' }, '{"code":"E42"}'],
    ['undefined', undefined, 'undefined'],
  ])('a route that throws %s: the template\'s 500 body and one ERROR line describing it', async (_name, thrown, described) => {
    const app = template.wrapApi({
      routes: {
        'GET /odd': () => {
          throw thrown;
        },
      },
    });
    const requestId = rid();
    const { result, lines } = await call({ method: 'GET', path: '/odd', requestId }, app);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body!)).toEqual({ statusCode: 500, error: 'InternalServerError', message: 'Internal Server Error', requestId });
    const errors = logs(lines).filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ correlation_id: requestId, error: { message: `the route threw a non-Error value: ${described}` } });
  });

  test('a path with an invalid percent-escape: 400 with a JSON error, not a 500', async () => {
    const requestId = rid();
    const { result, lines } = await call({ method: 'GET', path: '/orders/%ZZ', requestId });
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(result.body!)).toEqual({ statusCode: 400, error: 'BadRequest', message: expect.stringMatching(/percent-escape/), requestId });
    expect(logs(lines).filter((l) => l.level === 'ERROR')).toEqual([]);
  });
});

describe('api template: user modules (HandlerCode.fromEntry)', () => {
  test('routes with {params}, query, reply() and 4xx errors of the user', async () => {
    const app = template.wrapApi({
      routes: {
        'GET /reports/{id}': (req: any) => ({ id: req.params.id, format: req.query.format, ua: req.headers['user-agent'], requestId: req.requestId }),
        'PUT /reports/{id}': (req: any) => req.reply(202, { accepted: req.body }, { 'x-extra': 'yes' }),
        'DELETE /reports/{id}': () => {
          throw Object.assign(new Error('Reports are immutable'), { statusCode: 409 });
        },
        'ANY /echo': (req: any) => ({ method: req.method }),
        'POST /noop': () => undefined,
      },
    });
    const ctx = lambdaContext();
    const get = await quiet(() => app(restEvent({ method: 'GET', path: '/reports/7', query: { format: 'csv' }, requestId: 'r-get' }), ctx));
    expect(JSON.parse(get.body!)).toEqual({ id: '7', format: 'csv', ua: 'curl/8.4.0', requestId: 'r-get' });
    const put = await quiet(() => app(httpEvent({ method: 'PUT', path: '/reports/7', body: '{"a":1}', requestId: rid() }), ctx));
    expect(put.statusCode).toBe(202);
    expect(put.headers?.['x-extra']).toBe('yes');
    expect(JSON.parse(put.body!)).toEqual({ accepted: { a: 1 } });
    const del = await quiet(() => app(httpEvent({ method: 'DELETE', path: '/reports/7', requestId: rid() }), ctx));
    expect(del.statusCode).toBe(409);
    expect(JSON.parse(del.body!).message).toBe('Reports are immutable');
    const patch = await quiet(() => app(httpEvent({ method: 'PATCH', path: '/echo', requestId: rid() }), ctx));
    expect(JSON.parse(patch.body!)).toEqual({ method: 'PATCH' });
    const noop = await quiet(() => app(httpEvent({ method: 'POST', path: '/noop', requestId: rid() }), ctx));
    expect(noop.statusCode).toBe(204);
  });

  test.each([
    ['no routes export', {}, /"routes" is missing/],
    ['routes is an array', { routes: [] }, /"routes" is an array/],
    ['empty routes', { routes: {} }, /"routes" has no routes/],
    ['bad route key', { routes: { 'FETCH /x': () => 1 } }, /invalid route key "FETCH \/x"/],
    ['greedy parameter', { routes: { 'GET /{proxy+}': () => 1 } }, /greedy \{proxy\+\} parameters are not supported/],
    ['handler is not a function', { routes: { 'GET /x': 'nope' } }, /route "GET \/x" is a string, not a function/],
  ])('rejects a module with %s at init, naming the contract', (_name, module, error) => {
    expect(() => template.wrapApi(module)).toThrow(error);
    expect(() => template.wrapApi(module)).toThrow(/The module must export const routes = /);
  });

  test('CORS headers when the construct configures CORS (REST)', async () => {
    process.env.API_CORS_ALLOW_ORIGINS = 'https://app.example.com';
    try {
      const app = template.wrapApi({ routes: { 'GET /x': () => ({ ok: true }) } });
      const res = await quiet(() => app(restEvent({ method: 'GET', path: '/x', headers: { Origin: 'https://app.example.com' }, requestId: rid() }), lambdaContext()));
      expect(res.headers?.['access-control-allow-origin']).toBe('https://app.example.com');
    } finally {
      delete process.env.API_CORS_ALLOW_ORIGINS;
    }
  });

  test('an event that is not an API Gateway proxy event gets a 400, not a crash', async () => {
    const { result, lines } = await captured(() => template.handler({ Records: [{ body: 'x' }] }, lambdaContext()));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!).message).toBe('Not an API Gateway proxy event');
    expect(logs(lines).some((l) => l.level === 'ERROR')).toBe(true);
  });
});
