import { Duration, IResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpAccessLogFormat } from './access-log-format';
import { ApiAuthorization } from './api-authorization';
import { ApiCorsOptions, ApiRoute } from './observable-api-props';
import { DEFAULT_CORS_HEADERS } from './rest-api-builder';
import { StageMetrics } from './stage-metrics';
import { uniqueName } from '../core/naming';

/** Everything the HTTP builder needs, already defaulted and validated. @internal */
export interface HttpApiSettings {
  readonly fn: lambda.IFunction;
  readonly description: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly authorization: ApiAuthorization;
  readonly cors?: ApiCorsOptions;
  readonly throttlingRatePerSecond: number;
  readonly throttlingBurstLimit: number;
  readonly integrationTimeout: Duration;
  readonly detailedMetrics: boolean;
}

/**
 * An HTTP API whose `$default` route sends everything to the function, on an auto-deployed
 * `$default` stage (so request paths carry no stage prefix) with access logs and throttling.
 * @internal
 */
export class HttpApiBuilder {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage & StageMetrics;

  constructor(scope: Construct, private readonly s: HttpApiSettings) {
    const auth = s.authorization._bindHttp(scope);
    this.api = new apigwv2.HttpApi(scope, 'HttpApi', {
      apiName: uniqueName(scope, 'Api'),
      description: s.description,
      createDefaultStage: false,
      defaultIntegration: new integrations.HttpLambdaIntegration('DefaultIntegration', s.fn, { timeout: s.integrationTimeout }),
      defaultAuthorizer: auth.authorizer,
      defaultAuthorizationScopes: auth.authorizationScopes,
      corsPreflight: s.cors ? httpCors(s.cors) : undefined,
    });
    this.stage = new apigwv2.HttpStage(scope, 'HttpStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: s.throttlingRatePerSecond, burstLimit: s.throttlingBurstLimit },
      detailedMetricsEnabled: s.detailedMetrics,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(s.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(httpAccessLogFormat()),
      },
    });
  }

  public get resource(): IResource {
    return this.api;
  }

  public get url(): string {
    return this.stage.url;
  }

  public addRoute(route: ApiRoute, index: number): void {
    const integration = new integrations.HttpLambdaIntegration(`Route${index}Integration`, route.handler, {
      timeout: this.s.integrationTimeout,
    });
    const methods = (route.methods ?? ['ANY']).map((m) => apigwv2.HttpMethod[m.toUpperCase() as keyof typeof apigwv2.HttpMethod]);
    this.api.addRoutes({ path: route.path, methods, integration });
  }
}

function httpCors(cors: ApiCorsOptions): apigwv2.CorsPreflightOptions {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: (cors.allowMethods ?? ['ANY']).map((m) => apigwv2.CorsHttpMethod[m.toUpperCase() as keyof typeof apigwv2.CorsHttpMethod]),
    allowHeaders: cors.allowHeaders ?? DEFAULT_CORS_HEADERS,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? Duration.hours(1),
  };
}
