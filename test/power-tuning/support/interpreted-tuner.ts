import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeLambda, FN } from './fake-lambda';

// The package ships CommonJS for Node, but its type declarations are ESM-only, which a
// CommonJS test file cannot import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions');

/**
 * Runs the state machine definition CDK synthesized in aws-local-stepfunctions, with each
 * Task state calling the bundled tuner asset's core (assets/tuner) on a FakeLambda, a
 * fake Step Functions API (ListExecutions, StartExecution, StopExecution: the executions
 * this harness runs) and a mocked SSM client.
 */
export const SM_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Tuner';
const noSleep = async () => undefined;

/** The definition of the stack's one state machine, with every token replaced by a plain value. */
export function synthesizedDefinition(stack: Stack): any {
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as any[];
  return JSON.parse(resolve(machine.Properties.DefinitionString));
}

function resolve(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(resolve).join(value['Fn::Join'][0]);
  if (value['Fn::GetAtt']) return `arn:aws:lambda:eu-west-1:123456789012:function:${value['Fn::GetAtt'][0]}`;
  if (value.Ref === 'AWS::Partition') return 'aws';
  if (value.Ref === 'AWS::Region') return 'eu-west-1';
  if (value.Ref === 'AWS::AccountId') return '123456789012';
  throw new Error(`cannot resolve ${JSON.stringify(value)} in the definition`);
}

export interface RunOutcome {
  readonly output?: any;
  readonly error?: { name: string; message: string };
  /** States entered, in order (Map iterations included). */
  readonly states: string[];
  /** States retried, one entry per retry. */
  readonly retries: string[];
}

export class InterpretedTuner {
  readonly machine: any;
  readonly sfn = new SFNClient({ region: 'eu-west-1' });
  readonly ssm = new SSMClient({ region: 'eu-west-1' });
  /** Executions by name: running ones have no outcome yet. */
  readonly executions = new Map<string, { arn: string; outcome?: Promise<RunOutcome>; status: string; abort: () => void }>();
  private counter = 0;

  constructor(readonly t: any, definition: any, readonly fake: FakeLambda) {
    this.machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
    const sfnMock = mockClient(this.sfn);
    sfnMock.on(t.sdk.ListExecutionsCommand).callsFake(async (input: any) => {
      if (input.stateMachineArn !== SM_ARN) throw Object.assign(new Error('no such state machine'), { name: 'StateMachineDoesNotExist' });
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING' && (!input.statusFilter || input.statusFilter === 'RUNNING'));
      return { executions: running.map((e) => ({ executionArn: e.arn, status: e.status })) };
    });
    sfnMock.on(t.sdk.StartExecutionCommand).callsFake(async (input: any) => {
      if (input.name && this.executions.has(input.name)) {
        throw Object.assign(new Error(`Execution Already Exists: ${input.name}`), { name: 'ExecutionAlreadyExists' });
      }
      const started = this.start(JSON.parse(input.input ?? '{}'), input.name);
      return { executionArn: started.arn };
    });
    sfnMock.on(t.sdk.StopExecutionCommand).callsFake(async (input: any) => {
      const e = [...this.executions.values()].find((x) => x.arn === input.executionArn);
      if (e && e.status === 'RUNNING') {
        e.status = 'ABORTED';
        e.abort();
      }
      return {};
    });
    mockClient(this.ssm).on(t.sdk.PutParameterCommand).resolves({ Version: 1 });
  }

  /** The local handler of each Task state: the bundled cores, as the tuner's functions run them. */
  handlers() {
    const { t, fake } = this;
    const lambda = fake.client;
    const context = { getRemainingTimeInMillis: () => 14 * 60 * 1000 };
    const cleaner = (e: any) => t.createCleaner({ lambda, functionName: FN, sleep: noSleep })(e);
    return {
      Initialize: (e: any) => t.createInitializer({ lambda, sfn: this.sfn, functionName: FN, sleep: noSleep })(e),
      PublishVersions: (e: any) => t.createPublisher({ lambda, sleep: noSleep })(e, context),
      // The executor function's task, as it ships: one value per Map iteration, or all values (adaptive).
      ExecutePowerValue: (e: any) => t.createExecutorTask({ lambda, sleep: noSleep })(e, context),
      ExecuteAdaptively: (e: any) => t.createExecutorTask({ lambda, sleep: noSleep })(e, context),
      Cleanup: cleaner,
      CleanupOnError: cleaner,
      Analyze: (e: any) => t.createAnalyzer({ ssm: this.ssm, parameterName: '/shop/tuning' })(e),
    };
  }

  /** Starts an execution; `outcome` settles when it ends. */
  start(input: unknown, name = `run-${++this.counter}`): { arn: string; outcome: Promise<RunOutcome> } {
    const arn = `${SM_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
    const run = this.machine.run(input as any, {
      overrides: {
        taskResourceLocalHandlers: this.handlers(),
        waitTimeOverrides: { WaitAfterDeploy: 0 },
        retryIntervalOverrides: Object.fromEntries(Object.keys(this.handlers()).map((s) => [s, 0])),
      },
      context: { Execution: { Id: arn, Name: name }, StateMachine: { Id: SM_ARN, Name: 'Tuner' } } as any,
      noThrowOnAbort: true,
    });
    const entry: { arn: string; outcome?: Promise<RunOutcome>; status: string; abort: () => void } = { arn, status: 'RUNNING', abort: run.abort };
    this.executions.set(name, entry);
    const states: string[] = [];
    const retries: string[] = [];
    const collect = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') states.push(event.state.name);
        if (event.type === 'StateRetried') retries.push(event.state.name);
      }
    })();
    const outcome: Promise<RunOutcome> = run.result.then(
      async (output: unknown) => {
        await collect;
        if (entry.status === 'RUNNING') entry.status = 'SUCCEEDED';
        return { output, states, retries };
      },
      async (err: any) => {
        await collect.catch(() => undefined);
        entry.status = 'FAILED';
        return { error: { name: err.cause?.name ?? err.name, message: err.cause?.message ?? err.message }, states, retries };
      },
    );
    entry.outcome = outcome;
    return { arn, outcome };
  }

  /** Runs one execution to its end. */
  async run(input: unknown = {}): Promise<RunOutcome> {
    return this.start(input).outcome;
  }
}
