/**
 * The power tuner's Lambda handlers, one bundled asset (assets/tuner) for every function
 * of the tuner state machine: `index.initializer`, `index.publisher`, `index.executor`,
 * `index.cleaner`, `index.analyzer` and `index.starter` (run-on-deploy custom resource). Each handler is a
 * thin shell around a `create*` core that takes its SDK clients, so tests drive the
 * bundled cores with mocked clients.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { AnalyzerEvent, createAnalyzer } from './analyzer';
import { CleanerEvent, createCleaner } from './cleaner';
import { createExecutorTask, ExecutorEvent, SweepEvent } from './executor';
import { createInitializer, InitializerEvent } from './initializer';
import { createPublisher, PublisherEvent } from './publisher';
import { createStarter } from './starter';
import { TemplateEnv } from '../../../core/contract/env-reader';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';
import { TUNER_ENV } from '../../contract/tuner-env';

export { createAnalyzer, parameterValue } from './analyzer';
export { createCleaner } from './cleaner';
export { createExecutor, createExecutorTask, createSweepExecutor } from './executor';
export { createInitializer } from './initializer';
export { createPublisher, MAX_STEPS_PER_CALL } from './publisher';
export { createStarter, executionName, putResponse } from './starter';
export { ALIAS_PREFIX, VERSION_DESCRIPTION, runIdOf, versionDescription } from './plan';

/**
 * The SDK classes this asset bundles. Tests mock a client with aws-sdk-client-mock and
 * match on these (a command class from the test's own SDK copy is a different class).
 */
export const sdk = {
  LambdaClient,
  SSMClient,
  SFNClient,
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  PutParameterCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  ListExecutionsCommand,
};

// Clients live outside the handlers so warm invocations reuse their connections. The
// executor's invocations may run for the tuned function's whole timeout (up to 15 min).
// Each client's calls are X-Ray subsegments where the tuner is traced.
const tracing = new TemplateTracing();
const lambda = tracing.captureClient(new LambdaClient({ maxAttempts: 8, requestHandler: { requestTimeout: 15 * 60 * 1000 } }));
const ssm = tracing.captureClient(new SSMClient({}));
const sfn = tracing.captureClient(new SFNClient({}));


let cores:
  | {
    initializer: ReturnType<typeof createInitializer>;
    publisher: ReturnType<typeof createPublisher>;
    executor: ReturnType<typeof createExecutorTask>;
    cleaner: ReturnType<typeof createCleaner>;
    analyzer: ReturnType<typeof createAnalyzer>;
    starter: ReturnType<typeof createStarter>;
  }
  | undefined;

/** Built on first use, so importing the module needs no environment. */
function getCores(): NonNullable<typeof cores> {
  if (!cores) {
    const env = new TemplateEnv('PowerTuner');
    const functionName = () => env.required(TUNER_ENV.tunedFunctionName, 'the function to tune');
    cores = {
      initializer: async (event) => createInitializer({ lambda, sfn, functionName: functionName() })(event),
      publisher: createPublisher({ lambda }),
      executor: createExecutorTask({ lambda }),
      cleaner: async (event) => createCleaner({ lambda, functionName: functionName() })(event),
      analyzer: createAnalyzer({ ssm, parameterName: env.optional(TUNER_ENV.resultsParameterName) }),
      starter: createStarter({ sfn, lambda }),
    };
  }
  return cores;
}

// The ColdStart EMF metric every template emits (namespace and service from the POWERTOOLS_*
// variables the construct sets): once per execution environment, on its first invocation,
// with the function_name dimension. Each tuner function is its own environment.
const metrics = new Metrics();

/** One invocation of a tuner handler: the cold-start metric, then the handler inside its X-Ray segment. */
function invocation<T>(context: Context | undefined, fn: () => Promise<T>): Promise<T> {
  metrics.captureColdStartMetric(context?.functionName);
  return tracing.invocation(fn);
}

// async, so a missing environment variable is a rejected invocation like any other failure.
export const initializer = async (event: InitializerEvent, context?: Context) => invocation(context, async () => getCores().initializer(event));
export const publisher = async (event: PublisherEvent, context: Context) => invocation(context, async () => getCores().publisher(event, context));
export const executor = async (event: ExecutorEvent | SweepEvent, context: Context) =>
  invocation(context, async () => getCores().executor(event, context));
export const cleaner = async (event: CleanerEvent, context?: Context) => invocation(context, async () => getCores().cleaner(event));
export const analyzer = async (event: AnalyzerEvent, context?: Context) => invocation(context, async () => getCores().analyzer(event));
export const starter = async (event: CloudFormationCustomResourceEvent, context?: Context) =>
  invocation(context, async () => getCores().starter(event));
