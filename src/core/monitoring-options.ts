import { AlarmAction } from './alarm-action';
import { DashboardPlacement } from './dashboard-placement';

/**
 * Alarm and dashboard settings shared by every construct of this library.
 *
 * Alarms have a severity. Critical alarms (error rate, dead-letter queue depth, oldest
 * message age, stream iterator age, API 5XX rate, and composite alarms) mean users are
 * affected now and should page. Warnings (error and throttle counts, duration, latency,
 * concurrency, table throttles, tuner runs) should open a ticket. When a construct creates
 * a composite alarm, its children become warnings, so one incident pages once.
 */
export interface MonitoringOptions {
  /**
   * Where alarms send notifications (ALARM and OK), for both severities unless
   * `criticalAlarmAction` or `warningAlarmAction` says otherwise.
   *
   * @default AlarmAction.stackTopic() - one encrypted topic per stack, shared by all constructs of this library
   */
  readonly alarmAction?: AlarmAction;

  /**
   * Where critical alarms (the ones that should page) send notifications.
   *
   * @default - `alarmAction`
   */
  readonly criticalAlarmAction?: AlarmAction;

  /**
   * Where warning alarms (the ones that should open a ticket) send notifications.
   *
   * @default - `alarmAction`
   */
  readonly warningAlarmAction?: AlarmAction;

  /**
   * Create the construct's alarms. Set to false to opt out entirely.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Create the construct's dashboard widgets. Set to false to opt out.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Which dashboard the construct's rows go on.
   *
   * @default DashboardPlacement.own() - a dashboard per construct
   */
  readonly dashboardPlacement?: DashboardPlacement;

  /**
   * The function's error-rate alarm fires above this percentage of invocations failing
   * over 5 minutes (greater than 0, at most 100).
   *
   * @default 1
   */
  readonly errorRateThresholdPercent?: number;

  /**
   * Rate and percentile alarms stay OK in a 5-minute period with fewer samples (invocations,
   * requests) than this, so one failed request at low traffic does not page. Whole number,
   * at least 1.
   *
   * @default 10
   */
  readonly minimumSampleCount?: number;

  /**
   * The p99 duration alarm fires above this fraction of the function timeout.
   * Must be greater than 0 and at most 1.
   *
   * @default 0.8
   */
  readonly durationAlarmTimeoutFraction?: number;

  /**
   * The p90 duration alarm (an early warning) fires above this fraction of the function
   * timeout. Greater than 0 and at most `durationAlarmTimeoutFraction`.
   *
   * @default 0.5
   */
  readonly durationP90AlarmTimeoutFraction?: number;
}
