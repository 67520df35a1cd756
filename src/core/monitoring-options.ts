import { AlarmAction } from './alarm-action';

/**
 * Alarm and dashboard settings shared by every construct of this library.
 */
export interface MonitoringOptions {
  /**
   * Where alarms send notifications.
   *
   * @default AlarmAction.stackTopic() - one encrypted topic per stack, shared by all constructs of this library
   */
  readonly alarmAction?: AlarmAction;

  /**
   * Create the construct's alarms. Set to false to opt out entirely.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Create the construct's CloudWatch dashboard. Set to false to opt out.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The p99 duration alarm fires above this fraction of the function timeout.
   * Must be greater than 0 and at most 1.
   *
   * @default 0.8
   */
  readonly durationAlarmTimeoutFraction?: number;
}
