import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_TUNING_CONFIG } from '../../src/power-tuning/contract/tuning-input';
import { importTemplate } from '../support/assets';

// The bundled tuner asset (assets/tuner/index.mjs) with mocked clients: the Lambda API and
// SSM through aws-sdk-client-mock, matched with the asset's own command classes (`sdk`);
// S3 through aws-sdk-client-mock on a client of the test's SDK (`onAnyCommand`, since the
// asset loads its GetObjectCommand lazily), asserting the command's input.

let t: any;
beforeAll(async () => {
  t = await importTemplate('tuner');
});

const FN = 'shop-Fn';
const fnFacts = { name: FN, region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 256 };
const context = { getRemainingTimeInMillis: () => 600_000 };

const report = (billed: number, init?: number) =>
  Buffer.from(
    `REPORT RequestId: r\tDuration: ${(billed - 0.5).toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t${
      init ? `Init Duration: ${init} ms\t` : ''
    }\n`,
  ).toString('base64');
const ok = (billed = 20, body: unknown = { ok: true }, init?: number) => ({
  StatusCode: 200,
  LogResult: report(billed, init),
  Payload: new TextEncoder().encode(JSON.stringify(body)),
});
const failed = (errorType: string, billed = 20) => ({
  StatusCode: 200,
  FunctionError: 'Unhandled',
  LogResult: report(billed),
  Payload: new TextEncoder().encode(JSON.stringify({ errorType, errorMessage: 'nope' })),
});
const event = (config: Record<string, unknown>, aliases = ['tune-256']) => ({
  target: { powerMb: 256, aliases },
  config: { ...DEFAULT_TUNING_CONFIG, num: 5, ...config },
  function: fnFacts,
});
const sentPayloads = (mock: ReturnType<typeof mockClient>, qualifier?: string) =>
  mock
    .commandCalls(t.sdk.InvokeCommand)
    .map((c) => c.args[0].input as { FunctionName: string; Qualifier?: string; Payload: Uint8Array })
    .filter((input) => qualifier === undefined || input.Qualifier === qualifier)
    .map((input) => Buffer.from(input.Payload).toString());

function lambda() {
  const client = new LambdaClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
}

describe('payloads (bundled executor)', () => {
  test('a JSON string payload is sent as-is, not encoded a second time', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolves(ok());
    await t.createExecutor({ lambda: client })(event({ payload: '{"orderId":"o-1"}' }), context);
    expect(sentPayloads(mock)).toEqual(Array(5).fill('{"orderId":"o-1"}'));
    // an object is sent as its JSON
    mock.reset();
    mock.on(t.sdk.InvokeCommand).resolves(ok());
    await t.createExecutor({ lambda: client })(event({ payload: { orderId: 'o-1' } }), context);
    expect(sentPayloads(mock)[0]).toBe('{"orderId":"o-1"}');
  });

  test('weighted payloads are sent in proportion, interleaved', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolves(ok());
    const payloads = [{ payload: { kind: 'small' }, weight: 0.8 }, { payload: { kind: 'large' }, weight: 0.2 }];
    await t.createExecutor({ lambda: client })(event({ num: 10, payloads }), context);
    const kinds = sentPayloads(mock).map((p) => JSON.parse(p).kind);
    expect(kinds.filter((k) => k === 'large')).toHaveLength(2);
    expect(kinds.slice(0, 5)).toContain('large');
  });

  test('payloadS3 is read from exactly that object and sent as-is', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolves(ok());
    const s3 = new S3Client({ region: 'eu-west-1' });
    const s3Mock = mockClient(s3);
    s3Mock.onAnyCommand().resolves({ Body: { transformToString: async () => '{"from":"s3"}' } } as any);
    await t.createExecutor({ lambda: client, s3 })(event({ payloadS3: 's3://my-bucket/tuning/payload.json' }), context);
    expect(s3Mock.calls()).toHaveLength(1);
    expect(s3Mock.calls()[0].args[0].input).toEqual({ Bucket: 'my-bucket', Key: 'tuning/payload.json' });
    expect(sentPayloads(mock)).toEqual(Array(5).fill('{"from":"s3"}'));
  });

  test('an S3 object that is not JSON is a clear error naming payloadS3', async () => {
    const { client } = lambda();
    const s3 = new S3Client({ region: 'eu-west-1' });
    mockClient(s3).onAnyCommand().resolves({ Body: { transformToString: async () => 'not json' } } as any);
    await expect(t.createExecutor({ lambda: client, s3 })(event({ payloadS3: 's3://my-bucket/p.txt' }), context)).rejects.toMatchObject({
      name: 'TuningInputError',
      message: 'The object at payloadS3 s3://my-bucket/p.txt is not JSON, so it cannot be an invocation payload.',
    });
  });
});

describe('processors, allowed exceptions and dry runs (bundled executor)', () => {
  test('the pre-processor runs before each invocation and its result becomes the payload; the post-processor gets the result', async () => {
    const { client, mock } = lambda();
    let n = 0;
    mock.on(t.sdk.InvokeCommand).callsFake((input: any) => {
      if (input.FunctionName === 'pre-fn') return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ prepared: ++n })) };
      if (input.FunctionName === 'post-fn') return { StatusCode: 200, Payload: new TextEncoder().encode('null') };
      return ok(20, { handled: JSON.parse(Buffer.from(input.Payload).toString()).prepared });
    });
    const result = await t.createExecutor({ lambda: client })(event({ payload: { raw: true }, preProcessor: 'pre-fn', postProcessor: 'post-fn' }), context);
    expect(result.status).toBe('measured');
    const names = mock.commandCalls(t.sdk.InvokeCommand).map((c) => c.args[0].input.FunctionName);
    expect(names).toEqual(Array(5).fill(['pre-fn', FN, 'post-fn']).flat());
    expect(sentPayloads(mock).filter((_, i) => names[i] === FN).map((p) => JSON.parse(p))).toEqual([1, 2, 3, 4, 5].map((prepared) => ({ prepared })));
    expect(sentPayloads(mock).filter((_, i) => names[i] === 'post-fn')[0]).toBe('{"handled":1}');
    // the processors are invoked unqualified: the grant names the function only
    const processorCalls = mock.commandCalls(t.sdk.InvokeCommand).filter((c) => c.args[0].input.FunctionName !== FN);
    expect(processorCalls.every((c) => c.args[0].input.Qualifier === undefined)).toBe(true);
  });

  test('a failing processor skips the value with its reason, counting the billed invocation', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).callsFake((input: any) => (input.FunctionName === 'post-fn' ? failed('PostError') : ok(30)));
    const result = await t.createExecutor({ lambda: client })(event({ postProcessor: 'post-fn' }), context);
    expect(result).toMatchObject({ status: 'skipped', reason: 'postProcessor failed: PostError: nope', invocations: 1 });
  });

  test('allowedExceptions count as successful invocations; other errors and timeouts still skip', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolvesOnce(ok(20)).resolves(failed('ValidationError', 25));
    const allowed = await t.createExecutor({ lambda: client })(event({ allowedExceptions: ['ValidationError'] }), context);
    expect(allowed).toMatchObject({ status: 'measured', invocations: 5, allowedErrors: 4 });

    mock.reset();
    mock.on(t.sdk.InvokeCommand).resolves(failed('OtherError'));
    const other = await t.createExecutor({ lambda: client })(event({ allowedExceptions: ['ValidationError'] }), context);
    expect(other).toMatchObject({ status: 'skipped', reason: 'invocation failed: OtherError: nope' });

    mock.reset();
    mock.on(t.sdk.InvokeCommand).resolves(failed('Sandbox.Timedout'));
    const timeout = await t.createExecutor({ lambda: client })(event({ allowedExceptions: ['Sandbox.Timedout'] }), context);
    expect(timeout).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^timeout/) });
  });

  test('a dry run invokes each payload once per value', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolves(ok());
    const payloads = [{ payload: { p: 1 }, weight: 0.5 }, { payload: { p: 2 }, weight: 0.5 }];
    const result = await t.createExecutor({ lambda: client })(event({ num: 50, payloads, dryRun: true }), context);
    expect(result).toMatchObject({ status: 'measured', invocations: 2 });
    expect(sentPayloads(mock)).toEqual(['{"p":1}', '{"p":2}']);
  });

  test('cold-start runs report init and rank by duration including it', async () => {
    const { client, mock } = lambda();
    mock.on(t.sdk.InvokeCommand).resolves(ok(20, {}, 300));
    const aliases = ['tune-256-0', 'tune-256-1', 'tune-256-2', 'tune-256-3', 'tune-256-4'];
    const result = await t.createExecutor({ lambda: client })(event({ onlyColdStarts: true }, aliases), context);
    // duration 19.5 + init 300
    expect(result).toMatchObject({ coldStarts: 5, averageInitDurationMs: 300, averageColdStartDurationMs: 319.5, averageDurationMs: 20 });
  });
});

describe('adaptive sampling (bundled sweep executor)', () => {
  const targets = [128, 256, 512, 1024].map((powerMb) => ({ powerMb, aliases: [`tune-${powerMb}`] }));
  // CPU-bound: 128 MB runs 8x longer than 1024 MB; cost is lowest at 256 MB, with a little deterministic noise.
  const base: Record<string, number> = { 'tune-128': 800, 'tune-256': 300, 'tune-512': 190, 'tune-1024': 120 };

  function fake() {
    const { client, mock } = lambda();
    const seen = new Map<string, number>();
    mock.on(t.sdk.InvokeCommand).callsFake((input: any) => {
      const i = seen.get(input.Qualifier) ?? 0;
      seen.set(input.Qualifier, i + 1);
      return ok(Math.round(base[input.Qualifier] * (1 + ((i * 37) % 11) / 200)));
    });
    return { client, mock, seen };
  }

  test('stops the values the evidence separates, and recommends what the exhaustive sweep recommends', async () => {
    const config = { ...DEFAULT_TUNING_CONFIG, num: 30, strategy: 'cost' };
    const exhaustive = fake();
    const all = await t.createSweepExecutor({ lambda: exhaustive.client })({ targets, config, function: fnFacts }, context);
    const adaptive = fake();
    const some = await t.createSweepExecutor({ lambda: adaptive.client })(
      { targets, config: { ...config, sampling: { mode: 'adaptive', minInvocations: 5 } }, function: fnFacts },
      context,
    );
    const invocations = (results: any[]) => results.reduce((n, r) => n + r.invocations, 0);
    expect(invocations(all)).toBe(120);
    expect(invocations(some)).toBeLessThanOrEqual(60);
    const analyzer = t.createAnalyzer({});
    const pick = async (results: any[]) => (await analyzer({ plan: { config, function: fnFacts, targets }, results })).recommendation.powerMb;
    expect(await pick(some)).toBe(await pick(all));
    expect(await pick(some)).toBe(256);
    // the far values stopped early, with the reason
    expect(some.find((r: any) => r.powerMb === 128)).toMatchObject({ stoppedEarly: expect.stringMatching(/^separated from 256 MB after 5 invocations/) });
    expect(adaptive.seen.get('tune-128')).toBe(5);
  });

  test('fixed sampling in the sweep gives every value num invocations', async () => {
    const { client } = fake();
    const sweep = t.createSweepExecutor({ lambda: client });
    const results = await sweep({ targets, config: { ...DEFAULT_TUNING_CONFIG, num: 6 }, function: fnFacts }, context);
    expect(results.map((r: any) => r.invocations)).toEqual([6, 6, 6, 6]);
  });
});

describe('analyzer output (bundled)', () => {
  const measured = (powerMb: number, ms: number) => {
    const figures = { averageDurationMs: ms, averageMeasuredDurationMs: ms, averageDurationCost: ms * 1e-9, requestCost: 2e-7 };
    return { status: 'measured', powerMb, invocations: 5, coldStarts: 0, ...figures, averageCost: ms * 1e-9 + 2e-7, totalCost: 5 * (ms * 1e-9 + 2e-7) };
  };

  test('embeds the self-contained report and the Step Functions cost of the run', async () => {
    const out = await t.createAnalyzer({})({
      plan: { config: DEFAULT_TUNING_CONFIG, function: fnFacts, targets: [256, 512].map((powerMb) => ({ powerMb, aliases: [`tune-${powerMb}`] })) },
      results: [measured(256, 90), measured(512, 50)],
    });
    expect(out.report.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(out.report.html).toContain('Recommended: <strong>512 MB</strong>');
    expect(out.report.html).not.toMatch(/https?:\/\//);
    // 9 states once + ExecutePowerValue per value + one publish call (PublishVersions, AllPublished)
    expect(out.stepFunctions).toEqual({ stateTransitions: 13, cost: 13 * 0.000025 });
  });

  test('a dry run writes no SSM parameter and the parameter never holds the report', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    const ssmMock = mockClient(ssm);
    ssmMock.on(t.sdk.PutParameterCommand).resolves({ Version: 1 });
    const plan = { config: { ...DEFAULT_TUNING_CONFIG, dryRun: true }, function: fnFacts, targets: [] };
    const dry = await t.createAnalyzer({ ssm, parameterName: '/shop/tuning' })({ plan, results: [measured(256, 90)] });
    expect(dry.dryRun).toBe(true);
    expect(ssmMock.commandCalls(t.sdk.PutParameterCommand)).toHaveLength(0);

    await t.createAnalyzer({ ssm, parameterName: '/shop/tuning' })({ plan: { ...plan, config: DEFAULT_TUNING_CONFIG }, results: [measured(256, 90)] });
    const put = ssmMock.commandCalls(t.sdk.PutParameterCommand);
    expect(put).toHaveLength(1);
    expect(JSON.parse(put[0].args[0].input.Value).report).toBeUndefined();
  });
});
