import * as http from 'http';
import { AddressInfo } from 'net';
import { InvokeCommand as TestSdkInvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
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
const FN_ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${FN}`;
const noSleep = async () => undefined;

const textReport = (billed: number, duration = billed - 0.5, init?: number) =>
  Buffer.from(
    `START RequestId: r Version: 3\nEND RequestId: r\nREPORT RequestId: r\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t${
      init ? `Init Duration: ${init} ms\t` : ''
    }\n`,
  ).toString('base64');

/** An in-memory Lambda function: $LATEST's configuration, versions and aliases. */
class FakeFunction {
  memory = 256;
  description = 'Shop function';
  updating = 0;
  versions: { version: string; memory: number; description: string }[] = [{ version: '1', memory: 256, description: 'release 1' }];
  aliases = new Map<string, string>([['live', '1']]);
  failPublishAtCall?: number;
  publishCalls = 0;

  wire(mock: ReturnType<typeof mockClient>): void {
    const s = t.sdk;
    mock.on(s.GetFunctionConfigurationCommand).callsFake(() => {
      const inProgress = this.updating > 0;
      if (inProgress) this.updating--;
      return {
        FunctionArn: FN_ARN,
        MemorySize: this.memory,
        Description: this.description,
        Architectures: ['arm64'],
        Timeout: 10,
        State: 'Active',
        LastUpdateStatus: inProgress ? 'InProgress' : 'Successful',
      };
    });
    mock.on(s.UpdateFunctionConfigurationCommand).callsFake((input: any) => {
      this.memory = input.MemorySize;
      this.description = input.Description;
      this.updating = 1; // the next poll sees InProgress once
      return {};
    });
    mock.on(s.PublishVersionCommand).callsFake((input: any) => {
      this.publishCalls++;
      if (this.publishCalls === this.failPublishAtCall) throw Object.assign(new Error('Rate exceeded'), { name: 'ServiceException' });
      const version = String(this.versions.length + 1);
      this.versions.push({ version, memory: this.memory, description: input.Description });
      return { Version: version };
    });
    mock.on(s.CreateAliasCommand).callsFake((input: any) => {
      if (this.aliases.has(input.Name)) throw Object.assign(new Error('Alias already exists'), { name: 'ResourceConflictException' });
      this.aliases.set(input.Name, input.FunctionVersion);
      return {};
    });
    mock.on(s.UpdateAliasCommand).callsFake((input: any) => {
      this.aliases.set(input.Name, input.FunctionVersion);
      return {};
    });
    mock.on(s.ListAliasesCommand).callsFake((input: any) => {
      // Two pages, to exercise pagination.
      const all = [...this.aliases.keys()].map((Name) => ({ Name }));
      return input.Marker ? { Aliases: all.slice(2) } : { Aliases: all.slice(0, 2), NextMarker: all.length > 2 ? 'page2' : undefined };
    });
    mock.on(s.ListVersionsByFunctionCommand).callsFake(() => ({
      Versions: [{ Version: '$LATEST', Description: this.description }, ...this.versions.map((v) => ({ Version: v.version, Description: v.description }))],
    }));
    mock.on(s.DeleteAliasCommand).callsFake((input: any) => {
      this.aliases.delete(input.Name);
      return {};
    });
    mock.on(s.DeleteFunctionCommand).callsFake((input: any) => {
      if (!input.Qualifier) throw new Error('the test forbids deleting the function itself');
      if ([...this.aliases.values()].includes(input.Qualifier)) throw Object.assign(new Error('in use by an alias'), { name: 'ResourceConflictException' });
      this.versions = this.versions.filter((v) => v.version !== input.Qualifier);
      return {};
    });
  }
}

function setup() {
  const client = new LambdaClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const fake = new FakeFunction();
  fake.wire(mock);
  return { client, mock, fake };
}

describe('initializer (bundled)', () => {
  test('publishes a version per power value, points its alias at it and restores $LATEST', async () => {
    const { client, mock, fake } = setup();
    const sleeps: number[] = [];
    const init = t.createInitializer({ lambda: client, functionName: FN, sleep: async (ms: number) => void sleeps.push(ms) });
    const plan = await init({ input: { powerValues: [128, 512] }, defaults: DEFAULT_TUNING_CONFIG });

    expect(plan.targets).toEqual([
      { powerMb: 128, aliases: ['tune-128'] },
      { powerMb: 512, aliases: ['tune-512'] },
    ]);
    expect(plan.function).toEqual({ name: FN, region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 256 });
    expect(plan.config).toEqual({ ...DEFAULT_TUNING_CONFIG, powerValues: [128, 512] });
    // each version has the memory it stands for, and the tuner's description
    expect(fake.versions.slice(1)).toEqual([
      { version: '2', memory: 128, description: t.VERSION_DESCRIPTION },
      { version: '3', memory: 512, description: t.VERSION_DESCRIPTION },
    ]);
    expect(Object.fromEntries(fake.aliases)).toEqual({ 'live': '1', 'tune-128': '2', 'tune-512': '3' });
    // $LATEST is back to what CloudFormation deployed
    expect(fake.memory).toBe(256);
    expect(fake.description).toBe('Shop function');
    // it waited for each configuration update before publishing
    expect(sleeps.length).toBe(3);
    const updates = mock.commandCalls(t.sdk.UpdateFunctionConfigurationCommand).map((c) => c.args[0].input.MemorySize);
    expect(updates).toEqual([128, 512, 256]);
  });

  test('an on-deploy run\'s input flag is accepted and is not part of the tuning configuration', async () => {
    const { client, fake } = setup();
    const init = t.createInitializer({ lambda: client, functionName: FN, sleep: noSleep });
    const plan = await init({ input: { onDeploy: true }, defaults: DEFAULT_TUNING_CONFIG });
    expect(plan.config).toEqual(DEFAULT_TUNING_CONFIG);
    expect(fake.memory).toBe(256);
  });

  test('restores the deployed memory, not the size an interrupted run left on $LATEST', async () => {
    const { client, mock, fake } = setup();
    fake.memory = 3008;
    fake.description = 'Shop function [power-tuning 3008-4]';
    const init = t.createInitializer({ lambda: client, functionName: FN, deployedMemoryMb: 256, sleep: noSleep });
    const plan = await init({ input: { powerValues: [128, 512] }, defaults: DEFAULT_TUNING_CONFIG });
    expect(plan.function.originalMemoryMb).toBe(256);
    expect(fake.memory).toBe(256);
    expect(fake.description).toBe('Shop function');
    const updates = mock.commandCalls(t.sdk.UpdateFunctionConfigurationCommand).map((c) => c.args[0].input.MemorySize);
    expect(updates).toEqual([128, 512, 256]);
  });

  test('restores the deployed memory when a step fails, too', async () => {
    const { client, fake } = setup();
    fake.memory = 1024;
    fake.failPublishAtCall = 2;
    const init = t.createInitializer({ lambda: client, functionName: FN, deployedMemoryMb: 256, sleep: noSleep });
    await expect(init({ input: { powerValues: [128, 512, 2048] }, defaults: DEFAULT_TUNING_CONFIG })).rejects.toThrow('Rate exceeded');
    expect(fake.memory).toBe(256);
  });

  test('repoints an alias left over by an interrupted run', async () => {
    const { client, mock, fake } = setup();
    fake.aliases.set('tune-128', '1');
    const init = t.createInitializer({ lambda: client, functionName: FN, sleep: noSleep });
    await init({ input: { powerValues: [128] }, defaults: DEFAULT_TUNING_CONFIG });
    expect(mock.commandCalls(t.sdk.UpdateAliasCommand)).toHaveLength(1);
    expect(fake.aliases.get('tune-128')).toBe('2');
  });

  test('onlyColdStarts publishes num versions per value, forced by a marked description', async () => {
    const { client, fake } = setup();
    const plan = await t.createInitializer({ lambda: client, functionName: FN, sleep: noSleep })({
      input: { powerValues: [256], onlyColdStarts: true, num: 5 },
      defaults: DEFAULT_TUNING_CONFIG,
    });
    expect(plan.targets[0].aliases).toEqual(['tune-256-0', 'tune-256-1', 'tune-256-2', 'tune-256-3', 'tune-256-4']);
    expect(new Set(plan.targets[0].aliases.map((a: string) => fake.aliases.get(a))).size).toBe(5);
    expect(fake.description).toBe('Shop function');
  });

  test('a bad execution input fails before anything changes', async () => {
    const { client, mock } = setup();
    const init = t.createInitializer({ lambda: client, functionName: FN, sleep: noSleep });
    await expect(init({ input: { num: 2 }, defaults: DEFAULT_TUNING_CONFIG })).rejects.toMatchObject({
      name: 'TuningInputError',
      message: expect.stringMatching(/num must be a whole number from 5/),
    });
    expect(mock.commandCalls(t.sdk.UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });
});

describe('cleanup on error (bundled)', () => {
  test('the initializer fails halfway, restores $LATEST, and the cleaner removes every alias and version it made', async () => {
    const { client, mock, fake } = setup();
    fake.failPublishAtCall = 3;
    const init = t.createInitializer({ lambda: client, functionName: FN, sleep: noSleep });
    await expect(init({ input: { powerValues: [128, 256, 512, 1024] }, defaults: DEFAULT_TUNING_CONFIG })).rejects.toThrow('Rate exceeded');
    expect(fake.memory).toBe(256);
    expect([...fake.aliases.keys()]).toEqual(['live', 'tune-128', 'tune-256']);

    const result = await t.createCleaner({ lambda: client, functionName: FN, deployedMemoryMb: 256, sleep: noSleep })({});
    expect(result).toEqual({ deletedAliases: ['tune-128', 'tune-256'], deletedVersions: ['2', '3'], restoredConfiguration: false });
    // the user's alias and version are untouched
    expect(Object.fromEntries(fake.aliases)).toEqual({ live: '1' });
    expect(fake.versions).toEqual([{ version: '1', memory: 256, description: 'release 1' }]);
    // versions are only ever deleted by qualifier
    for (const call of mock.commandCalls(t.sdk.DeleteFunctionCommand)) expect(call.args[0].input.Qualifier).toMatch(/^[0-9]+$/);
  });

  test('the cleaner restores memory and description a crashed run left behind', async () => {
    const { client, fake } = setup();
    fake.memory = 3008;
    fake.description = 'Shop function [power-tuning 3008-4]';
    const result = await t.createCleaner({ lambda: client, functionName: FN, deployedMemoryMb: 256, sleep: noSleep })({});
    expect(result.restoredConfiguration).toBe(true);
    expect(fake.memory).toBe(256);
    expect(fake.description).toBe('Shop function');
  });

  test('the cleaner tries everything, then reports what it could not delete', async () => {
    const { client, mock, fake } = setup();
    fake.aliases.set('tune-128', '1');
    fake.versions.push({ version: '2', memory: 128, description: t.VERSION_DESCRIPTION });
    mock.on(t.sdk.DeleteAliasCommand).rejects(Object.assign(new Error('access denied'), { name: 'AccessDeniedException' }));
    const clean = t.createCleaner({ lambda: client, functionName: FN, sleep: noSleep });
    await expect(clean({})).rejects.toMatchObject({
      name: 'PowerTuningCleanupError',
      message: expect.stringContaining('delete alias tune-128: AccessDeniedException: access denied'),
    });
    // the version was still deleted
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
  });
});

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

describe('starter: run on deploy (bundled)', () => {
  const event = (RequestType: string, ResponseURL = 'https://example.invalid/response') => ({
    RequestType,
    ResponseURL,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/S/1',
    RequestId: 'req-1',
    LogicalResourceId: 'Trigger',
    ResourceType: 'Custom::PowerTuningOnDeploy',
    ServiceToken: 'arn',
    PhysicalResourceId: RequestType === 'Create' ? undefined : 'Trigger-power-tuning-on-deploy',
    ResourceProperties: { ServiceToken: 'arn', StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Tuner', FunctionVersion: '7' },
  });

  test('create and update start one execution and answer at once; delete does nothing', async () => {
    const sfn = new SFNClient({ region: 'eu-west-1' });
    const sfnMock = mockClient(sfn);
    sfnMock.on(t.sdk.StartExecutionCommand).resolves({ executionArn: 'arn:exec:1' });
    const responses: any[] = [];
    const start = t.createStarter({ sfn, respond: async (_url: string, r: unknown) => void responses.push(r) });
    const { PhysicalResourceId: _omit, ...create } = event('Create');
    await start(create);
    await start(event('Update'));
    await start(event('Delete'));
    const calls = sfnMock.commandCalls(t.sdk.StartExecutionCommand);
    expect(calls).toHaveLength(2);
    // flagged as started by a deployment, so the state machine waits before it changes the function
    expect(calls[0].args[0].input).toEqual({ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Tuner', input: '{"onDeploy":true}' });
    expect(responses.map((r) => [r.Status, r.PhysicalResourceId, r.Data?.ExecutionArn])).toEqual([
      ['SUCCESS', 'Trigger-power-tuning-on-deploy', 'arn:exec:1'],
      ['SUCCESS', 'Trigger-power-tuning-on-deploy', 'arn:exec:1'],
      ['SUCCESS', 'Trigger-power-tuning-on-deploy', undefined],
    ]);
  });

  test('a failed start is reported to CloudFormation, not swallowed', async () => {
    const sfn = new SFNClient({ region: 'eu-west-1' });
    mockClient(sfn).on(t.sdk.StartExecutionCommand).rejects(new Error('AccessDenied'));
    const responses: any[] = [];
    await t.createStarter({ sfn, respond: async (_url: string, r: unknown) => void responses.push(r) })(event('Update'));
    expect(responses[0]).toMatchObject({ Status: 'FAILED', Reason: 'Could not start the power-tuning execution: AccessDenied' });
  });

  test('putResponse PUTs the JSON body to the response URL', async () => {
    const received: { method?: string; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await t.putResponse(`http://127.0.0.1:${port}/presigned?sig=1`, { Status: 'SUCCESS', PhysicalResourceId: 'p', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' });
      expect(received).toHaveLength(1);
      expect(received[0].method).toBe('PUT');
      expect(JSON.parse(received[0].body)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'p' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('handler shells (bundled)', () => {
  test('export every handler the state machine names, and fail clearly without their environment', async () => {
    for (const name of ['initializer', 'executor', 'cleaner', 'analyzer', 'starter']) expect(typeof t[name]).toBe('function');
    delete process.env.TUNED_FUNCTION_NAME;
    await expect(t.initializer({})).rejects.toThrow(/PowerTunedFunction tuner template: TUNED_FUNCTION_NAME is not set; it must name the function to tune/);
  });
});
