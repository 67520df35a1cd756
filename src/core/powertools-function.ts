import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { AlarmFactory } from './alarm-factory';
import { HANDLE_ENTRY } from './contract/entry';
import { PARAMETERS_ENV_PREFIX } from './contract/parameters';
import { POWERTOOLS_ENV } from './contract/powertools-env';
import { DashboardBuilder, DashboardRow } from './dashboard-builder';
import { createFunctionAlias } from './function-alias';
import { AsyncInvocationWiring, wireAsyncInvocation } from './function-async';
import { FUNCTION_DEFAULTS } from './function-defaults';
import { mergeEnvironment } from './function-environment';
import { functionNetworking } from './function-network';
import { AsyncInvocationOptions, PowertoolsFunctionOptions } from './function-options';
import { functionParameters } from './function-parameters';
import { validateAsyncOptions, validateFunctionOptions } from './function-validation';
import { BoundHandlerCode, HandlerCode, TemplateRef } from './handler-code';
import { addLambdaAlarms, LambdaAlarms, lambdaWidgets } from './lambda-monitoring';
import { encryptedLogGroup } from './log-group-encryption';
import { pathDerivedName } from './naming';
import { observabilityWiring } from './observability-options';

/** Properties of a PowertoolsFunction. Every prop is optional. */
export interface PowertoolsFunctionProps extends PowertoolsFunctionOptions, AsyncInvocationOptions {}

/** How a pattern construct asks for its function. @internal */
export interface PatternWiring {
  /** Class name for error messages, e.g. `IdempotentFunction`. */
  readonly constructName: string;
  /** The pattern construct: its path names the service and its errors. Default: the function construct. */
  readonly owner?: IConstruct;
  readonly template: TemplateRef;
  readonly description: string;
  /** Environment the construct's wiring needs; the user may not override these. */
  readonly wiringEnvironment?: { [key: string]: string };
  /** Prefixes of variables only the construct may set (see `mergeEnvironment`). */
  readonly reservedEnvironmentPrefixes?: string[];
  /**
   * Why nothing invokes this function asynchronously. When set, there is no async
   * dead-letter queue and Serverless-LambdaDLQ is acknowledged with this reason.
   */
  readonly syncOnlyReason?: string;
  /** The function's error-rate alarm feeds a composite alarm of the pattern, which pages instead. */
  readonly errorRateFeedsComposite?: boolean;
  /** The dashboard row title of the function. */
  readonly dashboardTitle?: string;
}

/** The bundled template of a standalone PowertoolsFunction: `assets/function`. */
const FUNCTION_TEMPLATE: TemplateRef = { name: 'function', wrapExport: 'wrapFunction', entry: HANDLE_ENTRY };

// Set by `_forPattern` for exactly one synchronous constructor call.
let pendingPattern: PatternWiring | undefined;

/**
 * The library's best-practice Lambda function, for any trigger (S3, EventBridge, SNS,
 * schedules): arm64, the latest Node.js runtime, X-Ray, JSON logs into an owned log group
 * with finite retention, Powertools environment, a role with no managed policies, an
 * encrypted dead-letter queue for failed async invocations, alarms that page for the right
 * reasons, and a dashboard. Every pattern construct of this library builds its function
 * with it, so every option here works there too.
 *
 * @example
 * new PowertoolsFunction(this, 'Thumbnails', { handlerCode: HandlerCode.fromEntry('src/thumbnails.ts') });
 */
export class PowertoolsFunction extends Construct {
  /**
   * Creates the function of a pattern construct with the pattern's template and wiring.
   * @internal
   */
  public static _forPattern(scope: Construct, id: string, props: PowertoolsFunctionProps, wiring: PatternWiring): PowertoolsFunction {
    pendingPattern = wiring;
    try {
      return new PowertoolsFunction(scope, id, props);
    } finally {
      pendingPattern = undefined;
    }
  }

  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The alias, when `alias` is set. */
  public readonly alias?: lambda.Alias;
  /** What wiring should invoke: the alias when there is one, otherwise the function. */
  public readonly invokeTarget: lambda.IFunction;
  /** The security groups, when the function is in a VPC. */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** The dead-letter queue of failed asynchronous invocations, when one was created. */
  public readonly asyncDeadLetterQueue?: sqs.IQueue;
  /** The function timeout. */
  public readonly timeout: Duration;
  /** `POWERTOOLS_SERVICE_NAME`. */
  public readonly serviceName: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`. */
  public readonly metricsNamespace: string;
  /** The function's alarms (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The function's own dashboard; undefined inside a pattern construct, which owns the dashboard. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** @internal */
  public readonly _code: BoundHandlerCode;
  /** @internal */
  public readonly _lambdaAlarms: LambdaAlarms;
  /** @internal */
  public readonly _dashboardRows: DashboardRow[];

  constructor(scope: Construct, id: string, props: PowertoolsFunctionProps = {}) {
    super(scope, id);
    const wiring = pendingPattern;
    pendingPattern = undefined;
    const owner = wiring?.owner ?? this;
    const where = `${wiring?.constructName ?? 'PowertoolsFunction'} ${owner.node.path}`;
    validateFunctionOptions(where, props);
    if (!wiring?.syncOnlyReason) validateAsyncOptions(where, props);

    this.timeout = props.timeout ?? FUNCTION_DEFAULTS.timeout;
    const logLevel = props.logLevel ?? FUNCTION_DEFAULTS.logLevel;
    this.serviceName = props.serviceName ?? pathDerivedName(owner);
    this.metricsNamespace = props.metricsNamespace ?? Stack.of(this).stackName;
    this._code = (props.handlerCode ?? HandlerCode.template())._bind(this, wiring?.template ?? FUNCTION_TEMPLATE);

    const logGroup = encryptedLogGroup(this, 'LogGroup', props.logRetention ?? FUNCTION_DEFAULTS.logRetention, props.logGroupEncryptionKey);
    this.logGroup = logGroup;

    // Our own role: the AWS managed basic-execution policy would let the function write to
    // any log group; this one may write only to its own.
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    logGroup.grantWrite(role);
    this.role = role;

    const network = functionNetworking(this, role, props);
    this.securityGroups = network.securityGroups ?? [];
    const asyncWiring: AsyncInvocationWiring = wireAsyncInvocation(this, props, wiring?.syncOnlyReason);
    this.asyncDeadLetterQueue = asyncWiring.deadLetterQueue;

    const sampling = props.logSamplingRate ?? 0;
    const observability = observabilityWiring(where, props);
    const parameters = functionParameters(this, where, props);
    const environment = mergeEnvironment(where, {
      defaults: {
        [POWERTOOLS_ENV.serviceName.name]: this.serviceName,
        [POWERTOOLS_ENV.metricsNamespace.name]: this.metricsNamespace,
        [POWERTOOLS_ENV.logLevel.name]: logLevel,
        ...(sampling > 0 ? { [POWERTOOLS_ENV.loggerSampleRate.name]: String(sampling) } : {}),
        ...observability.environment,
      },
      user: { ...this._code.environment, ...props.environment },
      wiring: { ...wiring?.wiringEnvironment, ...parameters.environment },
      reservedPrefixes: [...(wiring?.reservedEnvironmentPrefixes ?? []), ...observability.reservedPrefixes, PARAMETERS_ENV_PREFIX],
    });

    const layers = [...(props.layers ?? [])];
    const architecture = props.architecture ?? FUNCTION_DEFAULTS.architecture;
    if (props.powertoolsLayer) layers.push(props.powertoolsLayer._bind(this, architecture, this._code.runtime));

    this.function = new lambda.Function(this, 'Function', {
      code: this._code.code,
      handler: this._code.handler,
      runtime: this._code.runtime,
      architecture,
      memorySize: props.memorySizeMb ?? FUNCTION_DEFAULTS.memorySizeMb,
      timeout: this.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      description: props.description ?? wiring?.description ?? 'Powertools function (cdk-serverless-powertools PowertoolsFunction)',
      role,
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Sampled invocations log at DEBUG, and failed ones flush buffered DEBUG lines; Lambda's
      // filter must let those lines through, while Powertools keeps filtering by POWERTOOLS_LOG_LEVEL.
      applicationLogLevelV2: lambda.ApplicationLogLevel[sampling > 0 || observability.needsDebugLogFilter ? 'DEBUG' : logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      logGroup,
      environment,
      environmentEncryption: props.environmentEncryption,
      ephemeralStorageSize: props.ephemeralStorageSize,
      layers: layers.length > 0 ? layers : undefined,
      insightsVersion: props.insights ? lambda.LambdaInsightsVersion.VERSION_1_0_498_0 : undefined,
      recursiveLoop: props.recursiveLoop ?? lambda.RecursiveLoop.TERMINATE,
      ...network.functionProps,
      ...asyncWiring.functionProps,
    });
    asyncWiring.complete(this.function);
    parameters.grant(this.function);
    acknowledgeWildcards(role, network.functionProps.vpc !== undefined);
    if (props.insights) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy]',
        reason: 'insights is on: aws-cdk-lib attaches the AWS managed policy the Lambda Insights extension needs, which only writes to the /aws/lambda-insights log group.',
      });
    }

    this.alias = createFunctionAlias(this, this.function, props);
    this.invokeTarget = this.alias ?? this.function;

    const alarms = new AlarmFactory(this, props.monitoring);
    this._lambdaAlarms = addLambdaAlarms(alarms, this.function, {
      monitoring: props.monitoring,
      timeout: this.timeout,
      errorRateFeedsComposite: wiring?.errorRateFeedsComposite,
    });
    asyncWiring.addAlarms(alarms, this.function);
    this.alarms = alarms.alarms;

    this._dashboardRows = [{ title: wiring?.dashboardTitle ?? `Function ${owner.node.path}`, widgets: lambdaWidgets(this.function) }];
    // A pattern construct puts these rows on its own dashboard.
    this.dashboard = wiring ? undefined : new DashboardBuilder(this, 'Dashboard', props.monitoring).addRows(this._dashboardRows).build();
  }
}

/**
 * X-Ray's PutTraceSegments/PutTelemetryRecords, and the network-interface actions Lambda
 * needs in a VPC, support no resource-level permissions.
 */
function acknowledgeWildcards(role: iam.Role, inVpc: boolean): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords)' +
      (inVpc ? ' and the EC2 network-interface actions Lambda needs in a VPC (Describe/Create/DeleteNetworkInterface, Assign/UnassignPrivateIpAddresses)' : '') +
      ' use "*": they have no resource-level permissions.',
  });
}
