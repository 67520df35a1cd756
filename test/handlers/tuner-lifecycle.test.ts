import * as http from 'http';
import { AddressInfo } from 'net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_TUNING_CONFIG } from '../../src/power-tuning/contract/tuning-input';
import { FakeLambda, FN } from '../power-tuning/support/fake-lambda';
import { importTemplate } from '../support/assets';

// The initializer, publisher, cleaner and starter cores of the bundled asset
// (assets/tuner/index.mjs), one call at a time, on the fake Lambda API
// (test/power-tuning/support/fake-lambda.ts) and a mocked Step Functions client. Whole
// runs through the state machine are in tuner-state-machine.test.ts.

let t: any;
beforeAll(async () => {
  t = await importTemplate('tuner');
});
beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

const noSleep = async () => undefined;
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Tuner';
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:Tuner:run-1';
const RUN = { executionArn: EXEC, stateMachineArn: SM };

function sfnWith(running: string[]) {
  const sfn = new SFNClient({ region: 'eu-west-1' });
  const mock = mockClient(sfn);
  mock.on(t.sdk.ListExecutionsCommand).resolves({ executions: running.map((executionArn) => ({ executionArn })) as any });
  return { sfn, mock };
}

describe('initializer (bundled)', () => {
  const init = (fake: FakeLambda, running = [EXEC]) =>
    t.createInitializer({ lambda: fake.client, sfn: sfnWith(running).sfn, functionName: FN, sleep: noSleep });

  test('plans run-scoped aliases and reads the function at run start, changing nothing', async () => {
    const fake = new FakeLambda(t.sdk);
    fake.deploy(640, 'Shop function v2');
    const plan = await init(fake)({ input: { powerValues: [128, 512] }, defaults: DEFAULT_TUNING_CONFIG, execution: RUN });
    const runId = t.runIdOf(EXEC);
    expect(runId).toMatch(/^[0-9a-f]{16}$/);
    expect(plan.targets).toEqual([
      { powerMb: 128, aliases: [`tune-${runId}-128`] },
      { powerMb: 512, aliases: [`tune-${runId}-512`] },
    ]);
    expect(plan.function).toMatchObject({ name: FN, region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 640, originalDescription: 'Shop function v2' });
    expect(fake.calls.UpdateFunctionConfigurationCommand ?? 0).toBe(0);
    expect(fake.calls.PublishVersionCommand ?? 0).toBe(0);
  });

  test('without the execution context it refuses to run', async () => {
    await expect(init(new FakeLambda(t.sdk))({ input: {}, defaults: DEFAULT_TUNING_CONFIG })).rejects.toThrow(/needs execution: \{ executionArn, stateMachineArn \}/);
  });

  test('the leftover sweep keeps what belongs to a running execution', async () => {
    const fake = new FakeLambda(t.sdk);
    const other = 'arn:aws:states:eu-west-1:123456789012:execution:Tuner:other';
    const otherId = t.runIdOf(other);
    fake.versions.push({ version: '2', memory: 256, description: t.versionDescription(otherId), pendingPolls: 0 });
    fake.aliases.set(`tune-${otherId}-256`, '2');
    // the running one is ours; the other one is RUNNING too: the run refuses and touches nothing
    await expect(init(fake, [EXEC, other])({ input: {}, defaults: DEFAULT_TUNING_CONFIG, execution: RUN })).rejects.toMatchObject({
      name: 'RunInProgressError',
    });
    expect(fake.aliases.has(`tune-${otherId}-256`)).toBe(true);
    // once it has stopped, the next run sweeps it
    await init(fake)({ input: {}, defaults: DEFAULT_TUNING_CONFIG, execution: RUN });
    expect(fake.aliases.has(`tune-${otherId}-256`)).toBe(false);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
  });
});

describe('publisher (bundled)', () => {
  const planFor = async (fake: FakeLambda, input: Record<string, unknown>) =>
    t.createInitializer({ lambda: fake.client, sfn: sfnWith([EXEC]).sfn, functionName: FN, sleep: noSleep })({
      input,
      defaults: DEFAULT_TUNING_CONFIG,
      execution: RUN,
    });

  test('each version is published at its memory with the run\'s description, conditional on the revision it read', async () => {
    const fake = new FakeLambda(t.sdk);
    const plan = await planFor(fake, { powerValues: [128, 1024] });
    const out = await t.createPublisher({ lambda: fake.client, sleep: noSleep })({ plan, next: 0 });
    expect(out).toMatchObject({ next: 2, done: true, report: { functionConfiguration: { restored: true, memoryMb: 512 } } });
    expect(fake.versions.slice(1).map((v) => [v.memory, v.description])).toEqual([
      [128, t.versionDescription(plan.runId)],
      [1024, t.versionDescription(plan.runId)],
    ]);
    expect(Object.fromEntries(fake.aliases)).toEqual({ live: '1', [`tune-${plan.runId}-128`]: '2', [`tune-${plan.runId}-1024`]: '3' });
    expect([fake.memory, fake.description]).toEqual([512, 'Shop function']);
  });

  test('a call retried after a step failed halfway finds its own update applied and carries on', async () => {
    const fake = new FakeLambda(t.sdk);
    const plan = await planFor(fake, { powerValues: [128, 1024] });
    fake.failPublishAt = 2; // the second publish fails after its memory update
    const publish = t.createPublisher({ lambda: fake.client, sleep: noSleep });
    await expect(publish({ plan, next: 0 })).rejects.toMatchObject({ name: 'ServiceException' });
    expect(fake.memory).toBe(1024);
    // the state machine retries the call with the same input
    const out = await publish({ plan, next: 0 });
    expect(out.report.functionConfiguration).toMatchObject({ restored: true, changedDuringRun: false });
    expect(fake.memory).toBe(512);
    expect(fake.versions.find((v) => v.version === fake.aliases.get(`tune-${plan.runId}-1024`))?.memory).toBe(1024);
  });

  test('a version that never becomes Active fails the step with the reason instead of being skipped later', async () => {
    const fake = new FakeLambda(t.sdk);
    fake.pendingPolls = 1000;
    const plan = await planFor(fake, { powerValues: [128] });
    await expect(t.createPublisher({ lambda: fake.client, sleep: noSleep })({ plan, next: 0 })).rejects.toThrow(/was still not Active after 180 s/);
  });
});

describe('cleaner (bundled)', () => {
  test('cleans one run only, and needs to be told which', async () => {
    const fake = new FakeLambda(t.sdk);
    const mine = t.runIdOf(EXEC);
    const theirs = t.runIdOf(`${EXEC}-other`);
    fake.versions.push({ version: '2', memory: 256, description: t.versionDescription(mine), pendingPolls: 0 });
    fake.versions.push({ version: '3', memory: 256, description: t.versionDescription(theirs), pendingPolls: 0 });
    fake.aliases.set(`tune-${mine}-256`, '2');
    fake.aliases.set(`tune-${theirs}-256`, '3');
    const clean = t.createCleaner({ lambda: fake.client, functionName: FN, sleep: noSleep });
    expect(await clean({ executionArn: EXEC })).toEqual({ deletedAliases: [`tune-${mine}-256`], deletedVersions: ['2'], restoredConfiguration: false });
    expect([...fake.aliases.keys()]).toEqual(['live', `tune-${theirs}-256`]);
    await expect(clean({})).rejects.toThrow(/needs \{ executionArn \} or \{ sweep: \{ keepRunIds \} \}/);
  });

  test('a mark whose memory someone changed since: only the mark goes, their memory stays', async () => {
    const fake = new FakeLambda(t.sdk);
    fake.memory = 3008;
    fake.description = `Shop function [power-tuning ${t.runIdOf(EXEC)} 1024MB of 512MB #2]`;
    const result = await t.createCleaner({ lambda: fake.client, functionName: FN, sleep: noSleep })({ executionArn: EXEC });
    expect(result.restoredConfiguration).toBe(false);
    expect([fake.memory, fake.description]).toEqual([3008, 'Shop function']);
  });
});

describe('starter (bundled)', () => {
  const event = (RequestType: string) => ({
    RequestType,
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/S/1',
    RequestId: 'req-1',
    LogicalResourceId: 'Trigger',
    ResourceType: 'Custom::PowerTuningOnDeploy',
    ServiceToken: 'arn',
    ResourceProperties: { ServiceToken: 'arn', StateMachineArn: SM, DeployToken: '7' },
  });

  test('names the execution after the stack, the resource and the deploy token', async () => {
    const { sfn, mock } = sfnWith([]);
    mock.on(t.sdk.StartExecutionCommand).resolves({ executionArn: 'arn:exec:1' });
    const responses: any[] = [];
    await t.createStarter({ sfn, lambda: { send: jest.fn() }, respond: async (_u: string, r: unknown) => void responses.push(r) })(event('Create'));
    const input = mock.commandCalls(t.sdk.StartExecutionCommand)[0].args[0].input;
    expect(input).toEqual({ stateMachineArn: SM, name: t.executionName(event('Create').StackId, 'Trigger', '7'), input: '{"onDeploy":true}' });
    expect(input.name).toMatch(/^deploy-[0-9a-f]{40}$/);
    expect(t.executionName('a', 'Trigger', '8')).not.toBe(t.executionName('a', 'Trigger', '7'));
    expect(responses[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Trigger-power-tuning-on-deploy', Data: { ExecutionArn: 'arn:exec:1' } });
  });

  test('a failed start is reported to CloudFormation, not swallowed', async () => {
    const { sfn, mock } = sfnWith([]);
    mock.on(t.sdk.StartExecutionCommand).rejects(new Error('AccessDenied'));
    const responses: any[] = [];
    await t.createStarter({ sfn, lambda: { send: jest.fn() }, respond: async (_u: string, r: unknown) => void responses.push(r) })(event('Create'));
    expect(responses[0]).toMatchObject({ Status: 'FAILED', Reason: 'Could not start the power-tuning execution: AccessDenied' });
  });

  test('a delete whose cleanup fails still answers SUCCESS, so the stack deletes', async () => {
    const { sfn, mock } = sfnWith(['arn:exec:1']);
    mock.on(t.sdk.StopExecutionCommand).rejects(new Error('AccessDenied'));
    const responses: any[] = [];
    await t.createStarter({ sfn, lambda: { send: jest.fn() }, respond: async (_u: string, r: unknown) => void responses.push(r) })({
      ...event('Delete'),
      PhysicalResourceId: 'Trigger-power-tuning-on-deploy',
    });
    expect(responses[0]).toMatchObject({ Status: 'SUCCESS', Data: { Stopped: '' } });
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
    for (const name of ['initializer', 'publisher', 'executor', 'cleaner', 'analyzer', 'starter']) expect(typeof t[name]).toBe('function');
    delete process.env.TUNED_FUNCTION_NAME;
    await expect(t.initializer({})).rejects.toThrow(/PowerTuner template: TUNED_FUNCTION_NAME is not set; it must name the function to tune/);
  });
});
