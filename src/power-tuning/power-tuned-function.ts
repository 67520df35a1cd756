import { Annotations, CustomResource, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { combinationProblems, DEFAULT_TUNING_CONFIG, fieldProblems, TUNING_LIMITS, TuningConfig } from './contract/tuning-input';
import { buildTuner, TUNER_FUNCTION_MEMORY_MB, TUNER_TEMPLATE } from './tuner';
import { grantRunOptions, resolveRunOptions, TuningRunProps } from './tuning-options';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from '../core/alarm-factory';
import { HANDLE_ENTRY } from '../core/contract/entry';
import { DashboardBuilder } from '../core/dashboard-builder';
import { FUNCTION_DEFAULTS } from '../core/function-defaults';
import { AsyncInvocationOptions, PowertoolsFunctionOptions } from '../core/function-options';
import { HandlerCode, TEMPLATE_RUNTIME, TemplateRef, templateCode } from '../core/handler-code';
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
 * Props of a PowerTunedFunction. The tuning props are the defaults of every tuning run;
 * an execution input overrides any of them for one run (see the README for the input
 * names: `powerValues`, `num`, `payload`, `parallelInvocation`, `strategy`,
 * `balancedWeight`, `discardTopBottom`, `onlyColdStarts`, `sleepBetweenRunsMs`,
 * `includeRequestCost`).
 */
export interface PowerTunedFunctionProps extends PowertoolsFunctionOptions, AsyncInvocationOptions, TuningRunProps {
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

/**
 * A Lambda function with its own AWS Lambda Power Tuning state machine, built natively in
 * CDK and allowed to touch this one function only. Start an execution (input `{}` uses
 * the props) and read the recommendation from its output; apply it by setting
 * `memorySizeMb` in code, so CloudFormation stays the source of truth.
 */
export class PowerTunedFunction extends Construct {
  /** The tuned function and everything created with it (alias, async DLQ, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The function being tuned. */
  public readonly function: lambda.Function;
  /** The tuner's own functions (initializer, executor, cleaner, analyzer, and the on-deploy starter), with their roles, log groups and alarms. */
  public readonly tunerFunctions: PowertoolsFunction[];
  /** The tuner state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The tuner state machine's log group. */
  public readonly stateMachineLogGroup: logs.ILogGroup;
  /** The dead-letter queue of failed asynchronous invocations, unless the `asyncDeadLetterQueue` prop is false. */
  public readonly asyncDeadLetterQueue?: sqs.IQueue;
  /** The alarms created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The dashboard, unless switched off. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The SSM parameter name results are written to, when set. */
  public readonly resultsParameterName?: string;

  constructor(scope: Construct, id: string, props: PowerTunedFunctionProps = {}) {
    super(scope, id);
    const where = `PowerTunedFunction ${this.node.path}`;
    const defaults = resolveRunOptions(this, where, props, resolveDefaults(where, props));
    validateParameterName(where, props.resultsParameterName);
    const onDeployDelay = resolveOnDeployDelay(where, props);

    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'PowerTunedFunction',
      owner: this,
      template: POWER_TUNED_TEMPLATE,
      description: 'Function with a built-in power-tuning state machine (cdk-serverless-powertools PowerTunedFunction)',
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    this.asyncDeadLetterQueue = fn.asyncDeadLetterQueue;
    this.resultsParameterName = props.resultsParameterName;
    warnAboutRiskyChoices(this, props, defaults, fn.timeout);

    const tuner = buildTuner(new Construct(this, 'Tuner'), {
      constructName: 'PowerTunedFunction',
      target: fn.function,
      defaults,
      logRetention: props.logRetention ?? FUNCTION_DEFAULTS.logRetention,
      functionOptions: helperFunctionOptions(props),
      resultsParameterName: props.resultsParameterName,
      onDeployDelay,
      logExecutionData: props.logExecutionData ?? false,
    });
    this.stateMachine = tuner.stateMachine;
    grantRunOptions(this, tuner.functions[1].role, props);
    this.stateMachineLogGroup = tuner.logGroup;

    const starter = props.tuneOnDeploy ? this.addTuneOnDeploy(props) : undefined;
    this.tunerFunctions = [...tuner.functions, ...(starter ? [starter] : [])];

    const alarms = new AlarmFactory(this, props.monitoring);
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
    this.alarms = [...fn.alarms, ...this.tunerFunctions.flatMap((f) => f.alarms), ...alarms.alarms];

    this.dashboard = new DashboardBuilder(this, 'Dashboard', props.monitoring)
      .addRows(fn._dashboardRows)
      .addRow('Power tuner executions', tunerWidgets(this.stateMachine))
      .addRows(this.tunerFunctions.flatMap((f) => f._dashboardRows))
      .build();
  }

  /**
   * A custom resource keyed on the function's current version: CloudFormation updates it,
   * and so starts one execution, exactly when the function changed. Its handler only
   * calls StartExecution and answers, so the deployment waits seconds, not the tuning.
   */
  private addTuneOnDeploy(props: PowerTunedFunctionProps): PowertoolsFunction {
    const scope = new Construct(this, 'TuneOnDeploy');
    const starter = PowertoolsFunction._forPattern(scope, 'Starter', {
      ...helperFunctionOptions(props),
      handlerCode: HandlerCode.fromCode(templateCode(scope, TUNER_TEMPLATE.name), 'index.starter', TEMPLATE_RUNTIME),
      memorySizeMb: TUNER_FUNCTION_MEMORY_MB,
      timeout: STARTER_TIMEOUT,
    }, {
      constructName: 'PowerTunedFunction',
      template: TUNER_TEMPLATE,
      description: 'Power tuner: starts a tuning run after a deployment changed the function',
      syncOnlyReason: 'Invoked by CloudFormation as a custom resource; the handler always answers CloudFormation itself, so a failure shows in the deployment.',
      dashboardTitle: 'Tuner function Starter',
    });
    this.stateMachine.grantStartExecution(starter.role);
    // Versions published by each deployment would pile up; the tuner never needs old ones.
    const version = this.function.currentVersion;
    version.applyRemovalPolicy(RemovalPolicy.DESTROY);
    new CustomResource(scope, 'Trigger', {
      serviceToken: starter.function.functionArn,
      resourceType: 'Custom::PowerTuningOnDeploy',
      properties: { StateMachineArn: this.stateMachine.stateMachineArn, FunctionVersion: version.version },
    });
    return starter;
  }
}

const DEFAULT_ON_DEPLOY_DELAY = Duration.minutes(5);

/** The starter only calls StartExecution and answers CloudFormation. */
const STARTER_TIMEOUT = Duration.seconds(30);

/** The bundled template of the tuned function: `assets/power-tuned`. */
const POWER_TUNED_TEMPLATE: TemplateRef = { name: 'power-tuned', wrapExport: 'wrapPowerTuned', entry: HANDLE_ENTRY };

/** The construct prop that sets each tuning field, so an error blames the prop the user wrote. */
const PROP_OF_FIELD: Record<keyof TuningConfig, keyof PowerTunedFunctionProps> = {
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

function resolveDefaults(where: string, props: PowerTunedFunctionProps): TuningConfig {
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
function resolveOnDeployDelay(where: string, props: PowerTunedFunctionProps): Duration | undefined {
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

function warnAboutRiskyChoices(scope: Construct, props: PowerTunedFunctionProps, config: TuningConfig, timeout: Duration): void {
  if (props.balancedWeight !== undefined && config.strategy !== TuningStrategy.BALANCED) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:balancedWeightUnused',
      `balancedWeight only applies to TuningStrategy.BALANCED; the strategy is ${config.strategy}.`,
    );
  }
  if (!timeout.isUnresolved() && !config.parallelInvocation && timeout.toSeconds() * config.num > 14 * 60) {
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
