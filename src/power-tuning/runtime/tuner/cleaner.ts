import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { FunctionChangedError, isNotFound, LambdaSender, realSleep, setConfiguration, Sleep } from './function-config';
import { readMark, runIdOf, runOfAlias, runOfVersion, unmarkedDescription } from './plan';

export interface CleanerDeps {
  readonly lambda: LambdaSender;
  readonly functionName: string;
  readonly sleep?: Sleep;
}

/**
 * What to clean: one run (`executionArn`, the state machine's own cleanup), or every run
 * except those still running (`sweep`: leftovers of runs that were stopped or timed out).
 */
export interface CleanerEvent {
  readonly executionArn?: string;
  readonly sweep?: { readonly keepRunIds: string[] };
}

export interface CleanupResult {
  readonly deletedAliases: string[];
  readonly deletedVersions: string[];
  /** $LATEST got the memory back that the run found at its start. */
  readonly restoredConfiguration: boolean;
}

/**
 * Deletes the aliases and versions of the runs `event` names, found by their run id
 * (alias name and version description), so a run that failed halfway (no plan) is cleaned
 * too and nothing of another run or of the user is ever touched. An alias goes only when
 * it points at a version of the same run. When $LATEST still carries such a run's mark and
 * still has the memory that run set, it gets the memory back that run found at its start;
 * if its memory changed since, only the mark is removed. Tries everything, then throws one
 * error listing what could not be cleaned.
 */
export function createCleaner(deps: CleanerDeps): (event?: CleanerEvent) => Promise<CleanupResult> {
  return async (event) => {
    let belongs: (runId: string) => boolean;
    if (event?.executionArn) {
      const own = runIdOf(event.executionArn);
      belongs = (runId) => runId === own;
    } else if (Array.isArray(event?.sweep?.keepRunIds)) {
      const keep = new Set(event.sweep.keepRunIds);
      belongs = (runId) => !keep.has(runId);
    } else {
      throw new Error(`The cleaner needs { executionArn } or { sweep: { keepRunIds } } (got keys ${Object.keys(event ?? {}).join(', ')}).`);
    }
    return cleanRuns(deps, belongs);
  };
}

export async function cleanRuns(deps: CleanerDeps, belongs: (runId: string) => boolean): Promise<CleanupResult> {
  const { lambda, functionName } = deps;
  const sleep = deps.sleep ?? realSleep;
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      problems.push(`${what}: ${(err as Error).name}: ${(err as Error).message}`);
      return false;
    }
  };

  const versions = new Map<string, string>();
  for (const v of await listVersions(lambda, functionName)) {
    const runId = runOfVersion(v.description);
    if (runId && belongs(runId)) versions.set(v.version, runId);
  }

  const deletedAliases: string[] = [];
  for (const alias of await listAliases(lambda, functionName)) {
    const runId = runOfAlias(alias.name);
    // A user's alias that merely looks like ours points at a version that is not ours.
    if (!runId || !belongs(runId) || versions.get(alias.version) !== runId) continue;
    if (await attempt(`delete alias ${alias.name}`, () => lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: alias.name })))) {
      deletedAliases.push(alias.name);
    }
  }

  const deletedVersions: string[] = [];
  for (const version of versions.keys()) {
    const deleted = await attempt(`delete version ${version}`, () =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })),
    );
    if (deleted) deletedVersions.push(version);
  }

  let restoredConfiguration = false;
  const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const mark = readMark(current.Description);
  if (mark && belongs(mark.runId)) {
    const memoryIsOurs = current.MemorySize === mark.powerMb;
    await attempt('restore the function configuration', async () => {
      try {
        await setConfiguration(lambda, functionName, {
          // Someone changed the memory after the run set it: theirs stays.
          memoryMb: memoryIsOurs ? mark.originalMemoryMb : current.MemorySize!,
          description: unmarkedDescription(current.Description ?? ''),
          revisionId: current.RevisionId,
        }, sleep);
        restoredConfiguration = memoryIsOurs;
      } catch (err) {
        // Changed between our read and our write: the newer configuration wins.
        if (!(err instanceof FunctionChangedError)) throw err;
      }
    });
  }

  if (problems.length > 0) {
    const error = new Error(`Cleanup of ${functionName} was incomplete: ${problems.join('; ')}`);
    error.name = 'PowerTuningCleanupError';
    throw error;
  }
  return { deletedAliases, deletedVersions, restoredConfiguration };
}

async function listAliases(lambda: LambdaSender, functionName: string): Promise<{ name: string; version: string }[]> {
  const aliases: { name: string; version: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker }));
    for (const a of page.Aliases ?? []) if (a.Name) aliases.push({ name: a.Name, version: a.FunctionVersion ?? '' });
    marker = page.NextMarker;
  } while (marker);
  return aliases;
}

async function listVersions(lambda: LambdaSender, functionName: string): Promise<{ version: string; description?: string }[]> {
  const versions: { version: string; description?: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
    for (const v of page.Versions ?? []) {
      if (v.Version && v.Version !== '$LATEST') versions.push({ version: v.Version, description: v.Description });
    }
    marker = page.NextMarker;
  } while (marker);
  return versions;
}
