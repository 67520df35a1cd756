import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { cleanRuns } from './cleaner';
import { LambdaSender, realSleep, Sleep, waitForUpdate } from './function-config';
import { aliasName, PowerTarget, RunExecution, runIdOf, TuningPlan, unmarkedDescription } from './plan';
import { DEFAULT_TUNING_CONFIG, resolveTuningConfig, TuningConfig } from '../../contract/tuning-input';

export interface InitializerDeps {
  readonly lambda: LambdaSender;
  readonly sfn: Pick<SFNClient, 'send'>;
  /** Name (or ARN) of the one function this tuner may touch. */
  readonly functionName: string;
  readonly sleep?: Sleep;
}

/** The state machine passes the execution input, the construct's defaults and the execution's identity. */
export interface InitializerEvent {
  readonly input?: unknown;
  readonly defaults?: TuningConfig;
  readonly execution?: RunExecution;
}

/** Another execution of this state machine is running: two runs would fight over $LATEST. */
export class RunInProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunInProgressError';
  }
}

/**
 * Checks the input, fails fast when another execution of this state machine is running,
 * removes what stopped or timed-out runs left behind, and reads the function as it is at
 * the start of this run: the memory the run gives back at its end. It changes nothing
 * itself; the publish steps do, one state machine iteration at a time.
 */
export function createInitializer(deps: InitializerDeps): (event: InitializerEvent) => Promise<TuningPlan> {
  const sleep = deps.sleep ?? realSleep;
  const fn = deps.functionName;
  return async (event) => {
    const config = resolveTuningConfig(event?.input, event?.defaults ?? DEFAULT_TUNING_CONFIG);
    const execution = event?.execution;
    if (!execution?.executionArn || !execution.stateMachineArn) {
      throw new Error('The initializer needs execution: { executionArn, stateMachineArn } from the state machine context.');
    }
    const running = await runningExecutions(deps.sfn, execution.stateMachineArn);
    const others = running.filter((arn) => arn !== execution.executionArn);
    if (others.length > 0) {
      throw new RunInProgressError(
        `Another tuning execution of this state machine is running (${others.join(', ')}); two runs would change the same function. Wait for it to end or stop it, then start this run again.`,
      );
    }
    const runId = runIdOf(execution.executionArn);
    // Nothing else runs now, so every other run's alias, version or mark is a leftover.
    const keepRunIds = running.map(runIdOf);
    const swept = await cleanRuns({ lambda: deps.lambda, functionName: fn, sleep }, (id) => !keepRunIds.includes(id));

    const current = await waitForUpdate(deps.lambda, fn, sleep);
    const count = config.onlyColdStarts ? config.num : 1;
    const targets: PowerTarget[] = config.powerValues.map((powerMb) => ({
      powerMb,
      aliases: Array.from({ length: count }, (_, i) => aliasName(runId, powerMb, config.onlyColdStarts ? i : undefined)),
    }));
    return {
      runId,
      config,
      function: {
        name: fn,
        region: regionOf(current.FunctionArn),
        architecture: current.Architectures?.[0] ?? 'x86_64',
        timeoutMs: (current.Timeout ?? 3) * 1000,
        originalMemoryMb: current.MemorySize ?? 128,
        originalDescription: unmarkedDescription(current.Description ?? ''),
      },
      targets,
      leftoversRemoved: { aliases: swept.deletedAliases, versions: swept.deletedVersions, restoredMemory: swept.restoredConfiguration },
    };
  };
}

/** ARNs of this state machine's RUNNING executions (the caller's own among them). */
export async function runningExecutions(sfn: Pick<SFNClient, 'send'>, stateMachineArn: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', nextToken }));
    for (const e of page.executions ?? []) if (e.executionArn) arns.push(e.executionArn);
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

function regionOf(functionArn: string | undefined): string {
  const region = functionArn?.split(':')[3];
  return region || process.env.AWS_REGION || 'us-east-1';
}
