import { CfnOutput, Duration, IResource, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpAccessLogFormat } from './access-log-format';
import { ApiAuthorization, HttpAuthorization } from './api-authorization';
import { AuthorizationBinder, routeScopes } from './authorization-binder';
import { addHttpCustomDomain } from './custom-domain';
import { ApiCorsOptions, ApiCustomDomainOptions, ApiRoute } from './observable-api-props';
import { DEFAULT_CORS_HEADERS } from './rest-api-builder';
import { StageMetrics } from './stage-metrics';
import { uniqueName } from '../core/naming';

/** Everything the HTTP builder needs, already defaulted and validated. @internal */
export interface HttpApiSettings {
  readonly fn: lambda.IFunction;
  readonly description: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly authorization: ApiAuthorization;
  readonly allowUnauthenticatedAccess: boolean;
  readonly routes: ApiRoute[];
  readonly cors?: ApiCorsOptions;
  readonly throttlingRatePerSecond: number;
  readonly throttlingBurstLimit: number;
  readonly integrationTimeout: Duration;
  readonly detailedMetrics: boolean;
  readonly customDomain?: ApiCustomDomainOptions;
  readonly stageVariables?: { [name: string]: string };
}

/**
 * An HTTP API whose `$default` route sends everything to the function, on an auto-deployed
 * `$default` stage (so request paths carry no stage prefix) with access logs and throttling.
 * @internal
 */
export class HttpApiBuilder {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage & StageMetrics;
  public readonly domain?: apigwv2.DomainName;
  private readonly auth: AuthorizationBinder<HttpAuthorization>;
  private readonly integrations = new Map<lambda.IFunction, integrations.HttpLambdaIntegration>();

  constructor(scope: Construct, private readonly s: HttpApiSettings) {
    this.auth = new AuthorizationBinder(s.authorization, routeScopes(s.authorization, s.routes),
      (auth, options) => auth._bindHttp(scope, options));
    const auth = this.auth.bind(s.authorization);
    this.api = new apigwv2.HttpApi(scope, 'HttpApi', {
      apiName: uniqueName(scope, 'Api'),
      description: s.description,
      createDefaultStage: false,
      defaultIntegration: this.integrationFor(s.fn),
      defaultAuthorizer: auth.authorizer,
      defaultAuthorizationScopes: auth.authorizationScopes,
      corsPreflight: s.cors ? httpCors(s.cors) : undefined,
      disableExecuteApiEndpoint: s.customDomain?.disableExecuteApiEndpoint || undefined,
    });
    this.stage = new apigwv2.HttpStage(scope, 'HttpStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: s.throttlingRatePerSecond, burstLimit: s.throttlingBurstLimit },
      detailedMetricsEnabled: s.detailedMetrics,
      stageVariables: s.stageVariables,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(s.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(httpAccessLogFormat()),
      },
    });
    // The same output a REST API has, so scripts find either kind's URL the same way.
    new CfnOutput(this.api, 'Endpoint', { value: this.stage.url, description: `${scope.node.path}: the HTTP API's invoke URL` });
    this.acknowledgePublicRoutes(s.authorization);
    if (s.customDomain) this.domain = addHttpCustomDomain(scope, this.api, this.stage, s.customDomain);
  }

  public get resource(): IResource {
    return this.api;
  }

  public get url(): string {
    return this.stage.url;
  }

  public addRoute(route: ApiRoute, _index: number): void {
    const authorization = route.authorization ?? this.s.authorization;
    const auth = this.auth.bind(authorization);
    const methods = (route.methods ?? ['ANY']).map((m) => apigwv2.HttpMethod[m.toUpperCase() as keyof typeof apigwv2.HttpMethod]);
    this.api.addRoutes({
      path: route.path,
      methods,
      integration: this.integrationFor(route.handler ?? this.s.fn),
      authorizer: auth.authorizer,
      authorizationScopes: route.authorizationScopes ?? auth.authorizationScopes,
    });
    this.acknowledgePublicRoutes(authorization);
  }

  /** One integration per function, each with the explicit timeout checked against the function's. */
  private integrationFor(fn: lambda.IFunction): integrations.HttpLambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new integrations.HttpLambdaIntegration(`${this.integrations.size === 0 ? 'Default' : `Route${this.integrations.size}`}Integration`, fn, {
        timeout: this.s.integrationTimeout,
      });
      this.integrations.set(fn, integration);
    }
    return integration;
  }

  private acknowledgePublicRoutes(authorization: ApiAuthorization): void {
    if (authorization.kind !== 'NONE' || !this.s.allowUnauthenticatedAccess) return;
    for (const route of this.api.node.findAll().filter((c): c is apigwv2.CfnRoute => c instanceof apigwv2.CfnRoute)) {
      if (route.authorizationType !== 'NONE' && route.authorizationType !== undefined) continue;
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The route is public on purpose: ObservableApi was given ApiAuthorization.none() for it together with allowUnauthenticatedAccess: true.',
      });
    }
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
