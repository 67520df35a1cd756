import { Annotations, Duration, IResource, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { restAccessLogFormat } from './access-log-format';
import { AccountCloudWatchRole } from './account-cloudwatch-role';
import { ApiAuthorization, RestAuthorization } from './api-authorization';
import { AuthorizationBinder, routeScopes } from './authorization-binder';
import { addRestCustomDomain } from './custom-domain';
import { ApiCanaryOptions, ApiCorsOptions, ApiCustomDomainOptions, ApiRoute } from './observable-api-props';
import { StageMetrics } from './stage-metrics';
import { uniqueName } from '../core/naming';

/** Everything the REST builder needs, already defaulted and validated. @internal */
export interface RestApiSettings {
  readonly fn: lambda.IFunction;
  readonly description: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly authorization: ApiAuthorization;
  readonly allowUnauthenticatedAccess: boolean;
  readonly routes: ApiRoute[];
  readonly cors?: ApiCorsOptions;
  readonly stageName: string;
  readonly throttlingRatePerSecond: number;
  readonly throttlingBurstLimit: number;
  readonly executionLogLevel: apigateway.MethodLoggingLevel;
  readonly manageAccountCloudWatchRole: boolean;
  readonly integrationTimeout: Duration;
  readonly detailedMetrics: boolean;
  readonly webAclArn?: string;
  readonly endpointType: apigateway.EndpointType;
  readonly vpcEndpoints?: ec2.IInterfaceVpcEndpoint[];
  readonly customDomain?: ApiCustomDomainOptions;
  readonly stageVariables?: { [name: string]: string };
  readonly canary?: ApiCanaryOptions;
  readonly apiKeyRequired: boolean;
}

/** Warning id for REST API logging without a managed account-level role. */
export const ACCOUNT_ROLE_WARNING = 'cdk-serverless-powertools:apiAccountCloudWatchRole';

export const DEFAULT_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent'];

/**
 * A REST API whose root and `{proxy+}` resources send every method to the function, plus
 * explicit routes, the stage settings, request validator, custom domain and nag acknowledgements.
 * @internal
 */
export class RestApiBuilder {
  public readonly api: apigateway.RestApi;
  public readonly stage: StageMetrics;
  public readonly domain?: apigateway.DomainName;
  /** Every method by `METHOD /path`, for per-method usage-plan throttles. */
  public readonly methods = new Map<string, apigateway.Method>();
  private readonly auth: AuthorizationBinder<RestAuthorization>;
  private readonly validator: apigateway.RequestValidator;
  private readonly integrations = new Map<lambda.IFunction, apigateway.LambdaIntegration>();

  constructor(private readonly scope: Construct, private readonly s: RestApiSettings) {
    this.auth = new AuthorizationBinder(s.authorization, routeScopes(s.authorization, s.routes),
      (auth, options) => auth._bindRest(scope, options));
    const isPrivate = s.endpointType === apigateway.EndpointType.PRIVATE;
    this.api = new apigateway.RestApi(scope, 'RestApi', {
      restApiName: uniqueName(scope, 'Api'),
      description: s.description,
      endpointConfiguration: { types: [s.endpointType], vpcEndpoints: isPrivate ? s.vpcEndpoints : undefined },
      policy: isPrivate ? privateApiPolicy(s.vpcEndpoints!) : undefined,
      disableExecuteApiEndpoint: s.customDomain?.disableExecuteApiEndpoint || undefined,
      // Never let CDK create or replace the account-level role behind the user's back.
      cloudWatchRole: false,
      deployOptions: {
        stageName: s.stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(s.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(restAccessLogFormat()),
        tracingEnabled: true,
        throttlingRateLimit: s.throttlingRatePerSecond,
        throttlingBurstLimit: s.throttlingBurstLimit,
        metricsEnabled: s.detailedMetrics,
        loggingLevel: s.executionLogLevel,
        // Data tracing would copy request and response bodies (personal data, secrets) into logs.
        dataTraceEnabled: false,
        variables: s.stageVariables,
      },
      defaultCorsPreflightOptions: s.cors ? restCors(s.cors) : undefined,
    });
    // Validates body and parameters wherever a method declares a model or required parameters.
    this.validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    if (s.cors) addCorsGatewayResponses(this.api, s.cors);

    const integration = this.integrationFor(s.fn);
    this.addMethod(this.api.root, 'ANY', integration, s.authorization);
    const proxy = this.api.root.addResource('{proxy+}');
    this.addMethod(proxy, 'ANY', integration, s.authorization);

    const stage = this.api.deploymentStage;
    this.stage = stage;
    this.configureAccountRole(stage);
    this.configureWaf(stage);
    if (s.canary) {
      // aws-cdk-lib's Stage has no canary option; the canary serves the stage's own deployment.
      (stage.node.defaultChild as apigateway.CfnStage).canarySetting = {
        deploymentId: this.api.latestDeployment!.deploymentId,
        percentTraffic: s.canary.percentTraffic,
        stageVariableOverrides: s.canary.stageVariableOverrides,
        useStageCache: s.canary.useStageCache ?? false,
      };
    }
    if (s.customDomain) this.domain = addRestCustomDomain(scope, this.api, s.customDomain, s.endpointType);
  }

  public get resource(): IResource {
    return this.api;
  }

  public get url(): string {
    return this.api.url;
  }

  public addRoute(route: ApiRoute, index: number): void {
    const resource = this.api.root.resourceForPath(route.path);
    const integration = this.integrationFor(route.handler ?? this.s.fn);
    const requestModels = route.requestBodySchema
      ? {
        'application/json': this.api.addModel(`Route${index}Model`, {
          contentType: 'application/json',
          schema: route.requestBodySchema,
        }),
      }
      : undefined;
    const required = [
      ...(route.requiredQueryParameters ?? []).map((name) => `method.request.querystring.${name}`),
      ...(route.requiredHeaders ?? []).map((name) => `method.request.header.${name}`),
    ];
    const requestParameters = required.length ? Object.fromEntries(required.map((p) => [p, true])) : undefined;
    for (const method of route.methods ?? ['ANY']) {
      this.addMethod(resource, method.toUpperCase(), integration, route.authorization ?? this.s.authorization, {
        requestModels,
        requestParameters,
        authorizationScopes: route.authorizationScopes,
      });
    }
  }

  /** One integration per function, each with the explicit timeout checked against the function's. */
  private integrationFor(fn: lambda.IFunction): apigateway.LambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new apigateway.LambdaIntegration(fn, { timeout: this.s.integrationTimeout });
      this.integrations.set(fn, integration);
    }
    return integration;
  }

  private addMethod(
    resource: apigateway.IResource,
    httpMethod: string,
    integration: apigateway.Integration,
    authorization: ApiAuthorization,
    extra: Pick<apigateway.MethodOptions, 'requestModels' | 'requestParameters' | 'authorizationScopes'> = {},
  ): void {
    const auth = this.auth.bind(authorization);
    const method = resource.addMethod(httpMethod, integration, {
      authorizationType: auth.authorizationType,
      authorizer: auth.authorizer,
      requestValidator: this.validator,
      apiKeyRequired: this.s.apiKeyRequired || undefined,
      ...extra,
      authorizationScopes: extra.authorizationScopes ?? auth.authorizationScopes,
    });
    this.methods.set(`${httpMethod} ${resource.path}`, method);
    const kind = authorization.kind;
    // COG4 asks for Cognito on every method. IAM and Lambda authorizers are equally valid
    // authorization (APIG4 still checks that there is one).
    if (kind === 'IAM' || kind === 'LAMBDA' || kind === 'LAMBDA_TOKEN') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: `The method is authorized with ${kind === 'IAM' ? 'IAM (SigV4-signed requests)' : 'a Lambda authorizer'}, chosen explicitly through ObservableApi's authorization prop.`,
      });
    }
    if (kind === 'NONE' && this.s.allowUnauthenticatedAccess) {
      const reason = 'The method is public on purpose: ObservableApi was given ApiAuthorization.none() for it together with allowUnauthenticatedAccess: true.';
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
    }
  }

  private configureAccountRole(stage: apigateway.Stage): void {
    if (this.s.manageAccountCloudWatchRole) {
      stage.node.addDependency(AccountCloudWatchRole.of(this.scope).account);
      return;
    }
    Annotations.of(this.scope).addWarningV2(
      ACCOUNT_ROLE_WARNING,
      'The REST API stage writes access logs' +
        (this.s.executionLogLevel === apigateway.MethodLoggingLevel.OFF ? '' : ' and execution logs') +
        ', which need the account-level API Gateway CloudWatch role (AWS::ApiGateway::Account). ' +
        'This construct does not manage it, so the stage deploys only where that role is already set for the account and region. ' +
        'Set manageAccountCloudWatchRole: true in exactly one stack per account and region, or set the role outside CDK.',
    );
  }

  private configureWaf(stage: apigateway.Stage): void {
    if (this.s.webAclArn) {
      new wafv2.CfnWebACLAssociation(this.scope, 'WebAclAssociation', {
        resourceArn: stage.stageArn,
        webAclArn: this.s.webAclArn,
      });
      return;
    }
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAF web ACL is an account-specific choice (rules, cost) that a construct cannot make for you; ' +
        'pass webAclArn to associate your regional web ACL with this stage.',
    });
  }
}

/** Only calls through the given interface VPC endpoints reach a PRIVATE API. */
function privateApiPolicy(endpoints: ec2.IInterfaceVpcEndpoint[]): iam.PolicyDocument {
  const ids = endpoints.map((e) => e.vpcEndpointId);
  const statement = (effect: iam.Effect, operator: string) => new iam.PolicyStatement({
    effect,
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    conditions: { [operator]: { 'aws:SourceVpce': ids } },
  });
  // The explicit deny wins over any allow, so no other principal policy can open the API.
  return new iam.PolicyDocument({ statements: [statement(iam.Effect.DENY, 'StringNotEquals'), statement(iam.Effect.ALLOW, 'StringEquals')] });
}

/**
 * API Gateway answers some requests itself (401/403 from an authorizer, 400 from the
 * validator, 429, 504); without CORS headers on those, a browser shows a CORS error instead
 * of the real status. One origin is sent as is; with several, the request's Origin is
 * echoed (these bodies are API Gateway's generic messages, so nothing of the API leaks).
 */
function addCorsGatewayResponses(api: apigateway.RestApi, cors: ApiCorsOptions): void {
  const origins = cors.allowOrigins;
  const single = origins.length === 1;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': single ? `'${origins[0]}'` : 'method.request.header.Origin',
    'Access-Control-Allow-Headers': `'${(cors.allowHeaders ?? DEFAULT_CORS_HEADERS).join(',')}'`,
  };
  if (!single || origins[0] !== '*') headers.Vary = "'Origin'";
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
  if (cors.exposeHeaders?.length) headers['Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
  api.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders: headers });
  api.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders: headers });
}

function restCors(cors: ApiCorsOptions): apigateway.CorsOptions {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods ?? apigateway.Cors.ALL_METHODS,
    allowHeaders: cors.allowHeaders ?? DEFAULT_CORS_HEADERS,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? Duration.hours(1),
  };
}
