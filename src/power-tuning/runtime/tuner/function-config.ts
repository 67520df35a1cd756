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

/** How long to wait for a configuration update before giving up. */
const UPDATE_WAIT_ATTEMPTS = 120;
const UPDATE_WAIT_INTERVAL_MS = 1000;

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
    await sleep(UPDATE_WAIT_INTERVAL_MS);
  }
  throw new Error(`${functionName} was still being updated after ${(UPDATE_WAIT_ATTEMPTS * UPDATE_WAIT_INTERVAL_MS) / 1000} s.`);
}

/** Sets $LATEST's memory (and description) and waits for the update to finish. */
export async function setConfiguration(
  lambda: LambdaSender,
  functionName: string,
  memoryMb: number,
  description: string,
  sleep: Sleep,
): Promise<void> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, MemorySize: memoryMb, Description: description }));
  await waitForUpdate(lambda, functionName, sleep);
}
