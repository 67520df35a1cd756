import * as http from 'node:http';
import * as https from 'node:https';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
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
  readonly respond?: Respond;
}

/**
 * The run-on-deploy custom resource. CloudFormation creates or updates it when the
 * function's version changes; it only starts a tuning execution, flagged as started by a
 * deployment so the state machine waits before it changes the function, and answers at
 * once, so the deployment never waits for the tuning. Deleting it does nothing.
 */
export function createStarter(deps: StarterDeps): (event: CloudFormationCustomResourceEvent) => Promise<CfnResponse> {
  const respond = deps.respond ?? putResponse;
  return async (event) => {
    const physicalId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.LogicalResourceId}-power-tuning-on-deploy`;
    const base = { PhysicalResourceId: physicalId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
    let response: CfnResponse;
    if (event.RequestType === 'Delete') {
      response = { ...base, Status: 'SUCCESS' };
    } else {
      try {
        const stateMachineArn = event.ResourceProperties.StateMachineArn;
        if (!stateMachineArn) throw new Error('the StateMachineArn property is missing');
        // The flag makes the execution wait (tuneOnDeployDelay) before it touches the function.
        const input = JSON.stringify({ [ON_DEPLOY_INPUT]: true });
        const started = await deps.sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
        console.log(JSON.stringify({ message: 'started a power-tuning execution', executionArn: started.executionArn }));
        response = { ...base, Status: 'SUCCESS', Data: { ExecutionArn: started.executionArn ?? '' } };
      } catch (err) {
        // A deployment that asked for a tuning run and did not get one should say so.
        response = { ...base, Status: 'FAILED', Reason: `Could not start the power-tuning execution: ${(err as Error).message}` };
      }
    }
    await respond(event.ResponseURL, response);
    return response;
  };
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
