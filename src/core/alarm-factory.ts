import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmAction, AlarmTarget } from './alarm-action';
import { MonitoringOptions } from './monitoring-options';
import { uniqueName } from './naming';

/** How urgent an alarm is: critical alarms page, warnings open a ticket. @internal */
export enum AlarmSeverity {
  CRITICAL = 'critical',
  WARNING = 'warning',
}

/** One alarm to create. @internal */
export interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly severity: AlarmSeverity;
  /**
   * Every alarm states what missing data means, because the right answer differs: no
   * invocations means no errors, but a missing heartbeat can mean an outage.
   */
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/**
 * Creates alarms with collision-safe names and the action of their severity (ALARM and OK,
 * so incidents close), or nothing at all when alarms are switched off. Metric definitions
 * stay with the constructs; this only turns them into alarms.
 * @internal
 */
export class AlarmFactory {
  public readonly alarms: cloudwatch.AlarmBase[] = [];
  public readonly enabled: boolean;
  private readonly targets: Record<AlarmSeverity, AlarmTarget>;

  constructor(private readonly scope: Construct, options: MonitoringOptions = {}) {
    this.enabled = options.alarms ?? true;
    const fallback = options.alarmAction ?? AlarmAction.stackTopic();
    this.targets = this.enabled
      ? {
        [AlarmSeverity.CRITICAL]: (options.criticalAlarmAction ?? fallback)._bind(scope),
        [AlarmSeverity.WARNING]: (options.warningAlarmAction ?? fallback)._bind(scope),
      }
      : { [AlarmSeverity.CRITICAL]: {}, [AlarmSeverity.WARNING]: {} };
  }

  public add(id: string, spec: AlarmSpec): cloudwatch.Alarm | undefined {
    if (!this.enabled) return undefined;
    const alarm = new cloudwatch.Alarm(this.scope, `${id}Alarm`, {
      alarmName: uniqueName(this.scope, id),
      alarmDescription: `[${spec.severity}] ${spec.description}`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
    });
    this.register(alarm, spec.severity);
    return alarm;
  }

  /** Adds the severity's actions to an alarm made elsewhere (e.g. a composite) and tracks it. */
  public register(alarm: cloudwatch.AlarmBase, severity: AlarmSeverity): void {
    const action = this.targets[severity].action;
    if (action) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}

/** Standard 5-minute period used by every alarm of this library. */
export const ALARM_PERIOD = Duration.minutes(5);
