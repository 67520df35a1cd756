import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A metric the templates emit as EMF through Powertools Metrics: the namespace is
 * `POWERTOOLS_METRICS_NAMESPACE` and the only dimension is `service`
 * (`POWERTOOLS_SERVICE_NAME`).
 * @internal
 */
export function emfMetric(
  namespace: string,
  service: string,
  metricName: string,
  options: { label?: string; period?: Duration; statistic?: string } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { service },
    statistic: options.statistic ?? 'Sum',
    period: options.period ?? Duration.minutes(1),
    label: options.label ?? metricName,
  });
}
