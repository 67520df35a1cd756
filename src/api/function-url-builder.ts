import { Annotations, CfnOutput, Duration, IResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiAuthorization } from './api-authorization';
import { ApiCorsOptions } from './observable-api-props';
import { DEFAULT_CORS_HEADERS } from './rest-api-builder';
import { StageMetrics } from './stage-metrics';

/** Everything the Function URL builder needs, already defaulted and validated. @internal */
export interface FunctionUrlSettings {
  readonly fn: lambda.IFunction;
  readonly authorization: ApiAuthorization;
  readonly cors?: ApiCorsOptions;
  readonly responseStreaming: boolean;
}

/** Warning id of a Function URL anyone may call. */
export const PUBLIC_FUNCTION_URL_WARNING = 'cdk-serverless-powertools:apiPublicFunctionUrl';

/**
 * Lambda's URL metrics, standing in for API Gateway's: UrlRequestCount for Count,
 * Url4xxCount / Url5xxCount for 4XXError / 5XXError, UrlRequestLatency for Latency, and the
 * function's Duration for IntegrationLatency (there is no gateway in between).
 * @internal
 */
export class FunctionUrlMetrics implements StageMetrics {
  constructor(private readonly fn: lambda.IFunction) {}
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.fn.metric('UrlRequestCount', { statistic: 'Sum', ...props });
  }
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.fn.metric('Url5xxCount', { statistic: 'Sum', ...props });
  }
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.fn.metric('Url4xxCount', { statistic: 'Sum', ...props });
  }
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.fn.metric('UrlRequestLatency', props);
  }
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.fn.metricDuration(props);
  }
}

/**
 * A Function URL on the function (its alias when it has one): IAM auth unless the user
 * explicitly allowed public access, CORS, and BUFFERED or RESPONSE_STREAM invoke mode.
 * @internal
 */
export class FunctionUrlBuilder {
  public readonly functionUrl: lambda.FunctionUrl;
  public readonly stage: StageMetrics;

  constructor(scope: Construct, s: FunctionUrlSettings) {
    const isPublic = s.authorization.kind === 'NONE';
    this.functionUrl = new lambda.FunctionUrl(scope, 'FunctionUrl', {
      function: s.fn,
      authType: isPublic ? lambda.FunctionUrlAuthType.NONE : lambda.FunctionUrlAuthType.AWS_IAM,
      cors: s.cors ? urlCors(s.cors) : undefined,
      invokeMode: s.responseStreaming ? lambda.InvokeMode.RESPONSE_STREAM : lambda.InvokeMode.BUFFERED,
    });
    this.stage = new FunctionUrlMetrics(s.fn);
    new CfnOutput(this.functionUrl, 'Endpoint', { value: this.functionUrl.url, description: `${scope.node.path}: the Function URL` });
    if (isPublic) {
      Annotations.of(scope).addWarningV2(
        PUBLIC_FUNCTION_URL_WARNING,
        'The Function URL has no authorization (allowUnauthenticatedAccess: true): anyone who knows the URL can invoke the function, ' +
          'with no API Gateway throttling or WAF in front of it. Cap the cost with reservedConcurrentExecutions, or use ApiAuthorization.iam() behind CloudFront with origin access control.',
      );
    }
  }

  public get resource(): IResource {
    return this.functionUrl;
  }

  public get url(): string {
    return this.functionUrl.url;
  }
}

function urlCors(cors: ApiCorsOptions): lambda.FunctionUrlCorsOptions {
  const methods = cors.allowMethods?.map((m) => m.toUpperCase());
  return {
    allowedOrigins: cors.allowOrigins,
    allowedMethods: !methods || methods.includes('ANY') ? [lambda.HttpMethod.ALL] : methods.map((m) => lambda.HttpMethod[m as keyof typeof lambda.HttpMethod]),
    allowedHeaders: cors.allowHeaders ?? DEFAULT_CORS_HEADERS,
    exposedHeaders: cors.exposeHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? Duration.hours(1),
  };
}
