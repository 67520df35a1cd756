import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A fake of the Lambda API for one function, wired into aws-sdk-client-mock: $LATEST's
 * memory, description and revision, published versions (with a Pending state that lasts
 * a number of polls), aliases, and invocations whose REPORT lines come from `behaviour`.
 * It enforces what Lambda enforces and the tuner relies on: RevisionId preconditions,
 * no deleting a version an alias points at, no invoking a Pending version.
 * `sdk` is the bundled asset's own SDK classes (commands are matched by class).
 */
export interface Version {
  version: string;
  memory: number;
  description: string;
  /** Polls left before the version is Active. */
  pendingPolls: number;
  /** $LATEST's description when it was published: Lambda publishes nothing new for an unchanged $LATEST. */
  source?: string;
}

/** What one invocation does. */
export type Outcome =
  | { readonly billedMs: number; readonly initMs?: number }
  | { readonly timeout: true }
  | { readonly error: string; readonly message: string };

export const FN = 'shop-Fn';
export const FN_ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${FN}`;

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

export class FakeLambda {
  memory = 512;
  description = 'Shop function';
  revision = 1;
  versions: Version[] = [{ version: '1', memory: 512, description: 'release 1', pendingPolls: 0 }];
  aliases = new Map<string, string>([['live', '1']]);
  /** Polls a new version stays Pending. */
  pendingPolls = 0;
  /** Invocations to throttle (TooManyRequestsException) before serving any. */
  throttleNext = 0;
  /** Every invocation, by qualifier. */
  invocations: { qualifier: string; memory: number }[] = [];
  /** Calls, by command name. */
  calls: Record<string, number> = {};
  /** Runs after each publish (e.g. a deployment changing $LATEST). */
  afterPublish?: (version: Version, publishCount: number) => void;
  /** Awaited before each invocation (e.g. to hold one run while another starts). */
  beforeInvoke?: () => Promise<void>;
  /** Throws instead of deleting aliases (a cleanup that fails). */
  deleteAliasError?: Error;
  publishCount = 0;
  /** The PublishVersion call (1-based) that fails with a ServiceException. */
  failPublishAt?: number;
  private publishCalls = 0;
  readonly client = new LambdaClient({ region: 'eu-west-1' });

  constructor(sdk: any, readonly behaviour: (memory: number, qualifier: string) => Outcome = defaultBehaviour) {
    const mock = mockClient(this.client);
    // The bundle's class names are minified: count calls by the name the asset exports them under.
    const nameOf = new Map(Object.entries(sdk).map(([name, cls]) => [cls, name]));
    const on = (command: any, fake: (input: any) => unknown) =>
      mock.on(command).callsFake(async (input: any) => {
        const name = nameOf.get(command) as string;
        this.calls[name] = (this.calls[name] ?? 0) + 1;
        return fake(input);
      });
    on(sdk.GetFunctionConfigurationCommand, (input) => {
      if (input.Qualifier && input.Qualifier !== '$LATEST') {
        const v = this.version(input.Qualifier);
        const state = v.pendingPolls > 0 ? 'Pending' : 'Active';
        if (v.pendingPolls > 0) v.pendingPolls--;
        return { FunctionArn: `${FN_ARN}:${v.version}`, Version: v.version, MemorySize: v.memory, Description: v.description, State: state };
      }
      return this.latest();
    });
    on(sdk.UpdateFunctionConfigurationCommand, (input) => {
      this.checkRevision(input.RevisionId);
      this.memory = input.MemorySize ?? this.memory;
      this.description = input.Description ?? this.description;
      this.revision++;
      return this.latest();
    });
    on(sdk.PublishVersionCommand, (input) => {
      if (++this.publishCalls === this.failPublishAt) throw awsError('ServiceException', 'Service unavailable');
      this.checkRevision(input.RevisionId);
      const last = this.versions[this.versions.length - 1];
      // Lambda publishes nothing new when $LATEST equals the last version.
      if (last && last.memory === this.memory && last.source === this.description) {
        return { Version: last.version, MemorySize: last.memory };
      }
      const v: Version = { version: String(Number(last?.version ?? 0) + 1), memory: this.memory, description: input.Description ?? '', pendingPolls: this.pendingPolls, source: this.description };
      this.versions.push(v);
      this.publishCount++;
      this.afterPublish?.(v, this.publishCount);
      return { Version: v.version, MemorySize: v.memory, Description: v.description };
    });
    on(sdk.CreateAliasCommand, (input) => {
      if (this.aliases.has(input.Name)) throw awsError('ResourceConflictException', `Alias already exists: ${input.Name}`);
      this.version(input.FunctionVersion);
      this.aliases.set(input.Name, input.FunctionVersion);
      return {};
    });
    on(sdk.UpdateAliasCommand, (input) => {
      if (!this.aliases.has(input.Name)) throw awsError('ResourceNotFoundException', `Alias not found: ${input.Name}`);
      this.aliases.set(input.Name, input.FunctionVersion);
      return {};
    });
    on(sdk.ListAliasesCommand, (input) => {
      // Two per page, to exercise pagination.
      const all = [...this.aliases].map(([Name, FunctionVersion]) => ({ Name, FunctionVersion }));
      const start = input.Marker ? Number(input.Marker) : 0;
      return { Aliases: all.slice(start, start + 2), NextMarker: start + 2 < all.length ? String(start + 2) : undefined };
    });
    on(sdk.ListVersionsByFunctionCommand, (input) => {
      const all = [{ Version: '$LATEST', Description: this.description }, ...this.versions.map((v) => ({ Version: v.version, Description: v.description }))];
      const start = input.Marker ? Number(input.Marker) : 0;
      return { Versions: all.slice(start, start + 3), NextMarker: start + 3 < all.length ? String(start + 3) : undefined };
    });
    on(sdk.DeleteAliasCommand, (input) => {
      if (this.deleteAliasError) throw this.deleteAliasError;
      this.aliases.delete(input.Name);
      return {};
    });
    on(sdk.DeleteFunctionCommand, (input) => {
      if (!input.Qualifier) throw new Error('the fake forbids deleting the function itself');
      if ([...this.aliases.values()].includes(input.Qualifier)) throw awsError('ResourceConflictException', `version ${input.Qualifier} is in use by an alias`);
      this.version(input.Qualifier);
      this.versions = this.versions.filter((v) => v.version !== input.Qualifier);
      return {};
    });
    on(sdk.InvokeCommand, async (input) => {
      await this.beforeInvoke?.();
      if (this.throttleNext > 0) {
        this.throttleNext--;
        throw awsError('TooManyRequestsException', 'Rate exceeded');
      }
      const target = this.aliases.get(input.Qualifier) ?? input.Qualifier;
      const v = this.version(target);
      if (v.pendingPolls > 0) {
        throw awsError('ResourceConflictException', 'The operation cannot be performed at this time. The function is currently in the following state: Pending');
      }
      this.invocations.push({ qualifier: input.Qualifier, memory: v.memory });
      return invokeResult(this.behaviour(v.memory, input.Qualifier), v.memory);
    });
  }

  /** Simulates a deployment: CloudFormation sets memory and description. */
  deploy(memory: number, description: string): void {
    this.memory = memory;
    this.description = description;
    this.revision++;
  }

  tunerAliases(): string[] {
    return [...this.aliases.keys()].filter((a) => a !== 'live');
  }

  private latest() {
    return {
      FunctionArn: FN_ARN,
      Version: '$LATEST',
      MemorySize: this.memory,
      Description: this.description,
      RevisionId: `rev-${this.revision}`,
      Architectures: ['arm64'],
      Timeout: 10,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    };
  }

  private checkRevision(revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== `rev-${this.revision}`) {
      throw awsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id.');
    }
  }

  private version(qualifier: string): Version {
    const v = this.versions.find((x) => x.version === qualifier);
    if (!v) throw awsError('ResourceNotFoundException', `Function not found: ${FN_ARN}:${qualifier}`);
    return v;
  }
}

/** Duration falls faster than memory grows until 1024 MB, then stays: 1024 MB is the cheapest. */
export function defaultBehaviour(memory: number): Outcome {
  return { billedMs: memory >= 1024 ? 100 : Math.round(100 * (1024 / memory) ** 1.5) };
}

function invokeResult(outcome: Outcome, memory: number) {
  const report = (billed: number, extra = '') =>
    Buffer.from(
      `START RequestId: r\nEND RequestId: r\nREPORT RequestId: r\tDuration: ${(billed - 0.4).toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memory} MB\tMax Memory Used: 70 MB\t${extra}\n`,
    ).toString('base64');
  if ('timeout' in outcome) {
    return {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      LogResult: report(10000, 'Status: timeout'),
      Payload: new TextEncoder().encode(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' })),
    };
  }
  if ('error' in outcome) {
    return {
      StatusCode: 200,
      FunctionError: 'Unhandled',
      LogResult: report(5),
      Payload: new TextEncoder().encode(JSON.stringify({ errorType: outcome.error, errorMessage: outcome.message })),
    };
  }
  return {
    StatusCode: 200,
    LogResult: report(outcome.billedMs, outcome.initMs ? `Init Duration: ${outcome.initMs} ms\t` : ''),
    Payload: new TextEncoder().encode('{"ok":true}'),
  };
}
