import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PowertoolsFunctionOptions, PowertoolsLogLevel } from './function-options';
import { BoundHandlerCode, HandlerCode, TemplateRef } from './handler-code';
import { pathDerivedName } from './naming';
import { checkIntegerInRange, checkNonEmpty, concreteSeconds, invalidProp, secondsOrSecondsToken } from './validation';

/** Core defaults every function of this library starts from. */
export const FUNCTION_DEFAULTS = {
  memorySizeMb: 256,
  timeout: Duration.seconds(10),
  logRetention: logs.RetentionDays.THREE_MONTHS,
  logLevel: PowertoolsLogLevel.INFO,
  architecture: lambda.Architecture.ARM_64,
};

/** What a construct asks of the core function builder. @internal */
export interface CoreFunctionProps {
  /** Class name for error messages, e.g. `IdempotentFunction`. */
  readonly constructName: string;
  readonly options: PowertoolsFunctionOptions;
  readonly template: TemplateRef;
  readonly description: string;
  /** Environment the construct's wiring needs; the user may not override these. */
  readonly wiringEnvironment?: { [key: string]: string };
  /**
   * Prefixes of variables the construct's template reads (e.g. `IDEMPOTENCY_`): the user
   * may not set any of them through `environment`, even one the construct leaves unset,
   * because the template would act on it without the matching wiring (grants, tables).
   */
  readonly reservedEnvironmentPrefixes?: string[];
  /** Per-construct default timeout. */
  readonly defaultTimeout?: Duration;
  /** Give the function an SQS dead-letter queue for failed async invocations. */
  readonly asyncDeadLetterQueue: boolean;
}

/** The function and what was created with it. @internal */
export interface CoreFunction {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  readonly timeout: Duration;
  readonly code: BoundHandlerCode;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly deadLetterQueue?: sqs.Queue;
}

/**
 * Builds a Lambda function with the library's defaults: arm64, latest Node.js runtime,
 * X-Ray active, JSON logs into an owned log group with finite retention, explicit memory
 * and timeout, Powertools env vars, and a role with no managed policies.
 * @internal
 */
export function createCoreFunction(scope: Construct, props: CoreFunctionProps): CoreFunction {
  const o = props.options;
  validateFunctionOptions(scope, props.constructName, o);

  const timeout = o.timeout ?? props.defaultTimeout ?? FUNCTION_DEFAULTS.timeout;
  const logLevel = o.logLevel ?? FUNCTION_DEFAULTS.logLevel;
  const serviceName = o.serviceName ?? pathDerivedName(scope);
  const metricsNamespace = o.metricsNamespace ?? Stack.of(scope).stackName;
  const code = (o.handlerCode ?? HandlerCode.template())._bind(scope, props.template);

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    retention: o.logRetention ?? FUNCTION_DEFAULTS.logRetention,
  });

  // Our own role: the AWS managed basic-execution policy would let the function write to
  // any log group; this one may write only to its own.
  const role = new iam.Role(scope, 'ServiceRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${scope.node.path}`,
  });
  logGroup.grantWrite(role);

  const deadLetterQueue = props.asyncDeadLetterQueue ? createAsyncDeadLetterQueue(scope) : undefined;

  const environment = mergeEnvironment(scope, props.constructName, {
    defaults: {
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      POWERTOOLS_LOG_LEVEL: logLevel,
    },
    user: o.environment ?? {},
    wiring: props.wiringEnvironment ?? {},
    reservedPrefixes: props.reservedEnvironmentPrefixes ?? [],
  });

  const fn = new lambda.Function(scope, 'Function', {
    code: code.code,
    handler: code.handler,
    runtime: code.runtime,
    architecture: o.architecture ?? FUNCTION_DEFAULTS.architecture,
    memorySize: o.memorySizeMb ?? FUNCTION_DEFAULTS.memorySizeMb,
    timeout,
    reservedConcurrentExecutions: o.reservedConcurrentExecutions,
    description: o.description ?? props.description,
    role,
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel[logLevel],
    systemLogLevelV2: lambda.SystemLogLevel.INFO,
    logGroup,
    environment,
    deadLetterQueue,
  });

  // X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Only X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords) use "*": X-Ray has no resource-level permissions.',
  });

  return { fn, logGroup, role, timeout, code, serviceName, metricsNamespace, deadLetterQueue };
}

/** An encrypted, TLS-only queue that keeps failed async invocations for 14 days. */
function createAsyncDeadLetterQueue(scope: Construct): sqs.Queue {
  const queue = new sqs.Queue(scope, 'AsyncDeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the function\'s asynchronous invocations.' },
    { id: 'Serverless-SQSRedrivePolicy', reason: 'A dead-letter queue has no dead-letter queue of its own.' },
  );
  return queue;
}

function validateFunctionOptions(scope: Construct, name: string, o: PowertoolsFunctionOptions): void {
  const where = `${name} ${scope.node.path}`;
  checkIntegerInRange(where, 'memorySizeMb', o.memorySizeMb, 128, 10240);
  if (o.timeout?.isUnresolved()) {
    secondsOrSecondsToken(where, 'timeout', o.timeout, () => 'A token timeout must be given in seconds, e.g. Duration.seconds(timeoutParameter.valueAsNumber).');
  }
  const timeoutSeconds = concreteSeconds(o.timeout);
  if (timeoutSeconds !== undefined && (timeoutSeconds < 1 || timeoutSeconds > 900 || !Number.isInteger(timeoutSeconds))) {
    invalidProp(where, 'timeout', o.timeout, 'Use a whole number of seconds from 1 second to 15 minutes.');
  }
  checkIntegerInRange(where, 'reservedConcurrentExecutions', o.reservedConcurrentExecutions, 0, 1_000_000);
  checkNonEmpty(where, 'serviceName', o.serviceName);
  checkNonEmpty(where, 'metricsNamespace', o.metricsNamespace);
  if (o.logRetention === logs.RetentionDays.INFINITE) {
    invalidProp(where, 'logRetention', 'RetentionDays.INFINITE', 'Logs must expire: choose a finite retention such as logs.RetentionDays.ONE_YEAR.');
  }
  const fraction = o.monitoring?.durationAlarmTimeoutFraction;
  if (fraction !== undefined && Token.isUnresolved(fraction)) {
    invalidProp(where, 'monitoring.durationAlarmTimeoutFraction', 'a token', 'The alarm threshold is computed at synth; give a concrete fraction such as 0.8.');
  }
  if (fraction !== undefined && (!(fraction > 0) || fraction > 1)) {
    invalidProp(where, 'monitoring.durationAlarmTimeoutFraction', fraction, 'Use a fraction greater than 0 and at most 1, e.g. 0.8.');
  }
}

interface EnvironmentLayers {
  readonly defaults: { [key: string]: string };
  readonly user: { [key: string]: string };
  readonly wiring: { [key: string]: string };
  readonly reservedPrefixes: string[];
}

/** defaults < user < wiring; a user value that would change the wiring is an error, never dropped. */
function mergeEnvironment(scope: Construct, name: string, layers: EnvironmentLayers): { [key: string]: string } {
  for (const [key, value] of Object.entries(layers.user)) {
    const prefix = layers.reservedPrefixes.find((p) => key.startsWith(p));
    if (prefix && !(key in layers.wiring && layers.wiring[key] === value)) {
      invalidProp(
        `${name} ${scope.node.path}`,
        `environment.${key}`,
        value,
        `Variables starting with ${prefix} configure the construct's template and are set from its props; use the props instead.`,
      );
    }
    if (key in layers.wiring && layers.wiring[key] !== value) {
      invalidProp(
        `${name} ${scope.node.path}`,
        `environment.${key}`,
        value,
        `${key} is set by the construct from its props; change the matching prop instead of the environment.`,
      );
    }
  }
  return { ...layers.defaults, ...layers.user, ...layers.wiring };
}
