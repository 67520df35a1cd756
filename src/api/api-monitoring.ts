import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiKind } from './api-kind';
import { ORDER_CREATED_METRIC } from './contract';
import { ApiMonitoringOptions } from './observable-api-props';
import { StageMetrics } from './stage-metrics';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity, AlarmSpec } from '../core/alarm-factory';
import { DashboardBuilder } from '../core/dashboard-builder';
import { emfMetric } from '../core/emf-metric';
import { addLambdaAlarms, FUNCTION_ALARM_DEFAULTS, lambdaWidgets } from '../core/lambda-monitoring';
import { MonitoringOptions } from '../core/monitoring-options';
import { uniqueName } from '../core/naming';
import { PowertoolsFunction } from '../core/powertools-function';

/** Defaults of `ApiMonitoringOptions`. @internal */
export const API_MONITORING_DEFAULTS = {
  serverErrorRateThresholdPercent: 1,
  /** Fraction of the integration timeout: p90 above half of it is an early warning. */
  latencyP90TimeoutFraction: 0.5,
  /** Fraction of the integration timeout: p99 above it means requests are about to 504. */
  latencyP99TimeoutFraction: 0.8,
  /** Fraction of reserved concurrency, or of the default account limit of 1000. */
  concurrencyFraction: 0.8,
  accountConcurrencyLimit: 1000,
  compositeAlarm: false,
};

/** What the API's monitoring needs. @internal */
export interface ApiMonitoringSettings {
  readonly kind: ApiKind;
  readonly stage: StageMetrics;
  readonly fn: PowertoolsFunction;
  readonly integrationTimeout: Duration;
  readonly apiMonitoring: ApiMonitoringOptions;
  readonly reservedConcurrentExecutions?: number;
  readonly monitoring?: MonitoringOptions;
  readonly routeFunctions: lambda.IFunction[];
}

/** The API's alarm thresholds, from the props or their defaults. */
interface ResolvedThresholds {
  readonly serverErrorRatePercent: number;
  readonly clientErrorRatePercent?: number;
  readonly latencyP90: Duration;
  readonly latencyP99: Duration;
  readonly integrationLatencyP99: Duration;
  readonly lowTrafficRequestsPerHour?: number;
  readonly concurrentExecutions: number;
  readonly minimumSampleCount: number;
  readonly businessMetricNames: string[];
}

function resolveThresholds(s: ApiMonitoringSettings): ResolvedThresholds {
  const m = s.apiMonitoring;
  const d = API_MONITORING_DEFAULTS;
  // A token timeout cannot be scaled at synth; the REST maximum is the safe basis.
  const timeoutMs = s.integrationTimeout.isUnresolved() ? Duration.seconds(29).toMilliseconds() : s.integrationTimeout.toMilliseconds();
  const reserved = s.reservedConcurrentExecutions;
  const concurrencyBasis = reserved === undefined || Token.isUnresolved(reserved) || reserved === 0 ? d.accountConcurrencyLimit : reserved;
  return {
    serverErrorRatePercent: m.serverErrorRateThresholdPercent ?? d.serverErrorRateThresholdPercent,
    clientErrorRatePercent: m.clientErrorRateThresholdPercent,
    latencyP90: m.latencyP90Threshold ?? Duration.millis(Math.floor(timeoutMs * d.latencyP90TimeoutFraction)),
    latencyP99: m.latencyP99Threshold ?? Duration.millis(Math.floor(timeoutMs * d.latencyP99TimeoutFraction)),
    integrationLatencyP99: m.integrationLatencyP99Threshold ?? Duration.millis(Math.floor(timeoutMs * d.latencyP99TimeoutFraction)),
    lowTrafficRequestsPerHour: m.lowTrafficRequestsPerHour,
    concurrentExecutions: m.concurrentExecutionsThreshold ?? Math.max(1, Math.floor(concurrencyBasis * d.concurrencyFraction)),
    minimumSampleCount: s.monitoring?.minimumSampleCount ?? FUNCTION_ALARM_DEFAULTS.minimumSampleCount,
    businessMetricNames: m.businessMetricNames ?? (s.fn._code.kind === 'template' ? [ORDER_CREATED_METRIC] : []),
  };
}

/**
 * The API's alarms and its two dashboards. The high-level one answers "is it healthy?"
 * (availability, traffic, p99, business metrics); the low-level one answers "why not?"
 * (per-function errors, durations, throttles, cold starts, 4XX/5XX and latency breakdown).
 * The function's own alarms come with it; route functions get the same set here.
 * @internal
 */
export function addApiMonitoring(scope: Construct, alarms: AlarmFactory, s: ApiMonitoringSettings): cloudwatch.Dashboard[] {
  const t = resolveThresholds(s);
  const composite = (s.apiMonitoring.compositeAlarm ?? API_MONITORING_DEFAULTS.compositeAlarm) && alarms.enabled;
  // With a composite, it pages and its children open tickets, so one incident pages once.
  const childSeverity = composite ? AlarmSeverity.WARNING : AlarmSeverity.CRITICAL;
  const notBreaching = cloudwatch.TreatMissingData.NOT_BREACHING;
  const rate = (errors: cloudwatch.IMetric, label: string) => errorRate(errors, s.stage, ALARM_PERIOD, label, t.minimumSampleCount);
  const serverErrorAlarm = alarms.add('ServerErrorRate', {
    metric: rate(s.stage.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }), '5XX rate (%)'),
    threshold: t.serverErrorRatePercent,
    severity: childSeverity,
    // No requests means no failed requests.
    treatMissingData: notBreaching,
    description: `${scope.node.path}: more than ${t.serverErrorRatePercent}% of requests failed with a 5XX in the last 5 minutes (periods with fewer than ${t.minimumSampleCount} requests are ignored).`,
  });
  if (t.clientErrorRatePercent !== undefined) {
    alarms.add('ClientErrorRate', {
      metric: rate(s.stage.metricClientError({ period: ALARM_PERIOD, statistic: 'Sum' }), '4XX rate (%)'),
      threshold: t.clientErrorRatePercent,
      severity: AlarmSeverity.WARNING,
      treatMissingData: notBreaching,
      description: `${scope.node.path}: more than ${t.clientErrorRatePercent}% of requests failed with a 4XX in the last 5 minutes.`,
    });
  }
  const latency = (props: cloudwatch.MetricOptions) => s.stage.metricLatency(props);
  alarms.add('LatencyP90', latencySpec(scope, s.stage, latency, 'p90', t.latencyP90, t.minimumSampleCount, AlarmSeverity.WARNING));
  const p99Alarm = alarms.add('LatencyP99', latencySpec(scope, s.stage, latency, 'p99', t.latencyP99, t.minimumSampleCount, childSeverity));
  if (s.kind.isHttp) {
    // HTTP APIs report the function's share of latency apart; it is what nears the integration timeout.
    const integration = (props: cloudwatch.MetricOptions) => s.stage.metricIntegrationLatency(props);
    alarms.add('IntegrationLatencyP99', latencySpec(scope, s.stage, integration, 'p99', t.integrationLatencyP99, t.minimumSampleCount, AlarmSeverity.WARNING, 'Integration latency'));
  }
  if (t.lowTrafficRequestsPerHour !== undefined) {
    const hour = Duration.hours(1);
    alarms.add('LowTraffic', {
      metric: s.stage.metricCount({ period: hour, statistic: 'Sum' }),
      threshold: t.lowTrafficRequestsPerHour,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      severity: AlarmSeverity.WARNING,
      // No data is no traffic: exactly what this alarm is for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `${scope.node.path}: fewer than ${t.lowTrafficRequestsPerHour} requests in the last hour (clients, DNS or an upstream may be broken).`,
    });
  }
  const fn = s.fn.function;
  alarms.add('ConcurrentExecutions', {
    metric: fn.metric('ConcurrentExecutions', { period: ALARM_PERIOD, statistic: 'Maximum' }),
    threshold: t.concurrentExecutions,
    severity: AlarmSeverity.WARNING,
    treatMissingData: notBreaching,
    description: `${fn.node.path}: more than ${t.concurrentExecutions} concurrent executions; throttling is near.`,
  });
  s.routeFunctions.forEach((routeFn, i) =>
    addLambdaAlarms(alarms, routeFn, { monitoring: s.monitoring, idPrefix: `Route${i + 1}`, timeout: timeoutOf(routeFn) }),
  );

  if (composite) {
    const children = [serverErrorAlarm, p99Alarm, s.fn._lambdaAlarms.errorRate].filter((a): a is cloudwatch.Alarm => a !== undefined);
    const unhealthy = new cloudwatch.CompositeAlarm(scope, 'UnhealthyAlarm', {
      compositeAlarmName: uniqueName(scope, 'Unhealthy'),
      alarmDescription: `[${AlarmSeverity.CRITICAL}] ${scope.node.path}: the API is unhealthy (5XX rate, p99 latency or function error rate are in alarm).`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...children.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
    });
    alarms.register(unhealthy, AlarmSeverity.CRITICAL);
  }

  return [highLevelDashboard(scope, s, t), lowLevelDashboard(scope, s)].filter((d): d is cloudwatch.Dashboard => d !== undefined);
}

/** The timeout of a function defined in the app; unknown for imported ones. */
function timeoutOf(fn: lambda.IFunction): Duration | undefined {
  return fn instanceof lambda.Function ? fn.timeout : undefined;
}

function errorRate(errors: cloudwatch.IMetric, stage: StageMetrics, period: Duration, label: string, minimumSamples = 1): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${minimumSamples}, 100 * errors / requests, 0)`,
    usingMetrics: { errors, requests: stage.metricCount({ period, statistic: 'Sum' }) },
    period,
    label,
  });
}

function latencySpec(
  scope: Construct,
  stage: StageMetrics,
  latency: (props: cloudwatch.MetricOptions) => cloudwatch.IMetric,
  statistic: string,
  threshold: Duration,
  minimumSamples: number,
  severity: AlarmSeverity,
  what = 'Latency',
): AlarmSpec {
  const ms = threshold.toMilliseconds();
  return {
    metric: new cloudwatch.MathExpression({
      expression: `IF(requests >= ${minimumSamples}, latency, 0)`,
      usingMetrics: {
        latency: latency({ period: ALARM_PERIOD, statistic }),
        requests: stage.metricCount({ period: ALARM_PERIOD, statistic: 'Sum' }),
      },
      period: ALARM_PERIOD,
      label: `${what} ${statistic} (ms)`,
    }),
    threshold: ms,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    severity,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    description: `${scope.node.path}: ${statistic} ${what.toLowerCase()} above ${ms} ms in 2 of the last 3 five-minute periods (periods with fewer than ${minimumSamples} requests are ignored).`,
  };
}

function highLevelDashboard(scope: Construct, s: ApiMonitoringSettings, t: ResolvedThresholds): cloudwatch.Dashboard | undefined {
  const period = Duration.minutes(1);
  const rate = errorRate(s.stage.metricServerError({ period, statistic: 'Sum' }), s.stage, period, '5XX rate (%)');
  const builder = new DashboardBuilder(scope, 'HighLevelDashboard', s.monitoring).addRow('API health', [
    new cloudwatch.GraphWidget({
      title: 'Availability and 5XX rate (%)',
      left: [
        new cloudwatch.MathExpression({ expression: '100 - rate', usingMetrics: { rate }, period, label: 'Availability (%)' }),
        rate,
      ],
      leftAnnotations: [{ value: t.serverErrorRatePercent, label: '5XX alarm threshold', color: '#d62728' }],
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
      leftAnnotations: [{ value: t.latencyP99.toMilliseconds(), label: 'p99 alarm threshold', color: '#d62728' }],
      width: 8,
    }),
  ]);
  if (t.businessMetricNames.length > 0) {
    builder.addRow('Business metrics (EMF)', [
      new cloudwatch.GraphWidget({
        title: `Business metrics (${s.fn.metricsNamespace})`,
        left: t.businessMetricNames.map((name) => emfMetric(s.fn.metricsNamespace, s.fn.serviceName, name, { period })),
        width: 24,
      }),
    ]);
  }
  return builder.build();
}

function lowLevelDashboard(scope: Construct, s: ApiMonitoringSettings): cloudwatch.Dashboard | undefined {
  const period = Duration.minutes(1);
  const fn = s.fn.function;
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
        // A Function URL has no gateway: the function's own duration stands in for integration latency.
        title: s.kind.isFunctionUrl ? 'URL request latency and function duration (ms)' : 'Latency and integration latency (ms)',
        left: [
          ...['p50', 'p90', 'p99'].map((statistic) => s.stage.metricLatency({ period, statistic, label: `latency ${statistic}` })),
          ...['p50', 'p99'].map((statistic) => s.stage.metricIntegrationLatency({ period, statistic, label: `${s.kind.isFunctionUrl ? 'duration' : 'integration'} ${statistic}` })),
        ],
        width: 12,
      }),
    ])
    .addRow('Function', [
      ...lambdaWidgets(fn, 'Function'),
      new cloudwatch.GraphWidget({
        title: 'Function: cold starts (EMF) and concurrency',
        left: [
          // Powertools adds function_name to the ColdStart metric's dimensions.
          emfMetric(s.fn.metricsNamespace, s.fn.serviceName, 'ColdStart', { period, label: 'Cold starts' }).with({
            dimensionsMap: { service: s.fn.serviceName, function_name: fn.functionName },
          }),
        ],
        right: [fn.metric('ConcurrentExecutions', { period, statistic: 'Maximum', label: 'Concurrent executions' })],
        width: 24,
      }),
    ]);
  s.routeFunctions.forEach((routeFn, i) => builder.addRow(`Route function ${i + 1}`, lambdaWidgets(routeFn, `Route function ${i + 1}`)));
  return builder.build();
}
