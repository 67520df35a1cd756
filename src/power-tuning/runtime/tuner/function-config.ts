import {
  GetFunctionConfigurationCommand,
  GetFunctionConfigurationCommandOutput,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';

/** Anything with the SDK client's `send`: a LambdaClient, or a mocked one in tests. */
export type LambdaSender = Pick<LambdaClient, 'send'>;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait for a configuration update, or a new version, before giving up. */
const UPDATE_WAIT_ATTEMPTS = 120;
const VERSION_WAIT_ATTEMPTS = 180;
const WAIT_INTERVAL_MS = 1000;

/**
 * The function is not as this run left it: someone (usually a deployment) changed it
 * during the run. The run stops touching it and says so.
 */
export class FunctionChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionChangedError';
  }
}

/**
 * Waits until the function is no longer being updated: Lambda rejects a second update,
 * and publishes the old configuration, while one is in progress.
 */
export async function waitForUpdate(lambda: LambdaSender, functionName: string, sleep: Sleep): Promise<GetFunctionConfigurationCommandOutput> {
  for (let attempt = 0; attempt < UPDATE_WAIT_ATTEMPTS; attempt++) {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (config.LastUpdateStatus === 'Failed') {
      throw new Error(`Updating ${functionName} failed: ${config.LastUpdateStatusReason ?? 'no reason given'}`);
    }
    if (config.LastUpdateStatus !== 'InProgress' && config.State !== 'Pending') return config;
    await sleep(WAIT_INTERVAL_MS);
  }
  throw new Error(`${functionName} was still being updated after ${(UPDATE_WAIT_ATTEMPTS * WAIT_INTERVAL_MS) / 1000} s.`);
}

/**
 * Waits until a published version is Active. A new version starts Pending (VPC
 * networking, SnapStart) and cannot be invoked until then; invoking it early would fail
 * the power value for a reason that has nothing to do with its memory.
 */
export async function waitForVersionActive(lambda: LambdaSender, functionName: string, version: string, sleep: Sleep): Promise<void> {
  for (let attempt = 0; attempt < VERSION_WAIT_ATTEMPTS; attempt++) {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }));
    if (config.State === 'Active') return;
    if (config.State === 'Failed' || config.State === 'Inactive') {
      throw new Error(`Version ${version} of ${functionName} is ${config.State}: ${config.StateReason ?? 'no reason given'}`);
    }
    await sleep(WAIT_INTERVAL_MS);
  }
  throw new Error(`Version ${version} of ${functionName} was still not Active after ${(VERSION_WAIT_ATTEMPTS * WAIT_INTERVAL_MS) / 1000} s.`);
}

/**
 * Sets $LATEST's memory and description, only if the function is still at `revisionId`
 * (so a deployment between our read and this write is never overwritten), and waits for
 * the update to finish.
 */
export async function setConfiguration(
  lambda: LambdaSender,
  functionName: string,
  change: { readonly memoryMb: number; readonly description: string; readonly revisionId?: string },
  sleep: Sleep,
): Promise<GetFunctionConfigurationCommandOutput> {
  try {
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        MemorySize: change.memoryMb,
        Description: change.description,
        RevisionId: change.revisionId,
      }),
    );
  } catch (err) {
    if ((err as Error).name === 'PreconditionFailedException') {
      throw new FunctionChangedError(`${functionName} changed while the tuner was about to update it (${(err as Error).message}).`);
    }
    throw err;
  }
  return waitForUpdate(lambda, functionName, sleep);
}

/** True when the error says the resource is already gone: deleting it again is done. */
export function isNotFound(err: unknown): boolean {
  return (err as Error)?.name === 'ResourceNotFoundException';
}
