import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ALARM_PERIOD, AlarmFactory } from './alarm-factory';

/**
 * The standard Lambda alarms: any error, any throttle, and p99 duration above a fraction
 * of the timeout (the function is about to time out).
 * @internal
 */
export function addLambdaAlarms(alarms: AlarmFactory, fn: lambda.Function, timeout: Duration): void {
  const timeoutFraction = alarms.durationTimeoutFraction;
  alarms.add('Errors', {
    metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 0,
    description: `${fn.node.path}: the function reported errors in the last 5 minutes.`,
  });
  alarms.add('Throttles', {
    metric: fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 0,
    description: `${fn.node.path}: invocations were throttled in the last 5 minutes (concurrency limit reached).`,
  });
  if (timeout.isUnresolved()) {
    // The threshold is a fraction of the timeout, which is unknown until deployment.
    Annotations.of(fn).addWarningV2(
      'cdk-serverless-powertools:durationAlarmNeedsConcreteTimeout',
      'The p99 duration alarm was not created because the function timeout is a token; give a concrete `timeout` to get it.',
    );
    return;
  }
  const thresholdMs = Math.floor(timeout.toMilliseconds() * timeoutFraction);
  alarms.add('DurationP99', {
    metric: fn.metricDuration({ period: ALARM_PERIOD, statistic: 'p99' }),
    threshold: thresholdMs,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    description: `${fn.node.path}: p99 duration above ${thresholdMs} ms (${Math.round(timeoutFraction * 100)}% of the ${timeout.toSeconds()} s timeout).`,
  });
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
