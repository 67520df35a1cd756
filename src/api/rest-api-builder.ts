import { Annotations, Duration, IResource, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { restAccessLogFormat } from './access-log-format';
import { AccountCloudWatchRole } from './account-cloudwatch-role';
import { ApiAuthorization, RestAuthorization } from './api-authorization';
import { ApiCorsOptions, ApiRoute } from './observable-api-props';
import { StageMetrics } from './stage-metrics';
import { uniqueName } from '../core/naming';

/** Everything the REST builder needs, already defaulted and validated. @internal */
export interface RestApiSettings {
  readonly fn: lambda.IFunction;
  readonly description: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly authorization: ApiAuthorization;
  readonly cors?: ApiCorsOptions;
  readonly stageName: string;
  readonly throttlingRatePerSecond: number;
  readonly throttlingBurstLimit: number;
  readonly executionLogLevel: apigateway.MethodLoggingLevel;
  readonly manageAccountCloudWatchRole: boolean;
  readonly integrationTimeout: Duration;
  readonly detailedMetrics: boolean;
  readonly webAclArn?: string;
}

/** Warning id for REST API logging without a managed account-level role. */
export const ACCOUNT_ROLE_WARNING = 'cdk-serverless-powertools:apiAccountCloudWatchRole';

export const DEFAULT_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent'];

/**
 * A REGIONAL REST API whose root and `{proxy+}` resources send every method to the
 * function, plus the stage settings, request validator and nag acknowledgements.
 * @internal
 */
export class RestApiBuilder {
  public readonly api: apigateway.RestApi;
  public readonly stage: StageMetrics;
  private readonly auth: RestAuthorization;
  private readonly validator: apigateway.RequestValidator;

  constructor(private readonly scope: Construct, private readonly s: RestApiSettings) {
    this.auth = s.authorization._bindRest(scope);
    this.api = new apigateway.RestApi(scope, 'RestApi', {
      restApiName: uniqueName(scope, 'Api'),
      description: s.description,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
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
      },
      defaultCorsPreflightOptions: s.cors ? restCors(s.cors) : undefined,
    });
    // Validates body and parameters wherever a method declares a model or required parameters.
    this.validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integration = new apigateway.LambdaIntegration(s.fn, { timeout: s.integrationTimeout });
    this.addMethod(this.api.root, 'ANY', integration);
    const proxy = this.api.root.addResource('{proxy+}');
    this.addMethod(proxy, 'ANY', integration);

    const stage = this.api.deploymentStage;
    this.stage = stage;
    this.configureAccountRole(stage);
    this.configureWaf(stage);
  }

  public get resource(): IResource {
    return this.api;
  }

  public get url(): string {
    return this.api.url;
  }

  public addRoute(route: ApiRoute, index: number): void {
    const resource = this.api.root.resourceForPath(route.path);
    const integration = new apigateway.LambdaIntegration(route.handler, { timeout: this.s.integrationTimeout });
    const requestModels = route.requestBodySchema
      ? {
        'application/json': this.api.addModel(`Route${index}Model`, {
          contentType: 'application/json',
          schema: route.requestBodySchema,
        }),
      }
      : undefined;
    const requestParameters = route.requiredQueryParameters?.length
      ? Object.fromEntries(route.requiredQueryParameters.map((name) => [`method.request.querystring.${name}`, true]))
      : undefined;
    for (const method of route.methods ?? ['ANY']) {
      this.addMethod(resource, method.toUpperCase(), integration, { requestModels, requestParameters });
    }
  }

  private addMethod(
    resource: apigateway.IResource,
    httpMethod: string,
    integration: apigateway.Integration,
    extra: Pick<apigateway.MethodOptions, 'requestModels' | 'requestParameters'> = {},
  ): void {
    const method = resource.addMethod(httpMethod, integration, {
      authorizationType: this.auth.authorizationType,
      authorizer: this.auth.authorizer,
      authorizationScopes: this.auth.authorizationScopes,
      requestValidator: this.validator,
      ...extra,
    });
    const kind = this.s.authorization.kind;
    // COG4 asks for Cognito on every method. IAM and Lambda authorizers are equally valid
    // authorization (APIG4 still checks that there is one); with none, both findings stay.
    if (kind === 'IAM' || kind === 'LAMBDA') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: `The method is authorized with ${kind === 'IAM' ? 'IAM (SigV4-signed requests)' : 'a Lambda authorizer'}, chosen explicitly through ObservableApi's authorization prop.`,
      });
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
