import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmAction } from './alarm-action';
import { MonitoringOptions } from './monitoring-options';
import { uniqueName } from './naming';

/** One alarm to create. @internal */
export interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * Creates alarms with collision-safe names and the configured action, or nothing at
 * all when alarms are switched off. Metric definitions stay with the constructs; this
 * only turns them into alarms.
 * @internal
 */
export class AlarmFactory {
  public readonly alarms: cloudwatch.IAlarm[] = [];
  public readonly enabled: boolean;
  /** The p99 duration alarm fires above this fraction of the function timeout. */
  public readonly durationTimeoutFraction: number;
  /** The topic alarms go to, when there is one. */
  public readonly topic?: sns.ITopic;
  private readonly action?: cloudwatch.IAlarmAction;

  constructor(private readonly scope: Construct, options: MonitoringOptions = {}) {
    this.enabled = options.alarms ?? true;
    this.durationTimeoutFraction = options.durationAlarmTimeoutFraction ?? DEFAULT_DURATION_TIMEOUT_FRACTION;
    if (this.enabled) {
      const target = (options.alarmAction ?? AlarmAction.stackTopic())._bind(scope);
      this.action = target.action;
      this.topic = target.topic;
    }
  }

  public add(id: string, spec: AlarmSpec): cloudwatch.Alarm | undefined {
    if (!this.enabled) return undefined;
    const alarm = new cloudwatch.Alarm(this.scope, `${id}Alarm`, {
      alarmName: uniqueName(this.scope, id),
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.register(alarm);
    return alarm;
  }

  /** Adds the configured action to an alarm made elsewhere (e.g. a composite) and tracks it. */
  public register(alarm: cloudwatch.AlarmBase): void {
    if (this.action) alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}

/** Default of `MonitoringOptions.durationAlarmTimeoutFraction`. */
export const DEFAULT_DURATION_TIMEOUT_FRACTION = 0.8;

/** Standard 5-minute period used by every alarm of this library. */
export const ALARM_PERIOD = Duration.minutes(5);
