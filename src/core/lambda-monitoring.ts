import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from './alarm-factory';
import { MonitoringOptions } from './monitoring-options';

/** Defaults of the function alarms' `MonitoringOptions`. @internal */
export const FUNCTION_ALARM_DEFAULTS = {
  errorRateThresholdPercent: 1,
  minimumSampleCount: 10,
  durationP99TimeoutFraction: 0.8,
  durationP90TimeoutFraction: 0.5,
};

/** The alarms of one function, by what they watch. @internal */
export interface LambdaAlarms {
  readonly errors?: cloudwatch.Alarm;
  readonly errorRate?: cloudwatch.Alarm;
  readonly throttles?: cloudwatch.Alarm;
  readonly durationP90?: cloudwatch.Alarm;
  readonly durationP99?: cloudwatch.Alarm;
}

/** How a function's alarms are made. @internal */
export interface LambdaAlarmOptions {
  readonly monitoring?: MonitoringOptions;
  /** The function's timeout, for duration thresholds; unknown for functions made elsewhere. */
  readonly timeout?: Duration;
  /** The error-rate alarm feeds a composite alarm that pages instead of it. */
  readonly errorRateFeedsComposite?: boolean;
  /** Prefix of the alarm ids, for several functions in one scope. */
  readonly idPrefix?: string;
}

/**
 * The alarms AWS's serverless guidance asks of every function: error rate above a
 * threshold (critical), the error count beside it, throttles, and p90 (early warning) and
 * p99 duration against the timeout. Rate and percentile alarms only evaluate periods with
 * at least `minimumSampleCount` invocations, so a single failure at low traffic does not
 * page. Missing data is not breaching: a function that is not invoked has no errors.
 * @internal
 */
export function addLambdaAlarms(alarms: AlarmFactory, fn: lambda.IFunction, options: LambdaAlarmOptions = {}): LambdaAlarms {
  const m = options.monitoring ?? {};
  const d = FUNCTION_ALARM_DEFAULTS;
  const minSamples = m.minimumSampleCount ?? d.minimumSampleCount;
  const ratePercent = m.errorRateThresholdPercent ?? d.errorRateThresholdPercent;
  const id = (name: string) => `${options.idPrefix ?? ''}${name}`;
  const notBreaching = cloudwatch.TreatMissingData.NOT_BREACHING;
  const invocations = fn.metricInvocations({ period: ALARM_PERIOD, statistic: 'Sum' });

  const errors = alarms.add(id('Errors'), {
    metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 0,
    severity: AlarmSeverity.WARNING,
    treatMissingData: notBreaching,
    description: `${fn.node.path}: the function reported errors in the last 5 minutes.`,
  });
  const errorRate = alarms.add(id('ErrorRate'), {
    metric: new cloudwatch.MathExpression({
      expression: `IF(invocations >= ${minSamples}, 100 * errors / invocations, 0)`,
      usingMetrics: { errors: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }), invocations },
      period: ALARM_PERIOD,
      label: 'Error rate (%)',
    }),
    threshold: ratePercent,
    severity: options.errorRateFeedsComposite ? AlarmSeverity.WARNING : AlarmSeverity.CRITICAL,
    treatMissingData: notBreaching,
    description: `${fn.node.path}: more than ${ratePercent}% of invocations failed in the last 5 minutes (periods with fewer than ${minSamples} invocations are ignored).`,
  });
  const throttles = alarms.add(id('Throttles'), {
    metric: fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 0,
    severity: AlarmSeverity.WARNING,
    treatMissingData: notBreaching,
    description: `${fn.node.path}: invocations were throttled in the last 5 minutes (concurrency limit reached).`,
  });

  const timeout = options.timeout;
  if (!timeout) return { errors, errorRate, throttles };
  if (timeout.isUnresolved()) {
    // The thresholds are fractions of the timeout, which is unknown until deployment.
    Annotations.of(fn).addWarningV2(
      'cdk-serverless-powertools:durationAlarmNeedsConcreteTimeout',
      'The duration alarms were not created because the function timeout is a token; give a concrete `timeout` to get them.',
    );
    return { errors, errorRate, throttles };
  }
  const durationAlarm = (statistic: 'p90' | 'p99', fraction: number) => {
    const thresholdMs = Math.floor(timeout.toMilliseconds() * fraction);
    return alarms.add(id(`Duration${statistic.toUpperCase()}`), {
      metric: new cloudwatch.MathExpression({
        expression: `IF(invocations >= ${minSamples}, duration, 0)`,
        usingMetrics: { duration: fn.metricDuration({ period: ALARM_PERIOD, statistic }), invocations },
        period: ALARM_PERIOD,
        label: `Duration ${statistic} (ms)`,
      }),
      threshold: thresholdMs,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      severity: AlarmSeverity.WARNING,
      treatMissingData: notBreaching,
      description: `${fn.node.path}: ${statistic} duration above ${thresholdMs} ms (${Math.round(fraction * 100)}% of the ${timeout.toSeconds()} s timeout) in 2 of 3 periods.`,
    });
  };
  return {
    errors,
    errorRate,
    throttles,
    durationP90: durationAlarm('p90', m.durationP90AlarmTimeoutFraction ?? d.durationP90TimeoutFraction),
    durationP99: durationAlarm('p99', m.durationAlarmTimeoutFraction ?? d.durationP99TimeoutFraction),
  };
}

/** Dashboard widgets for one function: invocations/errors/throttles and duration percentiles. @internal */
export function lambdaWidgets(fn: lambda.IFunction, title = 'Function'): cloudwatch.IWidget[] {
  const period = Duration.minutes(1);
  return [
    new cloudwatch.GraphWidget({
      title: `${title}: invocations, errors, throttles`,
      left: [
        fn.metricInvocations({ period, statistic: 'Sum' }),
        fn.metricErrors({ period, statistic: 'Sum' }),
        fn.metricThrottles({ period, statistic: 'Sum' }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: `${title}: duration p50/p90/p99`,
      left: ['p50', 'p90', 'p99'].map((statistic) => fn.metricDuration({ period, statistic, label: statistic })),
      width: 12,
    }),
  ];
}
