import { Annotations, CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STARTER_PROPERTIES } from './contract/tuner-env';
import { combinationProblems, DEFAULT_TUNING_CONFIG, fieldProblems, TUNING_LIMITS, TuningConfig } from './contract/tuning-input';
import { buildTuner, executionArnPattern, Tuner, TUNER_FUNCTION_MEMORY_MB, TUNER_TEMPLATE } from './tuner';
import { grantRunOptions, resolveRunOptions, TuningRunProps } from './tuning-options';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from '../core/alarm-factory';
import { DashboardBuilder, DashboardRow } from '../core/dashboard-builder';
import { FUNCTION_DEFAULTS } from '../core/function-defaults';
import { PowertoolsFunctionOptions } from '../core/function-options';
import { HandlerCode, TEMPLATE_RUNTIME, templateCode } from '../core/handler-code';
import { helperFunctionOptions } from '../core/helper-function-options';
import { PowertoolsFunction } from '../core/powertools-function';
import { checkIntegerInRange, checkNumberInRange, convertibleAtSynth, invalidProp } from '../core/validation';

/** How the tuner picks the recommended memory size. */
export enum TuningStrategy {
  /** The lowest average cost per invocation. */
  COST = 'cost',
  /** The lowest average duration. */
  SPEED = 'speed',
  /** The lowest `w × cost / maxCost + (1 − w) × duration / maxDuration`, with `w = balancedWeight`. */
  BALANCED = 'balanced',
}

/**
 * The tuning props: the defaults of every tuning run. An execution input overrides any of
 * them for one run (see the README for the input names: `powerValues`, `num`, `payload`,
 * `parallelInvocation`, `strategy`, `balancedWeight`, `discardTopBottom`, `onlyColdStarts`,
 * `sleepBetweenRunsMs`, `includeRequestCost`).
 */
export interface TuningOptions extends TuningRunProps {
  /**
   * Memory sizes to measure, in MB, sorted ascending without duplicates (128 to 10240).
   *
   * @default [128, 256, 512, 1024, 1536, 1769, 3008]
   */
  readonly powerValuesMb?: number[];

  /**
   * Invocations per memory size (`num`), at least 5.
   *
   * @default 10
   */
  readonly invocationsPerValue?: number;

  /**
   * The JSON payload every tuning invocation receives.
   *
   * @default {}
   */
  readonly payload?: any;

  /**
   * Invoke each memory size's `num` invocations at once instead of one after another.
   *
   * @default false
   */
  readonly parallelInvocation?: boolean;

  /**
   * How the recommendation is chosen.
   *
   * @default TuningStrategy.COST
   */
  readonly strategy?: TuningStrategy;

  /**
   * Weight of cost against duration for `TuningStrategy.BALANCED`: 1 is cheapest, 0 is fastest.
   *
   * @default 0.5
   */
  readonly balancedWeight?: number;

  /**
   * Fraction of the slowest and of the fastest invocations discarded before averaging (0 to 0.4).
   *
   * @default 0.2
   */
  readonly discardTopBottom?: number;

  /**
   * Measure cold starts only: every invocation goes to a freshly published version.
   *
   * @default false
   */
  readonly onlyColdStarts?: boolean;

  /**
   * Pause between serial invocations, in ms (0 to 60000). Not allowed with `parallelInvocation`.
   *
   * @default 0
   */
  readonly sleepBetweenRunsMs?: number;

  /**
   * Add Lambda's per-request charge to each invocation's cost, as a separate term. Turn it
   * off to get exactly AWS Lambda Power Tuning's figures.
   *
   * @default true
   */
  readonly includeRequestCost?: boolean;

  /**
   * Start a tuning run after every deployment that changes the function. The deployment
   * only starts the execution and does not wait for it; the execution waits
   * `tuneOnDeployDelay` before it changes the function. While it runs, `$LATEST` briefly
   * takes each power value's memory (then gets its own back), so unqualified invocations
   * may run at those sizes. Run one tuning execution at a time.
   *
   * @default false
   */
  readonly tuneOnDeploy?: boolean;

  /**
   * How long a run started by `tuneOnDeploy` waits before it touches the function, so the
   * deployment (or its rollback) has finished updating the function first. Whole seconds,
   * 0 to 1 hour. Executions you start yourself never wait.
   *
   * @default Duration.minutes(5)
   */
  readonly tuneOnDeployDelay?: Duration;

  /**
   * Include execution data (the inputs and outputs of every state: tuning payloads,
   * results) in the state machine's log. Payloads may hold data you would not log; state
   * names, timings and errors are logged either way.
   *
   * @default false
   */
  readonly logExecutionData?: boolean;

  /**
   * SSM parameter the tuner writes each successful run's result to (as JSON), for
   * pipelines. The tuner creates or overwrites it; the stack does not own it.
   *
   * @default - results go to the execution output only
   */
  readonly resultsParameterName?: string;
}

/** Props of a PowerTuner. */
export interface PowerTunerProps extends TuningOptions {
  /**
   * The function to tune: any function in this stack (e.g. `orders.function` of an
   * IdempotentFunction or SqsBatchConsumer), or one imported by ARN
   * (`lambda.Function.fromFunctionArn`). Not a version or alias: the tuner publishes its own.
   * Every permission the tuner has names this function, its versions and aliases only.
   */
  readonly function: lambda.IFunction;

  /**
   * What the tuner's own functions inherit: network (`vpc`, `vpcSubnets`,
   * `securityGroups`), log retention, level and encryption, environment encryption,
   * architecture and monitoring (alarms and dashboard of the tuner). Code, memory and
   * timeout stay the tuner's.
   *
   * @default - the library's function defaults
   */
  readonly tunerFunctionOptions?: PowertoolsFunctionOptions;
}

/** How PowerTunedFunction builds its tuner. @internal */
export interface PowerTunerWiring {
  readonly constructName: string;
  /** The tuned function's timeout, for the "may not fit" warning. */
  readonly targetTimeout?: Duration;
  /** Rows go to the owner's dashboard instead of a dashboard of the tuner's own. */
  readonly ownDashboard: boolean;
  /** The tuned function is the construct's own: versions its deployments publish are deleted on replacement. */
  readonly ownsFunction: boolean;
}

// Set by `_forPowerTunedFunction` for exactly one synchronous constructor call.
let pendingWiring: PowerTunerWiring | undefined;

/**
 * An AWS Lambda Power Tuning state machine for one existing function, built natively in
 * CDK and allowed to touch that function only (its configuration, versions and aliases).
 * Start an execution (input `{}` uses the props) and read the recommendation from its
 * output; apply it by setting the function's memory in code, so CloudFormation stays the
 * source of truth. One run at a time: a run fails fast while another is running.
 */
export class PowerTuner extends Construct {
  /** @internal */
  public static _forPowerTunedFunction(scope: Construct, id: string, props: PowerTunerProps, wiring: PowerTunerWiring): PowerTuner {
    pendingWiring = wiring;
    try {
      return new PowerTuner(scope, id, props);
    } finally {
      pendingWiring = undefined;
    }
  }

  /** The function being tuned. */
  public readonly function: lambda.IFunction;
  /** The tuner state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The tuner state machine's log group. */
  public readonly stateMachineLogGroup: logs.ILogGroup;
  /** The tuner's own functions (initializer, publisher, executor, cleaner, analyzer, and the on-deploy starter), with their roles, log groups and alarms. */
  public readonly tunerFunctions: PowertoolsFunction[];
  /** The alarms created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The tuner's dashboard, unless switched off (PowerTunedFunction puts these rows on its own). */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The SSM parameter name results are written to, when set. */
  public readonly resultsParameterName?: string;
  /** @internal */
  public readonly _dashboardRows: DashboardRow[];

  constructor(scope: Construct, id: string, props: PowerTunerProps) {
    super(scope, id);
    const wiring = pendingWiring;
    pendingWiring = undefined;
    const constructName = wiring?.constructName ?? 'PowerTuner';
    const where = `${constructName} ${(wiring ? scope : this).node.path}`;
    validateTarget(where, props.function);
    const defaults = resolveRunOptions(wiring ? scope : this, where, props, resolveDefaults(where, props));
    validateParameterName(where, props.resultsParameterName);
    const onDeployDelay = resolveOnDeployDelay(where, props);
    const onDeployVersion = props.tuneOnDeploy ? deployedVersionOf(where, this, props.function) : undefined;
    warnAboutRiskyChoices(wiring ? scope : this, props, defaults, wiring?.targetTimeout ?? timeoutOf(props.function));

    this.function = props.function;
    this.resultsParameterName = props.resultsParameterName;
    const functionOptions = helperFunctionOptions(props.tunerFunctionOptions ?? {});
    const tuner = buildTuner(this, {
      constructName,
      target: props.function,
      defaults,
      logRetention: functionOptions.logRetention ?? FUNCTION_DEFAULTS.logRetention,
      functionOptions,
      resultsParameterName: props.resultsParameterName,
      onDeployDelay,
      logExecutionData: props.logExecutionData ?? false,
    });
    this.stateMachine = tuner.stateMachine;
    grantRunOptions(this, tuner.executor.role, props);
    this.stateMachineLogGroup = tuner.logGroup;

    if (onDeployVersion && wiring?.ownsFunction) {
      // Versions published by each deployment would pile up; the tuner never needs old ones.
      onDeployVersion.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
    const starter = onDeployVersion ? addTuneOnDeploy(this, constructName, tuner, onDeployVersion, functionOptions) : undefined;
    this.tunerFunctions = [...tuner.functions, ...(starter ? [starter] : [])];

    const alarms = new AlarmFactory(this, functionOptions.monitoring);
    alarms.add('TunerExecutionsFailed', {
      metric: this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      severity: AlarmSeverity.WARNING,
      // Step Functions publishes these only when executions end.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: `${this.node.path}: a power-tuning execution failed; its error names the cause.`,
    });
    alarms.add('TunerExecutionsTimedOut', {
      metric: this.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: 0,
      severity: AlarmSeverity.WARNING,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: `${this.node.path}: a power-tuning execution timed out.`,
    });
    this.alarms = [...this.tunerFunctions.flatMap((f) => f.alarms), ...alarms.alarms];
    this._dashboardRows = [
      { title: 'Power tuner executions', widgets: tunerWidgets(this.stateMachine) },
      ...this.tunerFunctions.flatMap((f) => f._dashboardRows),
    ];
    this.dashboard = wiring && !wiring.ownDashboard
      ? undefined
      : new DashboardBuilder(this, 'Dashboard', functionOptions.monitoring).addRows(this._dashboardRows).build();
  }
}

const DEFAULT_ON_DEPLOY_DELAY = Duration.minutes(5);

/**
 * The starter starts an execution, or on delete stops executions and waits for the
 * cleaner (at most 5 minutes): its timeout covers both.
 */
const STARTER_TIMEOUT = Duration.minutes(6);

/**
 * A custom resource keyed on the function's current version: CloudFormation updates it,
 * and so starts one execution, exactly when the function changed. Its handler only calls
 * StartExecution (with a name per deployment) and answers, so the deployment waits
 * seconds, not the tuning. Deleting it stops running executions and cleans up after them.
 */
function addTuneOnDeploy(
  owner: Construct,
  constructName: string,
  tuner: Tuner,
  version: lambda.IVersion,
  options: PowertoolsFunctionOptions,
): PowertoolsFunction {
  const scope = new Construct(owner, 'TuneOnDeploy');
  const starter = PowertoolsFunction._forPattern(scope, 'Starter', {
    ...options,
    handlerCode: HandlerCode.fromCode(templateCode(scope, TUNER_TEMPLATE.name), 'index.starter', TEMPLATE_RUNTIME),
    memorySizeMb: TUNER_FUNCTION_MEMORY_MB,
    timeout: STARTER_TIMEOUT,
  }, {
    constructName,
    template: TUNER_TEMPLATE,
    description: 'Power tuner: starts a tuning run after a deployment changed the function, stops runs on delete',
    syncOnlyReason: 'Invoked by CloudFormation as a custom resource; the handler always answers CloudFormation itself, so a failure shows in the deployment.',
    dashboardTitle: 'Tuner function Starter',
  });
  // CloudFormation invokes it asynchronously: a crash is retried, and the deterministic
  // execution name makes a retried start find the first one's execution.
  starter.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.minutes(30) });
  const invokeConfig = starter.function.node.tryFindChild('EventInvokeConfig');
  if (invokeConfig) {
    Validations.of(invokeConfig).acknowledge({
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'Only CloudFormation invokes the starter; an invocation that fails for good leaves the custom resource unanswered, and the deployment fails at its service timeout, which is where it shows.',
    });
  }
  const stateMachine = tuner.stateMachine;
  stateMachine.grantStartExecution(starter.role);
  starter.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [stateMachine.stateMachineArn] }));
  starter.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: [executionArnPattern(stateMachine)] }));
  starter.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [tuner.cleaner.function.functionArn] }));
  const stack = Stack.of(owner);
  Validations.of(starter.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${stack.getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine)}.Name>:*]`,
    reason: 'On stack delete the starter stops the executions of its own state machine only (execution:<name>:*); execution ARNs are not known in advance.',
  });
  const trigger = new CustomResource(scope, 'Trigger', {
    serviceToken: starter.function.functionArn,
    resourceType: 'Custom::PowerTuningOnDeploy',
    // A lost answer fails the deployment in minutes, not CloudFormation's default hour.
    serviceTimeout: Duration.minutes(10),
    properties: {
      [STARTER_PROPERTIES.stateMachineArn]: stateMachine.stateMachineArn,
      [STARTER_PROPERTIES.deployToken]: version.version,
      [STARTER_PROPERTIES.cleanerFunctionName]: tuner.cleaner.function.functionName,
    },
  });
  // A run may start at once (tuneOnDeployDelay 0): the initializer needs its permission first.
  trigger.node.addDependency(tuner.executionsPolicy);
  return starter;
}

function validateTarget(where: string, fn: lambda.IFunction | undefined): void {
  if (!fn) invalidProp(where, 'function', fn, 'Pass the function to tune, e.g. { function: orders.function } or lambda.Function.fromFunctionArn(this, "Fn", arn).');
  const qualified = fn as unknown as { version?: unknown; aliasName?: unknown };
  if (qualified.version !== undefined || qualified.aliasName !== undefined) {
    invalidProp(where, 'function', fn.node.path, 'Pass the function itself, not a version or alias: the tuner publishes its own versions and aliases.');
  }
}

/** The function's current version, whose number is the deploy token; tuneOnDeploy needs a function this app deploys. */
function deployedVersionOf(where: string, scope: Construct, fn: lambda.IFunction): lambda.Version {
  if (!(fn instanceof lambda.Function) || Stack.of(fn) !== Stack.of(scope)) {
    invalidProp(where, 'tuneOnDeploy', true, 'A run on deploy needs a function defined in this stack (a lambda.Function); for an imported function, start executions yourself or set tuneOnDeploy in the stack that defines it.');
  }
  return (fn as lambda.Function).currentVersion;
}

function timeoutOf(fn: lambda.IFunction): Duration | undefined {
  const cfn = fn.node.defaultChild;
  if (cfn instanceof lambda.CfnFunction && typeof cfn.timeout === 'number') return Duration.seconds(cfn.timeout);
  return undefined;
}

/** The construct prop that sets each tuning field, so an error blames the prop the user wrote. */
const PROP_OF_FIELD: Record<keyof TuningConfig, keyof TuningOptions> = {
  powerValues: 'powerValuesMb',
  num: 'invocationsPerValue',
  payload: 'payload',
  parallelInvocation: 'parallelInvocation',
  strategy: 'strategy',
  balancedWeight: 'balancedWeight',
  discardTopBottom: 'discardTopBottom',
  onlyColdStarts: 'onlyColdStarts',
  sleepBetweenRunsMs: 'sleepBetweenRunsMs',
  includeRequestCost: 'includeRequestCost',
};

function resolveDefaults(where: string, props: TuningOptions): TuningConfig {
  const d = DEFAULT_TUNING_CONFIG;
  // The error shows the value already; the tuner's sentence is the fix.
  const powerValues = props.powerValuesMb ?? d.powerValues;
  if (!powerValues.some((v) => Token.isUnresolved(v))) {
    const problems = fieldProblems('powerValues', powerValues, { withValue: false, label: PROP_OF_FIELD.powerValues });
    if (problems.length > 0) invalidProp(where, 'powerValuesMb', powerValues, problems[0]);
  }
  checkIntegerInRange(where, 'invocationsPerValue', props.invocationsPerValue, TUNING_LIMITS.minNum, TUNING_LIMITS.maxNum);
  checkNumberInRange(where, 'balancedWeight', props.balancedWeight, 0, 1);
  checkNumberInRange(where, 'discardTopBottom', props.discardTopBottom, 0, TUNING_LIMITS.maxDiscardTopBottom);
  checkIntegerInRange(where, 'sleepBetweenRunsMs', props.sleepBetweenRunsMs, 0, TUNING_LIMITS.maxSleepBetweenRunsMs);
  if (props.strategy !== undefined && !Object.values(TuningStrategy).includes(props.strategy)) {
    invalidProp(where, 'strategy', props.strategy, 'Use TuningStrategy.COST, TuningStrategy.SPEED or TuningStrategy.BALANCED.');
  }
  if (props.payload !== undefined) {
    const problems = fieldProblems('payload', props.payload, { withValue: false });
    if (problems.length > 0) invalidProp(where, 'payload', props.payload, problems[0]);
  }
  const config: TuningConfig = {
    powerValues: [...powerValues],
    num: props.invocationsPerValue ?? d.num,
    payload: props.payload ?? d.payload,
    parallelInvocation: props.parallelInvocation ?? d.parallelInvocation,
    strategy: props.strategy ?? d.strategy,
    balancedWeight: props.balancedWeight ?? d.balancedWeight,
    discardTopBottom: props.discardTopBottom ?? d.discardTopBottom,
    onlyColdStarts: props.onlyColdStarts ?? d.onlyColdStarts,
    sleepBetweenRunsMs: props.sleepBetweenRunsMs ?? d.sleepBetweenRunsMs,
    includeRequestCost: props.includeRequestCost ?? d.includeRequestCost,
  };
  const [combined] = combinationProblems(config);
  if (combined) {
    const prop = PROP_OF_FIELD[combined.field];
    invalidProp(where, prop, (props as Record<string, unknown>)[prop], combined.message);
  }
  return config;
}

/** The on-deploy wait, or undefined without tuneOnDeploy. */
function resolveOnDeployDelay(where: string, props: TuningOptions): Duration | undefined {
  const delay = props.tuneOnDeployDelay;
  if (!props.tuneOnDeploy) {
    if (delay !== undefined) invalidProp(where, 'tuneOnDeployDelay', delay, 'It only applies with tuneOnDeploy: true; set that too or remove the delay.');
    return undefined;
  }
  if (delay === undefined) return DEFAULT_ON_DEPLOY_DELAY;
  const fix = 'Use a whole number of seconds from 0 to 1 hour, e.g. Duration.minutes(5).';
  if (delay.isUnresolved()) {
    if (!convertibleAtSynth(delay, 'seconds')) invalidProp(where, 'tuneOnDeployDelay', delay, `${fix} A deploy-time value must be Duration.seconds(token).`);
    return delay;
  }
  const seconds = delay.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) invalidProp(where, 'tuneOnDeployDelay', delay, fix);
  return delay;
}

/** SSM parameter names: letters, digits, `_.-/`; a path starts with `/`; `aws`/`ssm` prefixes are reserved. */
function validateParameterName(where: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const fix = 'Use letters, digits and _.-/ (at most 1011 characters), start a path with "/", and avoid the reserved "aws" and "ssm" prefixes, e.g. "/my-app/power-tuning".';
  const bare = name.replace(/^\//, '').toLowerCase();
  if (
    name.length === 0 ||
    name.length > 1011 ||
    !/^[a-zA-Z0-9_.\-/]+$/.test(name) ||
    (name.includes('/') && !name.startsWith('/')) ||
    name.includes('//') ||
    bare.startsWith('aws') ||
    bare.startsWith('ssm')
  ) {
    invalidProp(where, 'resultsParameterName', name, fix);
  }
}

function warnAboutRiskyChoices(scope: Construct, props: TuningOptions, config: TuningConfig, timeout: Duration | undefined): void {
  if (props.balancedWeight !== undefined && config.strategy !== TuningStrategy.BALANCED) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:balancedWeightUnused',
      `balancedWeight only applies to TuningStrategy.BALANCED; the strategy is ${config.strategy}.`,
    );
  }
  if (timeout && !timeout.isUnresolved() && !config.parallelInvocation && timeout.toSeconds() * config.num > 14 * 60) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:tuningMayNotFit',
      `${config.num} serial invocations of up to ${timeout.toSeconds()} s may not fit the executor's 15 minutes; slow power values would be skipped. Lower invocationsPerValue or use parallelInvocation.`,
    );
  }
}

function tunerWidgets(stateMachine: sfn.StateMachine): cloudwatch.IWidget[] {
  const period = Duration.minutes(5);
  return [
    new cloudwatch.GraphWidget({
      title: 'Tuner executions',
      left: [
        stateMachine.metricStarted({ period, statistic: 'Sum', label: 'started' }),
        stateMachine.metricSucceeded({ period, statistic: 'Sum', label: 'succeeded' }),
        stateMachine.metricFailed({ period, statistic: 'Sum', label: 'failed' }),
        stateMachine.metricTimedOut({ period, statistic: 'Sum', label: 'timed out' }),
        stateMachine.metricAborted({ period, statistic: 'Sum', label: 'aborted' }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Tuner execution time',
      left: [stateMachine.metricTime({ period, statistic: 'Maximum', label: 'max' })],
      width: 12,
    }),
  ];
}
