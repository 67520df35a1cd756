import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PowerTuner, TuningOptions } from './power-tuner';
import { memoryFromLastTuning } from './tuning-result-lookup';
import { HANDLE_ENTRY } from '../core/contract/entry';
import { DashboardBuilder } from '../core/dashboard-builder';
import { AsyncInvocationOptions, PowertoolsFunctionOptions } from '../core/function-options';
import { TemplateRef } from '../core/handler-code';
import { PowertoolsFunction } from '../core/powertools-function';


/**
 * Props of a PowerTunedFunction: the function's (as PowertoolsFunction's) and the tuning
 * props (as PowerTuner's), which are the defaults of every tuning run.
 */
export interface PowerTunedFunctionProps extends PowertoolsFunctionOptions, AsyncInvocationOptions, TuningOptions {
  /**
   * Take the function's memory from the last tuning result in `resultsParameterName`,
   * through a CDK context lookup at synth time. The CLI caches the value in
   * cdk.context.json, so a new recommendation arrives as a reviewed diff of that file;
   * `memorySizeMb` applies until a run has written a result. Needs `resultsParameterName`
   * and a stack with a concrete `env`.
   *
   * @default false
   */
  readonly memorySizeFromTuningResult?: boolean;
}

/**
 * A Lambda function with its own AWS Lambda Power Tuning state machine: a
 * PowertoolsFunction and a PowerTuner of it. Start an execution (input `{}` uses the
 * props) and read the recommendation from its output; apply it by setting `memorySizeMb`
 * in code, so CloudFormation stays the source of truth.
 */
export class PowerTunedFunction extends Construct {
  /** The tuned function and everything created with it (alias, async DLQ, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The tuner of the function. */
  public readonly tuner: PowerTuner;
  /** The function being tuned. */
  public readonly function: lambda.Function;
  /** The tuner's own functions (initializer, publisher, executor, cleaner, analyzer, and the on-deploy starter), with their roles, log groups and alarms. */
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
    const tunedMemory = props.memorySizeFromTuningResult
      ? memoryFromLastTuning(this, `PowerTunedFunction ${this.node.path}`, props.resultsParameterName)
      : undefined;
    const fn = PowertoolsFunction._forPattern(this, 'Handler', { ...props, memorySizeMb: tunedMemory ?? props.memorySizeMb }, {
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

    this.tuner = PowerTuner._forPowerTunedFunction(this, 'Tuner', { ...props, function: fn.function, tunerFunctionOptions: props }, {
      constructName: 'PowerTunedFunction',
      targetTimeout: fn.timeout,
      ownDashboard: false,
      ownsFunction: true,
    });
    this.stateMachine = this.tuner.stateMachine;
    this.stateMachineLogGroup = this.tuner.stateMachineLogGroup;
    this.tunerFunctions = this.tuner.tunerFunctions;
    this.alarms = [...fn.alarms, ...this.tuner.alarms];
    this.dashboard = new DashboardBuilder(this, 'Dashboard', props.monitoring)
      .addRows(fn._dashboardRows)
      .addRows(this.tuner._dashboardRows)
      .build();
  }
}

/** The bundled template of the tuned function: `assets/power-tuned`. */
const POWER_TUNED_TEMPLATE: TemplateRef = { name: 'power-tuned', wrapExport: 'wrapPowerTuned', entry: HANDLE_ENTRY };
