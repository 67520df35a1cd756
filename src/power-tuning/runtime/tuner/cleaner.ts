import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { LambdaSender, realSleep, setConfiguration, Sleep } from './function-config';
import { ALIAS_PREFIX, unmarkedDescription, VERSION_DESCRIPTION } from './plan';

export interface CleanerDeps {
  readonly lambda: LambdaSender;
  readonly functionName: string;
  /** The memory CloudFormation deployed; $LATEST gets it back if a run left another one. */
  readonly deployedMemoryMb?: number;
  readonly sleep?: Sleep;
}

export interface CleanupResult {
  readonly deletedAliases: string[];
  readonly deletedVersions: string[];
  readonly restoredConfiguration: boolean;
}

/**
 * Deletes every alias and version the tuner made, found by their name prefix and
 * description rather than from the plan, so a run that failed halfway (no plan) is
 * cleaned up too. Restores $LATEST's memory and description if a run left them changed.
 * Tries everything, then throws one error listing what could not be cleaned.
 */
export function createCleaner(deps: CleanerDeps): (event?: unknown) => Promise<CleanupResult> {
  const { lambda, functionName } = deps;
  const sleep = deps.sleep ?? realSleep;
  return async () => {
    const problems: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
      try {
        await action();
        return true;
      } catch (err) {
        if ((err as Error).name === 'ResourceNotFoundException') return true;
        problems.push(`${what}: ${(err as Error).name}: ${(err as Error).message}`);
        return false;
      }
    };

    const deletedAliases: string[] = [];
    for (const alias of await listAliases(lambda, functionName)) {
      if (!alias.startsWith(ALIAS_PREFIX)) continue;
      if (await attempt(`delete alias ${alias}`, () => lambda.send(new DeleteAliasCommand({ FunctionName: functionName, Name: alias })))) {
        deletedAliases.push(alias);
      }
    }

    const deletedVersions: string[] = [];
    for (const version of await listTunerVersions(lambda, functionName)) {
      const deleted = await attempt(`delete version ${version}`, () =>
        lambda.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version })),
      );
      if (deleted) deletedVersions.push(version);
    }

    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const description = current.Description ?? '';
    const memoryDrifted = deps.deployedMemoryMb !== undefined && current.MemorySize !== deps.deployedMemoryMb;
    const restoredConfiguration =
      (memoryDrifted || unmarkedDescription(description) !== description) &&
      (await attempt('restore the function configuration', () =>
        setConfiguration(lambda, functionName, memoryDrifted ? deps.deployedMemoryMb! : current.MemorySize!, unmarkedDescription(description), sleep),
      ));

    if (problems.length > 0) {
      const error = new Error(`Cleanup of ${functionName} was incomplete: ${problems.join('; ')}`);
      error.name = 'PowerTuningCleanupError';
      throw error;
    }
    return { deletedAliases, deletedVersions, restoredConfiguration };
  };
}

async function listAliases(lambda: LambdaSender, functionName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: functionName, Marker: marker }));
    names.push(...(page.Aliases ?? []).map((a) => a.Name ?? '').filter(Boolean));
    marker = page.NextMarker;
  } while (marker);
  return names;
}

async function listTunerVersions(lambda: LambdaSender, functionName: string): Promise<string[]> {
  const versions: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
    for (const v of page.Versions ?? []) {
      if (v.Version && v.Version !== '$LATEST' && v.Description === VERSION_DESCRIPTION) versions.push(v.Version);
    }
    marker = page.NextMarker;
  } while (marker);
  return versions;
}
