import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { StageMetrics } from './stage-metrics';
import { ALARM_PERIOD, AlarmFactory } from '../core/alarm-factory';
import { DashboardBuilder } from '../core/dashboard-builder';
import { emfMetric } from '../core/emf-metric';
import { addLambdaAlarms, lambdaWidgets } from '../core/lambda-monitoring';
import { MonitoringOptions } from '../core/monitoring-options';
import { uniqueName } from '../core/naming';

/** Resolved monitoring settings. @internal */
export interface ApiMonitoringSettings {
  readonly stage: StageMetrics;
  readonly fn: lambda.Function;
  readonly functionTimeout: Duration;
  readonly serverErrorRateThresholdPercent: number;
  readonly clientErrorRateThresholdPercent?: number;
  readonly latencyP90Threshold: Duration;
  readonly latencyP99Threshold: Duration;
  readonly concurrentExecutionsThreshold: number;
  readonly compositeAlarm: boolean;
  readonly monitoring?: MonitoringOptions;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly businessMetricNames: string[];
  readonly routeFunctions: lambda.IFunction[];
}

/**
 * The API's alarms and its two dashboards. The high-level one answers "is it healthy?"
 * (availability, traffic, p99, business metrics); the low-level one answers "why not?"
 * (per-function errors, durations, throttles, cold starts, 4XX/5XX and latency breakdown).
 * @internal
 */
export function addApiMonitoring(scope: Construct, alarms: AlarmFactory, s: ApiMonitoringSettings): cloudwatch.Dashboard[] {
  const serverErrorRate = errorRate(s.stage.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }), s.stage, ALARM_PERIOD, '5XX rate (%)');
  const serverErrorAlarm = alarms.add('ServerErrorRate', {
    metric: serverErrorRate,
    threshold: s.serverErrorRateThresholdPercent,
    description: `${scope.node.path}: more than ${s.serverErrorRateThresholdPercent}% of requests failed with a 5XX in the last 5 minutes.`,
  });
  if (s.clientErrorRateThresholdPercent !== undefined) {
    alarms.add('ClientErrorRate', {
      metric: errorRate(s.stage.metricClientError({ period: ALARM_PERIOD, statistic: 'Sum' }), s.stage, ALARM_PERIOD, '4XX rate (%)'),
      threshold: s.clientErrorRateThresholdPercent,
      description: `${scope.node.path}: more than ${s.clientErrorRateThresholdPercent}% of requests failed with a 4XX in the last 5 minutes.`,
    });
  }
  alarms.add('LatencyP90', latencySpec(scope, s.stage, 'p90', s.latencyP90Threshold));
  const p99Alarm = alarms.add('LatencyP99', latencySpec(scope, s.stage, 'p99', s.latencyP99Threshold));

  addLambdaAlarms(alarms, s.fn, s.functionTimeout);
  alarms.add('ConcurrentExecutions', {
    metric: s.fn.metric('ConcurrentExecutions', { period: ALARM_PERIOD, statistic: 'Maximum' }),
    threshold: s.concurrentExecutionsThreshold,
    description: `${s.fn.node.path}: more than ${s.concurrentExecutionsThreshold} concurrent executions; throttling is near.`,
  });

  if (s.compositeAlarm && alarms.enabled) {
    const errorsAlarm = alarms.alarms.find((a) => a.node.id === 'ErrorsAlarm');
    const children = [serverErrorAlarm, p99Alarm, errorsAlarm].filter((a): a is cloudwatch.Alarm => a !== undefined);
    const composite = new cloudwatch.CompositeAlarm(scope, 'UnhealthyAlarm', {
      compositeAlarmName: uniqueName(scope, 'Unhealthy'),
      alarmDescription: `${scope.node.path}: the API is unhealthy (5XX rate, p99 latency or function errors are in alarm).`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...children.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
    });
    alarms.register(composite);
  }

  return [highLevelDashboard(scope, s), lowLevelDashboard(scope, s)].filter((d): d is cloudwatch.Dashboard => d !== undefined);
}

function errorRate(errors: cloudwatch.IMetric, stage: StageMetrics, period: Duration, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, 100 * errors / requests, 0)',
    usingMetrics: { errors, requests: stage.metricCount({ period, statistic: 'Sum' }) },
    period,
    label,
  });
}

function latencySpec(scope: Construct, stage: StageMetrics, statistic: string, threshold: Duration) {
  const ms = threshold.toMilliseconds();
  return {
    metric: stage.metricLatency({ period: ALARM_PERIOD, statistic }),
    threshold: ms,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    description: `${scope.node.path}: ${statistic} latency above ${ms} ms in 2 of the last 3 five-minute periods.`,
  };
}

function highLevelDashboard(scope: Construct, s: ApiMonitoringSettings): cloudwatch.Dashboard | undefined {
  const period = Duration.minutes(1);
  const rate = errorRate(s.stage.metricServerError({ period, statistic: 'Sum' }), s.stage, period, '5XX rate (%)');
  const builder = new DashboardBuilder(scope, 'HighLevelDashboard', s.monitoring).addRow('API health', [
    new cloudwatch.GraphWidget({
      title: 'Availability and 5XX rate (%)',
      left: [
        new cloudwatch.MathExpression({ expression: '100 - rate', usingMetrics: { rate }, period, label: 'Availability (%)' }),
        rate,
      ],
      leftAnnotations: [{ value: s.serverErrorRateThresholdPercent, label: '5XX alarm threshold', color: '#d62728' }],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Requests',
      left: [s.stage.metricCount({ period, statistic: 'Sum', label: 'Requests' })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Latency p99 (ms)',
      left: [s.stage.metricLatency({ period, statistic: 'p99', label: 'p99' })],
      leftAnnotations: [{ value: s.latencyP99Threshold.toMilliseconds(), label: 'p99 alarm threshold', color: '#d62728' }],
      width: 8,
    }),
  ]);
  if (s.businessMetricNames.length > 0) {
    builder.addRow('Business metrics (EMF)', [
      new cloudwatch.GraphWidget({
        title: `Business metrics (${s.metricsNamespace})`,
        left: s.businessMetricNames.map((name) => emfMetric(s.metricsNamespace, s.serviceName, name, { period })),
        width: 24,
      }),
    ]);
  }
  return builder.build();
}

function lowLevelDashboard(scope: Construct, s: ApiMonitoringSettings): cloudwatch.Dashboard | undefined {
  const period = Duration.minutes(1);
  const builder = new DashboardBuilder(scope, 'LowLevelDashboard', s.monitoring)
    .addRow('API errors and latency', [
      new cloudwatch.GraphWidget({
        title: '4XX and 5XX',
        left: [
          s.stage.metricClientError({ period, statistic: 'Sum', label: '4XX' }),
          s.stage.metricServerError({ period, statistic: 'Sum', label: '5XX' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency and integration latency (ms)',
        left: [
          ...['p50', 'p90', 'p99'].map((statistic) => s.stage.metricLatency({ period, statistic, label: `latency ${statistic}` })),
          ...['p50', 'p99'].map((statistic) => s.stage.metricIntegrationLatency({ period, statistic, label: `integration ${statistic}` })),
        ],
        width: 12,
      }),
    ])
    .addRow('Function', [
      ...lambdaWidgets(s.fn, 'Function'),
      new cloudwatch.GraphWidget({
        title: 'Function: cold starts (EMF) and concurrency',
        left: [
          // Powertools adds function_name to the ColdStart metric's dimensions.
          emfMetric(s.metricsNamespace, s.serviceName, 'ColdStart', { period, label: 'Cold starts' }).with({
            dimensionsMap: { service: s.serviceName, function_name: s.fn.functionName },
          }),
        ],
        right: [s.fn.metric('ConcurrentExecutions', { period, statistic: 'Maximum', label: 'Concurrent executions' })],
        width: 24,
      }),
    ]);
  s.routeFunctions.forEach((fn, i) => builder.addRow(`Route function ${i + 1}`, lambdaWidgets(fn, `Route function ${i + 1}`)));
  return builder.build();
}
