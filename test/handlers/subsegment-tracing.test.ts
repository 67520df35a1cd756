/**
 * The one subsegment lifecycle every template's tracing goes through (`ActiveTracing.subsegment`;
 * `invocation` is it under `## <handler>`, the api's request subsegment adds its http block),
 * recorded for real: Powertools Tracer and the X-Ray SDK from node_modules (the source, not an
 * asset: no template lets a test's code reach the handler subsegment) send to a fake daemon
 * (test/support/xray-daemon.ts). The template tests (tracing.test.ts, api-router-tracing.test.ts)
 * check the same output through the bundled assets.
 */
import type { ActiveTracing } from '../../src/core/runtime/shared/tracer-active';

type TracerActiveModule = typeof import('../../src/core/runtime/shared/tracer-active');
import { fileEnv } from '../support/assets';
import { FakeXRayDaemon, lambdaTracingEnv, startFakeXRayDaemon, XRayDocument } from '../support/xray-daemon';

/** The Lambda facade's id: the Parent of _X_AMZN_TRACE_ID in lambdaTracingEnv. */
const FACADE_ID = '53995c3f42cd8ad8';

const env = fileEnv({ AWS_REGION: 'us-east-1', POWERTOOLS_SERVICE_NAME: 'orders', _HANDLER: 'index.handler' });

let daemon: FakeXRayDaemon;
let active: ActiveTracing;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon();
  env.set(lambdaTracingEnv(daemon));
  // Loaded after the environment is set: the X-Ray SDK enters its Lambda mode when it loads.
  const { ActiveTracing: Active } = jest.requireActual<TracerActiveModule>('../../src/core/runtime/shared/tracer-active');
  active = new Active();
});

afterAll(async () => {
  await daemon?.stop();
});

beforeEach(() => daemon.clear());

const named = (name: string) => (docs: XRayDocument[]) => docs.filter((d) => d.name === name);

test('invocation: `## index.handler` under the facade with ColdStart and Service; the result is returned as is', async () => {
  await expect(active.invocation(async () => ({ ok: true }))).resolves.toEqual({ ok: true });
  const [segment] = named('## index.handler')(await daemon.waitFor((d) => named('## index.handler')(d).length > 0));
  expect(segment.parent_id).toBe(FACADE_ID);
  expect(segment.annotations).toEqual({ ColdStart: true, Service: 'orders' });
  expect(segment.metadata).toBeUndefined();
});

test('a subsegment that cannot be closed never fails the invocation: one warning naming it, and the parent is restored', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const result = await active.invocation(async () => {
      // A circular value: the X-Ray SDK's JSON.stringify on close throws.
      const page: Record<string, unknown> = { rows: 3 };
      page.self = page;
      active.tracer.putMetadata('page', page);
      return 'done';
    });
    expect(result).toBe('done');
    expect(warn.mock.calls.map(([message]) => message)).toEqual(['Failed to close the ## index.handler subsegment; its trace data may be lost']);
    expect(String(warn.mock.calls[0][1])).toMatch(/circular/i);
  } finally {
    warn.mockRestore();
  }
  // Sent without the metadata that could not be serialised, the rest kept.
  const [failed] = named('## index.handler')(await daemon.waitFor((d) => named('## index.handler')(d).length > 0));
  expect(failed.metadata).toBeUndefined();
  expect(failed.annotations).toEqual({ ColdStart: false, Service: 'orders' });
  daemon.clear();
  await active.invocation(async () => 'next');
  const [next] = named('## index.handler')(await daemon.waitFor((d) => named('## index.handler')(d).length > 0));
  expect(next.parent_id).toBe(FACADE_ID);
});

test('a thrown non-Error is recorded as an error with its text, and rethrown unchanged', async () => {
  await expect(active.invocation(() => Promise.reject(42))).rejects.toBe(42);
  const [segment] = named('## index.handler')(await daemon.waitFor((d) => named('## index.handler')(d).length > 0));
  expect(segment.fault).toBe(true);
  expect(JSON.stringify(segment.cause)).toContain('"message":"42"');
});

test('subsegment: onClose sees the result and adds to the subsegment before it is sent; onCloseFailure is not called', async () => {
  const seen: unknown[] = [];
  const closeFailures: unknown[] = [];
  const answer = await active.subsegment('GET /orders/7', async () => ({ statusCode: 201 }), {
    onClose: (subsegment, result) => {
      seen.push(result);
      subsegment.http = { response: { status: result?.statusCode } };
    },
    onCloseFailure: (error) => closeFailures.push(error),
  });
  expect(answer).toEqual({ statusCode: 201 });
  expect(seen).toEqual([{ statusCode: 201 }]);
  expect(closeFailures).toEqual([]);
  const [segment] = named('GET /orders/7')(await daemon.waitFor((d) => named('GET /orders/7')(d).length > 0));
  expect(segment.http).toEqual({ response: { status: 201 } });
  expect(segment.parent_id).toBe(FACADE_ID);
  expect(segment.annotations).toEqual({ ColdStart: false, Service: 'orders' });
});

test('subsegment: a failure reaches onClose with no result, is recorded, and is rethrown', async () => {
  const seen: unknown[] = [];
  await expect(
    active.subsegment('POST /orders', () => Promise.reject(new Error('database unreachable')), { onClose: (_subsegment, result) => seen.push(result) }),
  ).rejects.toThrow('database unreachable');
  expect(seen).toEqual([undefined]);
  const [segment] = named('POST /orders')(await daemon.waitFor((d) => named('POST /orders')(d).length > 0));
  expect(JSON.stringify(segment.cause)).toContain('database unreachable');
});

test("span: a record's subsegment that cannot be closed never fails the record, and neither it nor the invocation's subsegment is lost", async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const outcome = await active.invocation(() =>
      Promise.all(
        ['m-1', 'm-2'].map((messageId) =>
          active.span('## record', { messageId }, async () => {
            if (messageId === 'm-1') {
              const order: Record<string, unknown> = { id: 'o-1' };
              order.self = order;
              active.tracer.putMetadata('order', order);
            }
            return messageId;
          }),
        ),
      ),
    );
    expect(outcome).toEqual(['m-1', 'm-2']);
    expect(warn.mock.calls.map(([message]) => message)).toEqual(['Failed to close the ## record subsegment; its trace data may be lost']);
  } finally {
    warn.mockRestore();
  }
  const docs = await daemon.waitFor((d) => named('## record')(d).length >= 2 && named('## index.handler')(d).length > 0);
  const handler = named('## index.handler')(docs)[0];
  const records = named('## record')(docs);
  expect(records.map((r) => r.annotations?.messageId).sort()).toEqual(['m-1', 'm-2']);
  expect(records.every((r) => r.metadata === undefined && r.parent_id === handler.id)).toBe(true);
});
