import { InvokeCommand as TestSdkInvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';
import { DEFAULT_TUNING_CONFIG } from '../../src/power-tuning/contract/tuning-input';
import { importTemplate } from '../support/assets';

// These tests drive the bundled asset (assets/tuner/index.mjs), which carries its own copy
// of the AWS SDK. A client from the test's SDK is mocked with aws-sdk-client-mock and
// passed to the asset's create* cores; commands are matched with the asset's own command
// classes (exported as `sdk`), because the test SDK's classes are different classes.

let t: any;
beforeAll(async () => {
  t = await importTemplate('tuner');
});

const FN = 'shop-Fn';
const noSleep = async () => undefined;

const textReport = (billed: number, duration = billed - 0.5, init?: number) =>
  Buffer.from(
    `START RequestId: r Version: 3\nEND RequestId: r\nREPORT RequestId: r\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t${
      init ? `Init Duration: ${init} ms\t` : ''
    }\n`,
  ).toString('base64');

describe('executor (bundled)', () => {
  const plan = (overrides: Record<string, unknown> = {}, aliases = ['tune-256']) => ({
    target: { powerMb: 256, aliases },
    config: { ...DEFAULT_TUNING_CONFIG, num: 5, ...overrides },
    function: { name: FN, region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 256 },
  });
  const context = (remainingMs = 600_000) => ({ getRemainingTimeInMillis: () => remainingMs });

  test('invokes the alias num times with tail logs and computes the figures from the REPORT lines', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    const billed = [12, 10, 30, 11, 9];
    let i = 0;
    mock.on(t.sdk.InvokeCommand).callsFake(() => {
      const b = billed[i++];
      return { StatusCode: 200, LogResult: textReport(b, b - 0.5, i === 1 ? 120.5 : undefined), Payload: new TextEncoder().encode('{"ok":true}') };
    });
    const result = await t.createExecutor({ lambda: client, sleep: noSleep })(plan({ payload: { iterations: 5 } }), context());

    const calls = mock.commandCalls(t.sdk.InvokeCommand);
    expect(calls).toHaveLength(5);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({ FunctionName: FN, Qualifier: 'tune-256', LogType: 'Tail' });
    expect(JSON.parse(Buffer.from(input.Payload).toString())).toEqual({ iterations: 5 });

    const prices = lambdaPrices('eu-west-1', 'arm64', true);
    expect(result).toEqual({
      status: 'measured',
      powerMb: 256,
      invocations: 5,
      coldStarts: 1,
      averageInitDurationMs: 120.5,
      ...costFigures(prices, 256, billed, billed.map((b) => b - 0.5), 0.2),
    });
    // trimmed mean of 9 10 11 12 30 without one at each end: 11
    expect(result.averageDurationMs).toBe(11);
    expect(result.averageDurationCost).toBe(11 * (0.0000133334 / 8000) * 2);
  });

  test('a timed-out invocation skips the power value with the reason', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock
      .on(t.sdk.InvokeCommand)
      .resolvesOnce({ StatusCode: 200, LogResult: textReport(100) })
      .resolves({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        LogResult: Buffer.from('REPORT RequestId: r\tDuration: 10000.00 ms\tBilled Duration: 10000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout').toString('base64'),
        Payload: new TextEncoder().encode(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r Error: Task timed out after 10.00 seconds' })) as any,
      });
    const result = await t.createExecutor({ lambda: client, sleep: noSleep })(plan(), context());
    expect(result).toMatchObject({ status: 'skipped', powerMb: 256, reason: 'timeout: RequestId: r Error: Task timed out after 10.00 seconds' });
    expect(mock.commandCalls(t.sdk.InvokeCommand)).toHaveLength(2);
    // both invocations were billed, so they count in the run's cost: (100 + 10000) ms at 256 MB + 2 requests
    const prices = lambdaPrices('eu-west-1', 'arm64', true);
    expect(result.invocations).toBe(2);
    expect(result.totalCost).toBeCloseTo((100 + 10000) * prices.durationPerMsAt128Mb * 2 + 2 * prices.perRequest, 15);
  });

  test('a function error skips the power value with its type and message', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    mockClient(client).on(t.sdk.InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      LogResult: textReport(5),
      Payload: new TextEncoder().encode(JSON.stringify({ errorType: 'BadEventError', errorMessage: '"iterations" must be a whole number' })) as any,
    });
    const result = await t.createExecutor({ lambda: client })(plan({ parallelInvocation: true }), context());
    expect(result).toMatchObject({ status: 'skipped', powerMb: 256, reason: 'invocation failed: BadEventError: "iterations" must be a whole number' });
  });

  test('a throttled invocation is retried on its own with jittered backoff, never the value\'s other invocations', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    let calls = 0;
    mock.on(t.sdk.InvokeCommand).callsFake(() => {
      calls++;
      // the third invocation is throttled twice
      if (calls === 3 || calls === 4) throw throttle;
      return { StatusCode: 200, LogResult: textReport(20) };
    });
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    const result = await t.createExecutor({ lambda: client, sleep, random: () => 0.5 })(plan(), context());
    expect(result).toMatchObject({ status: 'measured', invocations: 5 });
    // 5 invocations + 2 retries of the throttled one, not 5 + 2 × 5
    expect(mock.commandCalls(t.sdk.InvokeCommand)).toHaveLength(7);
    // backoff grows: half (random 0.5) of 200 × 2^1 and 200 × 2^2
    expect(sleeps).toEqual([200, 400]);
  });

  test('throttling that never ends is bounded: the value is skipped, nothing is thrown for the state machine to re-run', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(t.sdk.InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const result = await t.createExecutor({ lambda: client, sleep: noSleep, random: () => 0 })(plan(), context());
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/throttled 8 times \(TooManyRequestsException\)/), invocations: 0 });
    expect(mock.commandCalls(t.sdk.InvokeCommand)).toHaveLength(8);
  });

  test('other API errors are still thrown, for the state machine to retry', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    mockClient(client).on(t.sdk.InvokeCommand).rejects(Object.assign(new Error('boom'), { name: 'ServiceException' }));
    await expect(t.createExecutor({ lambda: client })(plan(), context())).rejects.toMatchObject({ name: 'ServiceException' });
  });

  test('parallel, cold-start and sleep variants', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(t.sdk.InvokeCommand).resolves({ StatusCode: 200, LogResult: textReport(20, 19.5, 300) });
    const aliases = ['tune-256-0', 'tune-256-1', 'tune-256-2', 'tune-256-3', 'tune-256-4'];
    const cold = await t.createExecutor({ lambda: client })(plan({ onlyColdStarts: true, parallelInvocation: true }, aliases), context());
    expect(cold.coldStarts).toBe(5);
    expect(mock.commandCalls(t.sdk.InvokeCommand).map((c) => c.args[0].input.Qualifier)).toEqual(aliases);

    const sleeps: number[] = [];
    await t.createExecutor({ lambda: client, sleep: async (ms: number) => void sleeps.push(ms) })(plan({ sleepBetweenRunsMs: 250 }), context());
    expect(sleeps).toEqual([250, 250, 250, 250]);
  });

  test('too little time left for another invocation skips the value instead of timing out', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    mockClient(client).on(t.sdk.InvokeCommand).resolves({ StatusCode: 200, LogResult: textReport(20) });
    const result = await t.createExecutor({ lambda: client })(plan(), context(12_000));
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/only 0 of 5 invocations fit/) });
  });

  test('a missing REPORT line skips the value', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    mockClient(client).on(t.sdk.InvokeCommand).resolves({ StatusCode: 200, LogResult: Buffer.from('hello').toString('base64') });
    const result = await t.createExecutor({ lambda: client })(plan(), context());
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/no REPORT record/) });
  });

  test('why the asset exports its SDK classes: the test SDK\'s InvokeCommand does not match the asset\'s commands', async () => {
    const client = new LambdaClient({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(TestSdkInvokeCommand).resolves({ StatusCode: 200, LogResult: textReport(20) });
    // the stub falls through to its default (undefined), so the executor cannot read a result
    await expect(t.createExecutor({ lambda: client })(plan(), context())).rejects.toThrow();
    expect(mock.commandCalls(TestSdkInvokeCommand)).toHaveLength(0);
    expect(mock.commandCalls(t.sdk.InvokeCommand)).toHaveLength(1);
  });
});

describe('analyzer (bundled)', () => {
  const fnFacts = { name: FN, region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 256 };
  const prices = lambdaPrices('eu-west-1', 'arm64', true);
  const measured = (powerMb: number, ms: number) => ({
    status: 'measured', powerMb, invocations: 10, coldStarts: 0, ...costFigures(prices, powerMb, Array(10).fill(ms), Array(10).fill(ms), 0.2),
  });

  test('recommends, writes the SSM parameter and never touches the function', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    const ssmMock = mockClient(ssm);
    ssmMock.on(t.sdk.PutParameterCommand).resolves({ Version: 1 });
    const out = await t.createAnalyzer({ ssm, parameterName: '/shop/tuning' })({
      plan: { config: { ...DEFAULT_TUNING_CONFIG, strategy: 'speed' }, function: fnFacts, targets: [] },
      results: [measured(512, 50), measured(256, 90), { status: 'skipped', powerMb: 128, reason: 'timeout: x' }],
    });
    expect(out.recommendation).toMatchObject({ powerMb: 512, averageDurationMs: 50 });
    expect(out.skipped).toEqual([{ status: 'skipped', powerMb: 128, reason: 'timeout: x' }]);
    expect(out.context).toMatchObject({ functionName: FN, region: 'eu-west-1', architecture: 'arm64', durationPricePerMsAt128Mb: 0.0000133334 / 8000, requestPrice: 2e-7 });
    const put = ssmMock.commandCalls(t.sdk.PutParameterCommand);
    expect(put).toHaveLength(1);
    expect(put[0].args[0].input).toMatchObject({ Name: '/shop/tuning', Type: 'String', Overwrite: true });
    expect(JSON.parse(put[0].args[0].input.Value).recommendation.powerMb).toBe(512);
  });

  test('all skipped: a message and no parameter write', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    const ssmMock = mockClient(ssm);
    const out = await t.createAnalyzer({ ssm, parameterName: '/shop/tuning' })({
      plan: { config: DEFAULT_TUNING_CONFIG, function: fnFacts, targets: [] },
      results: [{ status: 'skipped', powerMb: 128, reason: 'timeout: x' }],
    });
    expect(out.recommendation).toBeUndefined();
    expect(out.message).toMatch(/^Every power value failed, so there is no recommendation: 128 MB: timeout: x/);
    expect(ssmMock.commandCalls(t.sdk.PutParameterCommand)).toHaveLength(0);
  });

  test('a parameter value never exceeds the 4 KB standard tier', () => {
    const many = Array.from({ length: 50 }, (_, i) => measured(128 + i * 64, 100));
    const out = { strategy: 'cost', balancedWeight: 0.5, recommendation: { powerMb: 128 }, measured: many, skipped: [], totalCost: 1 };
    expect(t.parameterValue(out).length).toBeLessThanOrEqual(4096);
    expect(JSON.parse(t.parameterValue(out)).recommendation.powerMb).toBe(128);
  });

  test('a malformed event is a clear error', async () => {
    await expect(t.createAnalyzer({})({ results: [] })).rejects.toThrow(/needs \{ plan, results \}/);
  });
});
