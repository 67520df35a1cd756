import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { runningExecutions } from './initializer';
import { STARTER_PROPERTIES } from '../../contract/tuner-env';
import { ON_DEPLOY_INPUT } from '../../contract/tuning-input';

/** What CloudFormation expects at the pre-signed ResponseURL. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export type Respond = (responseUrl: string, response: CfnResponse) => Promise<void>;

export interface StarterDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  /** Invokes the cleaner function on stack delete. */
  readonly lambda: Pick<LambdaClient, 'send'>;
  readonly respond?: Respond;
}

/**
 * The run-on-deploy custom resource. A create, or an update that moves the deploy token
 * forward, starts one tuning execution with a name derived from the stack, the resource
 * and the token, so a retried or repeated request finds its execution already started
 * instead of starting another. An update that moves the token back is a rollback and
 * starts nothing; so does one that leaves it. A delete stops the running executions and
 * has the cleaner remove what they made. It answers at once either way: the deployment
 * never waits for the tuning, and a delete never fails the stack.
 */
export function createStarter(deps: StarterDeps): (event: CloudFormationCustomResourceEvent) => Promise<CfnResponse> {
  const respond = deps.respond ?? putResponse;
  return async (event) => {
    const physicalId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.LogicalResourceId}-power-tuning-on-deploy`;
    const base = { PhysicalResourceId: physicalId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
    let response: CfnResponse;
    if (event.RequestType === 'Delete') {
      response = { ...base, Status: 'SUCCESS', Data: { Stopped: (await stopAndClean(deps, event.ResourceProperties)).join(',') } };
    } else {
      try {
        response = { ...base, Status: 'SUCCESS', Data: await startOnce(deps, event) };
      } catch (err) {
        // A deployment that asked for a tuning run and did not get one should say so.
        response = { ...base, Status: 'FAILED', Reason: `Could not start the power-tuning execution: ${(err as Error).message}` };
      }
    }
    await respond(event.ResponseURL, response);
    return response;
  };
}

async function startOnce(deps: StarterDeps, event: Exclude<CloudFormationCustomResourceEvent, { RequestType: 'Delete' }>): Promise<Record<string, string>> {
  const props = event.ResourceProperties;
  const stateMachineArn = props[STARTER_PROPERTIES.stateMachineArn];
  if (!stateMachineArn) throw new Error(`the ${STARTER_PROPERTIES.stateMachineArn} property is missing`);
  const token = String(props[STARTER_PROPERTIES.deployToken] ?? '');
  if (event.RequestType === 'Update') {
    const before = String(event.OldResourceProperties?.[STARTER_PROPERTIES.deployToken] ?? '');
    const skip = skipReason(before, token);
    if (skip) {
      log({ message: 'no power-tuning execution started', reason: skip, before, after: token });
      return { Skipped: skip };
    }
  }
  const name = executionName(event.StackId, event.LogicalResourceId, token);
  // The flag makes the execution wait (tuneOnDeployDelay) before it touches the function.
  const input = JSON.stringify({ [ON_DEPLOY_INPUT]: true });
  try {
    const started = await deps.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    log({ message: 'started a power-tuning execution', executionArn: started.executionArn });
    return { ExecutionArn: started.executionArn ?? '' };
  } catch (err) {
    // This deployment's execution was started by an earlier attempt of the same request.
    if ((err as Error).name !== 'ExecutionAlreadyExists') throw err;
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    log({ message: 'the power-tuning execution of this deployment was already started', executionArn });
    return { ExecutionArn: executionArn };
  }
}

/** Why an update starts no run: a rollback moves the token back, an unrelated change leaves it. */
export function skipReason(before: string, after: string): string | undefined {
  if (before === after) return 'the function did not change';
  const [b, a] = [Number(before), Number(after)];
  if (Number.isInteger(b) && Number.isInteger(a) && a < b) return 'a rollback: the function went back to an earlier version';
  return undefined;
}

/** One name per stack, resource and deployment (Step Functions allows 80 characters). */
export function executionName(stackId: string, logicalId: string, token: string): string {
  return `deploy-${createHash('sha256').update(`${stackId}|${logicalId}|${token}`).digest('hex').slice(0, 40)}`;
}

/** Stops every running execution, then has the cleaner sweep what they made. Never throws: the stack must delete. */
async function stopAndClean(deps: StarterDeps, props: Record<string, unknown>): Promise<string[]> {
  const stateMachineArn = String(props[STARTER_PROPERTIES.stateMachineArn] ?? '');
  const cleaner = String(props[STARTER_PROPERTIES.cleanerFunctionName] ?? '');
  const stopped: string[] = [];
  try {
    for (const executionArn of await runningExecutions(deps.sfn, stateMachineArn)) {
      await deps.sfn.send(new StopExecutionCommand({ executionArn, error: 'PowerTuning.Deleted', cause: 'The tuner is being deleted with its stack.' }));
      stopped.push(executionArn);
    }
    if (cleaner) {
      const out = await deps.lambda.send(
        new InvokeCommand({ FunctionName: cleaner, Payload: new TextEncoder().encode(JSON.stringify({ sweep: { keepRunIds: [] } })) }),
      );
      const result = new TextDecoder().decode(out.Payload ?? new Uint8Array());
      if (out.FunctionError) throw new Error(`the cleaner failed: ${result}`);
      log({ message: 'stopped the power-tuning executions and removed their versions and aliases', stopped, result });
    }
  } catch (err) {
    log({ message: 'stopping or cleaning up the power-tuning executions failed; the next run removes what was left', error: String(err), stopped });
  }
  return stopped;
}

function log(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

/** PUTs the response to CloudFormation's pre-signed S3 URL (https; plain http only for local tests). */
export const putResponse: Respond = (responseUrl, response) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(response);
    const request = (responseUrl.startsWith('http:') ? http : https).request(
      responseUrl,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`CloudFormation answered ${res.statusCode}`))));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
