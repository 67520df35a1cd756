import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The metric methods REST (`apigateway.Stage`) and HTTP (`apigatewayv2.HttpStage`) stages share. @internal */
export interface StageMetrics {
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
