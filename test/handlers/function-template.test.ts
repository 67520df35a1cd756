import { importTemplate, lambdaContext } from '../support/assets';

// PowertoolsFunction's default template, run as it ships (assets/function/index.mjs).
let mod: any;
const lines: string[] = [];
beforeAll(async () => {
  process.env.POWERTOOLS_SERVICE_NAME = 'thumbnails';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Test';
  mod = await importTemplate('function');
});
beforeEach(() => {
  lines.length = 0;
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (capture(chunk), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (capture(chunk), true));
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) jest.spyOn(console, method).mockImplementation(capture);
});
afterEach(() => jest.restoreAllMocks());

const json = () => lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));

describe('function template (bundled)', () => {
  test('logs the shape of the event, never its values, and answers with it', async () => {
    const event = { Records: [{ s3: { bucket: { name: 'secret-bucket' }, object: { key: 'passport.jpg', size: 10 } } }, {}], source: 'aws.s3' };
    const result = await mod.handler(event, lambdaContext({ requestId: 'req-1' }));
    const shape = { Records: [{ s3: { bucket: 'object', object: 'object' } }, '…1 more'], source: 'string' };
    expect(result).toEqual({ ok: true, requestId: 'req-1', eventShape: shape });
    const received = json().find((l) => l.message === 'Event received');
    expect(received).toMatchObject({ service: 'thumbnails', function_request_id: 'req-1', eventShape: shape });
    expect(lines.join('\n')).not.toMatch(/secret-bucket|passport/);
  });

  test('publishes the EventsHandled and ColdStart metrics as EMF', async () => {
    await mod.handler({}, lambdaContext());
    const emf = json().filter((l) => l._aws);
    const names = emf.flatMap((l) => l._aws.CloudWatchMetrics.flatMap((m: any) => m.Metrics.map((x: any) => x.Name)));
    expect(names).toContain('EventsHandled');
    expect(emf.every((l) => l._aws.CloudWatchMetrics[0].Namespace === 'Test')).toBe(true);
  });

  test('a wrapped entry runs; its failure is logged at ERROR, counted, and fails the invocation', async () => {
    const ok = mod.wrapFunction({ handle: (event: any) => ({ doubled: event.n * 2 }) });
    expect(await ok({ n: 21 }, lambdaContext())).toEqual({ doubled: 42 });
    const failing = mod.wrapFunction({ handle: () => { throw new Error('boom'); } });
    await expect(failing({}, lambdaContext())).rejects.toThrow('boom');
    expect(json().some((l) => l.level === 'ERROR' && l.message === 'The invocation failed')).toBe(true);
    const names = json().filter((l) => l._aws).flatMap((l) => l._aws.CloudWatchMetrics.flatMap((m: any) => m.Metrics.map((x: any) => x.Name)));
    expect(names).toContain('EventsFailed');
  });

  test('an entry without a handle export fails at init with what it does export', () => {
    expect(() => mod.wrapFunction({ handler: () => 1 })).toThrow(/PowertoolsFunction entry: the module must export a function "handle" \(export function handle\(event, context\).*\); it exports handler/);
  });
});
