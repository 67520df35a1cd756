import { CreateAliasCommand, PublishVersionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { LambdaSender, realSleep, setConfiguration, Sleep, waitForUpdate } from './function-config';
import { aliasName, markedDescription, PowerTarget, TuningPlan, unmarkedDescription, VERSION_DESCRIPTION } from './plan';
import { DEFAULT_TUNING_CONFIG, resolveTuningConfig, TuningConfig } from '../../contract/tuning-input';

export interface InitializerDeps {
  readonly lambda: LambdaSender;
  /** Name (or ARN) of the one function this tuner may touch. */
  readonly functionName: string;
  /**
   * The memory CloudFormation deployed. $LATEST gets it back after the run, also when an
   * interrupted run left it at a power value; without it, the memory found at the start.
   */
  readonly deployedMemoryMb?: number;
  readonly sleep?: Sleep;
}

/** The state machine passes the execution input and the construct's defaults. */
export interface InitializerEvent {
  readonly input?: unknown;
  readonly defaults?: TuningConfig;
}

/**
 * For each power value: set $LATEST's memory, publish a version, and point the value's
 * alias at it (with `onlyColdStarts`, `num` versions and aliases per value, so every
 * invocation is the first of its version). $LATEST gets its memory (the deployed one when
 * known) and description back afterwards, also when a step fails.
 */
export function createInitializer(deps: InitializerDeps): (event: InitializerEvent) => Promise<TuningPlan> {
  const sleep = deps.sleep ?? realSleep;
  const fn = deps.functionName;
  return async (event) => {
    const config = resolveTuningConfig(event?.input, event?.defaults ?? DEFAULT_TUNING_CONFIG);
    const current = await waitForUpdate(deps.lambda, fn, sleep);
    const originalMemoryMb = deps.deployedMemoryMb ?? current.MemorySize ?? 128;
    // A mark left by an interrupted run is not part of the user's description.
    const originalDescription = unmarkedDescription(current.Description ?? '');
    const targets: PowerTarget[] = [];
    let failure: unknown;
    try {
      for (const powerMb of config.powerValues) {
        const count = config.onlyColdStarts ? config.num : 1;
        const aliases: string[] = [];
        for (let i = 0; i < count; i++) {
          const description = config.onlyColdStarts ? markedDescription(originalDescription, powerMb, i) : originalDescription;
          await setConfiguration(deps.lambda, fn, powerMb, description, sleep);
          const published = await deps.lambda.send(new PublishVersionCommand({ FunctionName: fn, Description: VERSION_DESCRIPTION }));
          if (!published.Version) throw new Error(`PublishVersion for ${powerMb} MB returned no version.`);
          const alias = aliasName(powerMb, config.onlyColdStarts ? i : undefined);
          await pointAlias(deps.lambda, fn, alias, published.Version);
          aliases.push(alias);
        }
        targets.push({ powerMb, aliases });
      }
    } catch (err) {
      failure = err;
    }
    try {
      await setConfiguration(deps.lambda, fn, originalMemoryMb, originalDescription, sleep);
    } catch (restoreError) {
      // The first failure is the one to report; the cleaner restores again.
      console.error(JSON.stringify({ message: 'restoring the function configuration failed', error: String(restoreError) }));
      failure ??= restoreError;
    }
    if (failure) throw failure;
    return {
      config,
      function: {
        name: fn,
        region: regionOf(current.FunctionArn),
        architecture: current.Architectures?.[0] ?? 'x86_64',
        timeoutMs: (current.Timeout ?? 3) * 1000,
        originalMemoryMb,
      },
      targets,
    };
  };
}

async function pointAlias(lambda: LambdaSender, functionName: string, name: string, version: string): Promise<void> {
  try {
    await lambda.send(new CreateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
  } catch (err) {
    // Left over from an interrupted run: repoint it.
    if ((err as Error).name !== 'ResourceConflictException') throw err;
    await lambda.send(new UpdateAliasCommand({ FunctionName: functionName, Name: name, FunctionVersion: version }));
  }
}

function regionOf(functionArn: string | undefined): string {
  const region = functionArn?.split(':')[3];
  return region || process.env.AWS_REGION || 'us-east-1';
}
