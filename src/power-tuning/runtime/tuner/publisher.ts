import { CreateAliasCommand, GetFunctionConfigurationCommand, PublishVersionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { FunctionChangedError, LambdaSender, realSleep, setConfiguration, Sleep, waitForVersionActive } from './function-config';
import { markedDescription, publishSteps, PublishStep, readMark, TuningPlan, versionDescription } from './plan';
import { MAX_VERSIONS_PER_PUBLISH_CALL } from '../../contract/analyzer';

export interface PublisherDeps {
  readonly lambda: LambdaSender;
  readonly sleep?: Sleep;
}

/** One iteration of the state machine's publish loop: the plan, and the first step not yet done. */
export interface PublisherEvent {
  readonly plan: TuningPlan;
  readonly next: number;
}

/** How $LATEST ended the publish phase; part of the execution output. */
export interface FunctionConfigurationReport {
  /** $LATEST has the memory it had when the run started. */
  readonly restored: boolean;
  readonly memoryMb: number;
  /** Someone changed the function during the run, so the tuner left its configuration alone. */
  readonly changedDuringRun: boolean;
  readonly message: string;
}

export interface PublisherResult {
  readonly next: number;
  readonly done: boolean;
  /** With the last step: merged into the execution output. */
  readonly report?: { readonly functionConfiguration: FunctionConfigurationReport };
}

/** At most this many steps (one version each) per call, so a call stays short and the loop's history small. */
export const MAX_STEPS_PER_CALL = MAX_VERSIONS_PER_PUBLISH_CALL;
/** A step (update, publish, wait for Active) gets at least this much of the call's remaining time. */
const STEP_BUDGET_MS = 5 * 60 * 1000;

/**
 * Publishes the plan's versions from step `next` on, as many as fit in this call: for each,
 * it sets $LATEST's memory and a description marked with the run, publishes a version
 * tagged with the run, waits until the version is Active and points the run's alias at it.
 * Every write is conditional on the revision it read, and before each step $LATEST must be
 * as the run left it; otherwise the function changed during the run and the run fails
 * with FunctionChangedError without touching it again. After the last step $LATEST gets
 * back the memory and description it had when the run started.
 */
export function createPublisher(deps: PublisherDeps): (event: PublisherEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<PublisherResult> {
  const sleep = deps.sleep ?? realSleep;
  return async (event, context) => {
    if (!event?.plan?.targets || !Number.isInteger(event.next)) {
      throw new Error(`The publisher needs { plan, next } from the state machine (got keys ${Object.keys(event ?? {}).join(', ')}).`);
    }
    const { plan } = event;
    const steps = publishSteps(plan);
    let next = event.next;
    let doneHere = 0;
    while (next < steps.length && doneHere < MAX_STEPS_PER_CALL) {
      const remaining = context?.getRemainingTimeInMillis?.();
      if (doneHere > 0 && remaining !== undefined && remaining < STEP_BUDGET_MS) break;
      await publishStep(deps.lambda, plan, steps[next], next, sleep);
      next++;
      doneHere++;
    }
    if (next < steps.length) return { next, done: false };
    return { next, done: true, report: { functionConfiguration: await restore(deps.lambda, plan, sleep) } };
  };
}

async function publishStep(lambda: LambdaSender, plan: TuningPlan, step: PublishStep, index: number, sleep: Sleep): Promise<void> {
  const fn = plan.function.name;
  const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
  const asAtStart = current.MemorySize === plan.function.originalMemoryMb && (current.Description ?? '') === plan.function.originalDescription;
  const problem = index === 0 && asAtStart ? undefined : leftByRun(plan, current.MemorySize, current.Description);
  if (problem) throw new FunctionChangedError(`${fn} changed during the run: ${problem}. The tuner no longer changes it; start a new run.`);

  const description = markedDescription(plan.function.originalDescription, {
    runId: plan.runId,
    powerMb: step.powerMb,
    originalMemoryMb: plan.function.originalMemoryMb,
    index,
  });
  const updated = await setConfiguration(lambda, fn, { memoryMb: step.powerMb, description, revisionId: current.RevisionId }, sleep);
  let published;
  try {
    published = await lambda.send(
      new PublishVersionCommand({ FunctionName: fn, Description: versionDescription(plan.runId), RevisionId: updated.RevisionId }),
    );
  } catch (err) {
    if ((err as Error).name === 'PreconditionFailedException') {
      throw new FunctionChangedError(`${fn} changed between the tuner's update and its publish of ${step.powerMb} MB.`);
    }
    throw err;
  }
  if (!published.Version) throw new Error(`PublishVersion for ${step.powerMb} MB returned no version.`);
  if (published.MemorySize !== undefined && published.MemorySize !== step.powerMb) {
    throw new FunctionChangedError(`${fn} version ${published.Version} has ${published.MemorySize} MB, not the ${step.powerMb} MB the tuner set.`);
  }
  await waitForVersionActive(lambda, fn, published.Version, sleep);
  await pointAlias(lambda, fn, step.alias, published.Version);
}

/**
 * Why $LATEST is not as this run left it (its mark, and the memory the mark names), or
 * undefined when it is. A retried step may find its own update already applied: also ours.
 */
function leftByRun(plan: TuningPlan, memoryMb: number | undefined, description: string | undefined): string | undefined {
  const mark = readMark(description);
  if (mark?.runId === plan.runId && memoryMb === mark.powerMb) return undefined;
  return `it has ${memoryMb} MB and description "${description ?? ''}", not the memory and mark this run set`;
}

async function restore(lambda: LambdaSender, plan: TuningPlan, sleep: Sleep): Promise<FunctionConfigurationReport> {
  const fn = plan.function.name;
  const original = plan.function.originalMemoryMb;
  const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
  const problem = leftByRun(plan, current.MemorySize, current.Description);
  const changed = (why: string): FunctionConfigurationReport => ({
    restored: false,
    memoryMb: current.MemorySize ?? original,
    changedDuringRun: true,
    message: `${fn} changed during the run (${why}), so the tuner left its configuration as it is. The measured versions were published before the change.`,
  });
  const restoredReport: FunctionConfigurationReport = {
    restored: true,
    memoryMb: original,
    changedDuringRun: false,
    message: `${fn} has its ${original} MB from the start of the run again.`,
  };
  // A retried call finds its own restore done.
  if (current.MemorySize === original && (current.Description ?? '') === plan.function.originalDescription) return restoredReport;
  if (problem) return changed(problem);
  try {
    await setConfiguration(lambda, fn, { memoryMb: original, description: plan.function.originalDescription, revisionId: current.RevisionId }, sleep);
  } catch (err) {
    if (err instanceof FunctionChangedError) return changed('it was updated while the tuner restored it');
    throw err;
  }
  return restoredReport;
}

async function pointAlias(lambda: LambdaSender, functionName: string, name: string, version: string): Promise<void> {
  try {
    await lambda.send(new CreateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
  } catch (err) {
    // The name is this run's: the step was retried after the alias was made.
    if ((err as Error).name !== 'ResourceConflictException') throw err;
    await lambda.send(new UpdateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
  }
}
