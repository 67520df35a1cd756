// aws-local-stepfunctions needs Promise.withResolvers (Node >= 22); the suite also runs on Node 20.
if (!(Promise as any).withResolvers) {
  (Promise as any).withResolvers = () => {
    let resolve: any;
    let reject: any;
    const promise = new Promise((res, rej) => ([resolve, reject] = [res, rej]));
    return { promise, resolve, reject };
  };
}
import { Stack } from 'aws-cdk-lib';
import { PowerTunedFunction } from '../../src/power-tuning';
import { FakeLambda, Outcome } from '../power-tuning/support/fake-lambda';
import { InterpretedTuner, SM_ARN, synthesizedDefinition } from '../power-tuning/support/interpreted-tuner';
import { createTestApp } from '../support/app';
import { importTemplate } from '../support/assets';

// The definition CDK synthesizes runs in aws-local-stepfunctions; every Task calls the
// bundled tuner asset (assets/tuner) on a fake Lambda API (test/power-tuning/support/fake-lambda.ts)
// and a fake Step Functions API, both through aws-sdk-client-mock.

let t: any;
let plainDefinition: any;
let onDeployDefinition: any;
beforeAll(async () => {
  t = await importTemplate('tuner');
  const stack = new Stack(createTestApp(), 'Shop');
  new PowerTunedFunction(stack, 'Fn', { powerValuesMb: [256, 512, 1024, 2048], invocationsPerValue: 5 });
  plainDefinition = synthesizedDefinition(stack);
  const deployStack = new Stack(createTestApp(), 'ShopOnDeploy');
  new PowerTunedFunction(deployStack, 'Fn', { powerValuesMb: [256, 512, 1024, 2048], invocationsPerValue: 5, tuneOnDeploy: true });
  onDeployDefinition = synthesizedDefinition(deployStack);
});
beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** Holds every invocation until released, like a function that is still running. */
function hold(fake: FakeLambda): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  fake.beforeInvoke = () => held;
  return release;
}

/** Waits (a bounded number of turns) until the fake has seen an invocation. */
async function untilInvoked(fake: FakeLambda): Promise<void> {
  for (let i = 0; i < 3000 && (fake.calls.InvokeCommand ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 10));
  if ((fake.calls.InvokeCommand ?? 0) === 0) throw new Error(`the run never invoked the function: ${JSON.stringify(fake.calls)}`);
}

const harness = (behaviour?: (memory: number, qualifier: string) => Outcome, definition = plainDefinition) => {
  const fake = new FakeLambda(t.sdk, behaviour);
  return { fake, tuner: new InterpretedTuner(t, definition, fake) };
};

describe('the synthesized state machine, interpreted', () => {
  test('happy path: every value measured, the cheapest recommended, everything the run made removed, memory restored', async () => {
    const { fake, tuner } = harness();
    const { output, error, states } = await tuner.run({});
    expect(error).toBeUndefined();
    expect(output.recommendation.powerMb).toBe(1024);
    expect(output.measured.map((m: any) => m.powerMb)).toEqual([256, 512, 1024, 2048]);
    expect(output.functionConfiguration).toMatchObject({ restored: true, memoryMb: 512, changedDuringRun: false });
    expect(states.filter((s) => s === 'ExecutePowerValue')).toHaveLength(4);
    // 5 invocations of each value, at its memory
    expect(fake.invocations.map((i) => i.memory).sort((a, b) => a - b)).toEqual([256, 512, 1024, 2048].flatMap((m) => Array(5).fill(m)));
    expect(fake.tunerAliases()).toEqual([]);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
    expect([fake.memory, fake.description]).toEqual([512, 'Shop function']);
  });

  test('memory: the run gives back what the function had when this run started, not what it was deployed with', async () => {
    const { fake, tuner } = harness();
    fake.deploy(640, 'Shop function v2'); // CloudFormation changed it after the construct was synthesized
    const { output } = await tuner.run({});
    expect(output.functionConfiguration).toMatchObject({ restored: true, memoryMb: 640 });
    expect([fake.memory, fake.description]).toEqual([640, 'Shop function v2']);
  });

  test('a configuration change after the last publish: memory is left alone and the output says so', async () => {
    const { fake, tuner } = harness();
    fake.afterPublish = (_v, count) => {
      if (count === 4) fake.deploy(1536, 'deployed during the run');
    };
    const { output } = await tuner.run({});
    expect(output.recommendation).toBeDefined();
    expect(output.functionConfiguration).toMatchObject({ restored: false, changedDuringRun: true, memoryMb: 1536 });
    expect([fake.memory, fake.description]).toEqual([1536, 'deployed during the run']);
    expect(fake.tunerAliases()).toEqual([]);
  });

  test('a configuration change while publishing: the run stops, cleans its own versions and leaves the function as deployed', async () => {
    const { fake, tuner } = harness();
    fake.afterPublish = (_v, count) => {
      if (count === 2) fake.deploy(1536, 'deployed during the run');
    };
    const { error } = await tuner.run({});
    expect(error).toMatchObject({ name: 'FunctionChangedError', message: expect.stringContaining('changed during the run') });
    expect(fake.publishCount).toBe(2);
    expect([fake.memory, fake.description]).toEqual([1536, 'deployed during the run']);
    expect(fake.tunerAliases()).toEqual([]);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
  });

  test('Pending versions: the run waits until each is Active and skips nothing', async () => {
    const { fake, tuner } = harness();
    fake.pendingPolls = 3;
    const { output } = await tuner.run({});
    expect(output.skipped).toEqual([]);
    expect(output.measured).toHaveLength(4);
  });

  test('a value that times out is skipped with the reason; the others are measured', async () => {
    const { tuner } = harness((memory) => (memory === 256 ? { timeout: true } : { billedMs: 100 }));
    const { output } = await tuner.run({});
    expect(output.skipped).toEqual([expect.objectContaining({ powerMb: 256, reason: expect.stringMatching(/^timeout/) })]);
    expect(output.measured.map((m: any) => m.powerMb)).toEqual([512, 1024, 2048]);
  });

  test('all values failing: the run fails with AllPowerValuesFailed after cleaning up', async () => {
    const { fake, tuner } = harness(() => ({ error: 'BadEventError', message: 'no' }));
    const { error, states } = await tuner.run({});
    expect(error?.name).toBe('PowerTuning.AllPowerValuesFailed');
    expect(error?.message).toMatch(/Every power value failed/);
    expect(states).toContain('Cleanup');
    expect(fake.tunerAliases()).toEqual([]);
    expect(fake.memory).toBe(512);
  });

  test('throttling is retried per invocation by the executor: the value is measured, and no invocation runs twice', async () => {
    const { fake, tuner } = harness();
    fake.throttleNext = 2;
    const { output, retries } = await tuner.run({ powerValues: [512], num: 5 });
    expect(output.measured).toHaveLength(1);
    expect(output.skipped).toEqual([]);
    // The state machine never re-runs the whole value (which would repeat all `num` invocations).
    expect(retries).toEqual([]);
    expect(fake.invocations.filter((i) => i.memory === 512)).toHaveLength(5);
  });

  test('cleanup failing: the run fails with the cleanup error, naming what was left', async () => {
    const { fake, tuner } = harness();
    fake.deleteAliasError = Object.assign(new Error('access denied'), { name: 'AccessDeniedException' });
    const { error } = await tuner.run({ powerValues: [512] });
    expect(error?.name).toBe('PowerTuningCleanupError');
    expect(error?.message).toMatch(/delete alias tune-[0-9a-f]{16}-512: AccessDeniedException/);
  });

  test('bad input fails before anything changes', async () => {
    const { fake, tuner } = harness();
    const { error } = await tuner.run({ num: 2 });
    expect(error).toMatchObject({ name: 'TuningInputError', message: expect.stringMatching(/num must be a whole number from 5/) });
    expect(fake.calls.UpdateFunctionConfigurationCommand ?? 0).toBe(0);
    expect(fake.calls.PublishVersionCommand ?? 0).toBe(0);
  });

  test('onlyColdStarts publishes in a Step Functions loop, a bounded batch per call, one fresh version per invocation', async () => {
    const { fake, tuner } = harness((_m, qualifier) => ({ billedMs: 100, initMs: qualifier.length }));
    const powerValues = [128, 256, 512, 1024, 1536, 2048];
    const { output, states } = await tuner.run({ powerValues, num: 5, onlyColdStarts: true });
    // 30 versions, at most MAX_STEPS_PER_CALL per call: the loop ran twice
    expect(t.MAX_STEPS_PER_CALL).toBeLessThan(30);
    expect(states.filter((s) => s === 'PublishVersions')).toHaveLength(Math.ceil(30 / t.MAX_STEPS_PER_CALL));
    expect(fake.publishCount).toBe(30);
    expect(new Set(fake.invocations.map((i) => i.qualifier)).size).toBe(30);
    expect(output.measured).toHaveLength(6);
    expect(fake.tunerAliases()).toEqual([]);
  });
});

describe('the run\'s Step Functions cost', () => {
  // Every state a Standard execution enters is a billed transition: the analyzer's estimate
  // must equal what the interpreted run of the synthesized definition entered.
  test.each([
    ['exhaustive sampling', {}, undefined],
    ['a publishing loop of two calls (30 versions)', { powerValues: [128, 256, 512, 1024, 1536, 2048], num: 5, onlyColdStarts: true }, undefined],
    ['adaptive sampling', { num: 10, sampling: { mode: 'adaptive', minInvocations: 5 } }, undefined],
    ['a value that times out (skipped by the executor)', { powerValues: [256, 512] }, (memory: number) => (memory === 256 ? { timeout: true } : { billedMs: 100 })],
    ['started by hand, on a definition with the deploy choice', {}, 'onDeploy'],
    ['started by a deployment', { onDeploy: true }, 'onDeploy'],
  ])('%s: the estimate counts every state the run entered', async (_name, input, variant) => {
    const behaviour = typeof variant === 'function' ? (variant as any) : undefined;
    const { tuner } = harness(behaviour, variant === 'onDeploy' ? onDeployDefinition : plainDefinition);
    const { output, error, states } = await tuner.run(input);
    expect(error).toBeUndefined();
    expect(output.stepFunctions.stateTransitions).toBe(states.length);
  });
});

describe('overlapping runs', () => {
  test('a run fails fast while another runs, and its cleanup leaves the other run\'s aliases alone', async () => {
    const { fake, tuner } = harness();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstInvocation!: () => void;
    const invoking = new Promise<void>((resolve) => (firstInvocation = resolve));
    fake.beforeInvoke = async () => {
      firstInvocation();
      await held;
    };
    const first = tuner.start({});
    await invoking; // the first run has published its versions and is measuring
    const aliasesOfFirst = fake.tunerAliases();
    expect(aliasesOfFirst).toHaveLength(4);

    fake.beforeInvoke = undefined;
    const second = await tuner.run({});
    expect(second.error).toMatchObject({ name: 'RunInProgressError', message: expect.stringContaining(first.arn) });
    expect(second.states).toContain('CleanupOnError');
    expect(fake.tunerAliases()).toEqual(aliasesOfFirst);

    release();
    const firstOutcome = await first.outcome;
    expect(firstOutcome.output.recommendation).toBeDefined();
    expect(firstOutcome.output.skipped).toEqual([]);
    expect(fake.tunerAliases()).toEqual([]);
  });

  test('a user alias named tune-… and the user\'s versions are never deleted', async () => {
    const { fake, tuner } = harness();
    fake.aliases.set('tune-stable', '1');
    fake.aliases.set(`tune-${'0'.repeat(16)}-512`, '1'); // looks like ours, points at the user's version
    await tuner.run({});
    expect([...fake.aliases.keys()]).toEqual(['live', 'tune-stable', `tune-${'0'.repeat(16)}-512`]);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
  });

  test('leftovers of a stopped run are removed by the next run, and its memory restored from the run\'s mark', async () => {
    const { fake, tuner } = harness();
    const release = hold(fake); // the first run is measuring
    const stuck = tuner.start({ powerValues: [256, 2048] });
    await untilInvoked(fake);
    // stopped between publishing and its cleanup: its versions and aliases stay behind
    await tuner.sfn.send(new t.sdk.StopExecutionCommand({ executionArn: stuck.arn }));
    expect(fake.tunerAliases()).toHaveLength(2);
    // and $LATEST as a run left it mid-publish
    const runId = t.runIdOf(stuck.arn);
    fake.memory = 2048;
    fake.description = `Shop function [power-tuning ${runId} 2048MB of 512MB #1]`;

    fake.beforeInvoke = undefined;
    release(); // its in-flight invocation ends; the stopped execution goes no further
    const next = await tuner.run({ powerValues: [512] });
    expect(next.output.functionConfiguration).toMatchObject({ restored: true, memoryMb: 512 });
    expect(fake.tunerAliases()).toEqual([]);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
    expect([fake.memory, fake.description]).toEqual([512, 'Shop function']);
  });
});

describe('on deploy', () => {
  const cfnEvent = (RequestType: string, token: string, oldToken?: string) => ({
    RequestType,
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Shop/1',
    RequestId: `req-${RequestType}-${token}`,
    LogicalResourceId: 'Trigger',
    ResourceType: 'Custom::PowerTuningOnDeploy',
    ServiceToken: 'arn',
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'Trigger-power-tuning-on-deploy' }),
    ResourceProperties: { ServiceToken: 'arn', StateMachineArn: SM_ARN, DeployToken: token, CleanerFunctionName: 'Cleaner' },
    ...(oldToken ? { OldResourceProperties: { ServiceToken: 'arn', StateMachineArn: SM_ARN, DeployToken: oldToken } } : {}),
  });
  const starter = (tuner: InterpretedTuner, fake: FakeLambda) => {
    const responses: any[] = [];
    const cleanerCalls: any[] = [];
    const lambdaApi = {
      send: async (command: any) => {
        const payload = JSON.parse(new TextDecoder().decode(command.input.Payload));
        cleanerCalls.push(payload);
        const result = await t.createCleaner({ lambda: fake.client, functionName: 'shop-Fn', sleep: async () => undefined })(payload);
        return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(result)) };
      },
    };
    const start = t.createStarter({ sfn: tuner.sfn, lambda: lambdaApi, respond: async (_u: string, r: unknown) => void responses.push(r) });
    return { start, responses, cleanerCalls };
  };

  test('a deployment\'s run waits after deploy; a run started by hand does not', async () => {
    const { tuner } = harness(undefined, onDeployDefinition);
    const byHand = await tuner.run({});
    expect(byHand.states).not.toContain('WaitAfterDeploy');
    expect(byHand.output.recommendation).toBeDefined();
    const byDeploy = await tuner.run({ onDeploy: true });
    expect(byDeploy.states.slice(0, 3)).toEqual(['StartedByDeploy', 'WaitAfterDeploy', 'Defaults']);
    expect(byDeploy.output.recommendation).toBeDefined();
  });

  test('a retried or repeated create starts one execution; a rollback and an unchanged update start none', async () => {
    const { fake, tuner } = harness(undefined, onDeployDefinition);
    const { start, responses } = starter(tuner, fake);
    await start(cfnEvent('Create', '3'));
    await start(cfnEvent('Create', '3')); // Lambda retried the asynchronous invocation
    expect(tuner.executions.size).toBe(1);
    const [execution] = tuner.executions.values();
    expect(responses.map((r) => [r.Status, r.Data.ExecutionArn])).toEqual([
      ['SUCCESS', execution.arn],
      ['SUCCESS', execution.arn],
    ]);
    expect((await execution.outcome)?.output.recommendation).toBeDefined();

    await start(cfnEvent('Update', '4', '3')); // a deployment that changed the function
    expect(tuner.executions.size).toBe(2);
    await start(cfnEvent('Update', '3', '4')); // its rollback
    await start(cfnEvent('Update', '4', '4')); // a change that left the function alone
    expect(tuner.executions.size).toBe(2);
    expect(responses.slice(3).map((r) => [r.Status, r.Data.Skipped])).toEqual([
      ['SUCCESS', expect.stringMatching(/rollback/)],
      ['SUCCESS', 'the function did not change'],
    ]);
    await Promise.all([...tuner.executions.values()].map((e) => e.outcome));
  });

  test('stack delete stops the running execution and removes what it made', async () => {
    const { fake, tuner } = harness(undefined, onDeployDefinition);
    const { start, responses, cleanerCalls } = starter(tuner, fake);
    const release = hold(fake); // the run is measuring when the stack goes
    await start(cfnEvent('Create', '3'));
    const [execution] = tuner.executions.values();
    await untilInvoked(fake);
    expect(fake.tunerAliases()).toHaveLength(4);

    await start(cfnEvent('Delete', '3'));
    release();
    expect(execution.status).toBe('ABORTED');
    expect(cleanerCalls).toEqual([{ sweep: { keepRunIds: [] } }]);
    expect(responses[1]).toMatchObject({ Status: 'SUCCESS', Data: { Stopped: execution.arn } });
    expect(fake.tunerAliases()).toEqual([]);
    expect(fake.versions.map((v) => v.version)).toEqual(['1']);
    expect(fake.memory).toBe(512);
  });
});
