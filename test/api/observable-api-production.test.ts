import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization, ApiKind, ObservableApi, ObservableApiProps } from '../../src/api';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const REGIONAL_CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const EDGE_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';

type PropsOf = (stack: Stack) => ObservableApiProps;

function build(props: PropsOf, app: App = createTestApp(), stackId = 'Shop') {
  const stack = new Stack(app, stackId, { env: ENV });
  return { app, stack, api: new ObservableApi(stack, 'Api', props(stack)) };
}

function synth(props: PropsOf) {
  const built = build(props);
  return { ...built, template: Template.fromStack(built.stack) };
}

const cert = (stack: Stack, arn = REGIONAL_CERT) => acm.Certificate.fromCertificateArn(stack, `Cert${stack.node.children.length}`, arn);
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
const fnArn = (stack: Stack, name: string) => lambda.Function.fromFunctionArn(stack, `Fn${name}`, `arn:aws:lambda:eu-west-1:123456789012:function:${name}`);
const vpce = (stack: Stack) => ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 });

/** Every production feature, one stack each, in one app: one cdk-nag synth proves them all. */
const FEATURES: Record<string, PropsOf> = {
  CognitoAppClient: (stack) => ({
    apiKind: ApiKind.http(),
    // The pool is the user's (imported): its own cdk-nag findings are not this construct's.
    authorization: ApiAuthorization.cognito(cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123'), {
      scopes: ['orders/read'],
      appClient: { callbackUrls: ['https://app.example.com/callback'] },
    }),
  }),
  Jwt: () => ({
    apiKind: ApiKind.http(),
    authorization: ApiAuthorization.jwt('https://example.eu.auth0.com/', ['https://api.example.com'], { scopes: ['orders:read'] }),
    allowUnauthenticatedAccess: true,
    routes: [{ path: '/health', methods: ['GET'], authorization: ApiAuthorization.none() }],
  }),
  RestToken: (stack) => ({
    authorization: ApiAuthorization.lambdaTokenAuthorizer(fnArn(stack, 'auth'), { validationRegex: '^Bearer [-0-9a-zA-Z._]+$' }),
  }),
  RestPublicRoute: () => ({
    allowUnauthenticatedAccess: true,
    routes: [{ path: '/health', methods: ['GET'], authorization: ApiAuthorization.none() }],
  }),
  RestDomain: (stack) => ({
    customDomain: { domainName: 'api.example.com', certificate: cert(stack), hostedZone: zone(stack), basePath: 'orders', disableExecuteApiEndpoint: true },
  }),
  HttpDomain: (stack) => ({
    apiKind: ApiKind.http(),
    customDomain: { domainName: 'api.example.com', certificate: cert(stack), hostedZone: zone(stack), basePath: 'v1' },
  }),
  Edge: (stack) => ({ endpointType: apigateway.EndpointType.EDGE, customDomain: { domainName: 'edge.example.com', certificate: cert(stack, EDGE_CERT) } }),
  Private: (stack) => ({ endpointType: apigateway.EndpointType.PRIVATE, vpcEndpoints: [vpce(stack)] }),
  UsagePlans: () => ({
    usagePlans: [
      {
        name: 'free',
        rateLimitPerSecond: 5,
        burstLimit: 10,
        quotaRequests: 1000,
        quotaPeriod: apigateway.Period.DAY,
        methodThrottles: [{ path: '/orders', method: 'POST', rateLimitPerSecond: 1, burstLimit: 2 }],
        apiKeyNames: ['trial-customer'],
      },
    ],
    routes: [{ path: '/orders', methods: ['POST'], requestBodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['item'] } }],
  }),
  Validation: () => ({
    cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'] },
    stageVariables: { backendVersion: '2' },
    canary: { percentTraffic: 10, stageVariableOverrides: { backendVersion: '3' } },
    routes: [
      {
        path: '/orders',
        methods: ['POST'],
        requestBodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['item', 'quantity'], properties: { quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1 } } },
        requiredHeaders: ['Idempotency-Key'],
      },
    ],
  }),
  FunctionUrl: () => ({ apiKind: ApiKind.functionUrl(), cors: { allowOrigins: ['https://app.example.com'] } }),
  FunctionUrlStreaming: () => ({ apiKind: ApiKind.functionUrl(), responseStreaming: true, apiMonitoring: { lowTrafficRequestsPerHour: 10 } }),
};

describe('every production feature', () => {
  test('synthesizes cdk-nag clean (AwsSolutions + Serverless) with zero CloudFormation validation findings', () => {
    const app = createTestApp();
    for (const [name, props] of Object.entries(FEATURES)) build(props, app, name);
    expectNagClean(app);
  });
});

describe('Cognito', () => {
  test('an HTTP API never creates an app client in the user\'s pool unasked: without clients it fails and says how to fix it', () => {
    const stack = new Stack(new App(), 'Shop');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    expect(() => new ObservableApi(stack, 'Api', { apiKind: ApiKind.http(), authorization: ApiAuthorization.cognito(pool) })).toThrow(
      /invalid `authorization\.userPoolClients` \(got "none"\)\. An HTTP API accepts tokens of the app clients you list .*pass userPoolClients: \[client\], or appClient/,
    );
  });

  test('given clients, the audience is exactly them and no client is created', () => {
    const { template } = synth((stack) => ({
      apiKind: ApiKind.http(),
      authorization: ApiAuthorization.cognito(new cognito.UserPool(stack, 'Pool'), {
        userPoolClients: [cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', 'web-client-id')],
      }),
    }));
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Audience: ['web-client-id'], Issuer: Match.anyValue() } });
  });

  test('appClient creates one minimal client: code grant only, no implicit flow, no secret, the API\'s and routes\' scopes', () => {
    const { template } = synth((stack) => {
      const auth = ApiAuthorization.cognito(new cognito.UserPool(stack, 'Pool'), {
        scopes: ['orders/read'],
        appClient: { callbackUrls: ['https://app.example.com/callback'] },
      });
      return { apiKind: ApiKind.http(), authorization: auth, routes: [{ path: '/orders', methods: ['POST'], authorizationScopes: ['orders/write'] }] };
    });
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'orders/read', 'orders/write'],
      CallbackURLs: ['https://app.example.com/callback'],
      GenerateSecret: false,
    });
    const client = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0];
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Audience: [{ Ref: client }], Issuer: Match.anyValue() } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /orders', AuthorizationType: 'JWT', AuthorizationScopes: ['orders/write'] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'JWT', AuthorizationScopes: ['orders/read'] });
  });

  test('two HTTP APIs on one pool do not collide, each with its own client', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    const pool = new cognito.UserPool(stack, 'Pool');
    for (const id of ['Orders', 'Stock']) {
      new ObservableApi(stack, id, { apiKind: ApiKind.http(), authorization: ApiAuthorization.cognito(pool, { appClient: { callbackUrls: ['https://app.example.com/cb'] } }) });
    }
    const web = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', 'web');
    new ObservableApi(stack, 'Billing', { apiKind: ApiKind.http(), authorization: ApiAuthorization.cognito(pool, { userPoolClients: [web] }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 3);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolClient')).every((id) => /^(Orders|Stock)CognitoAppClient/.test(id))).toBe(true);
  });

  test('appClient on a REST API fails (REST accepts every client of the pool)', () => {
    const stack = new Stack(new App(), 'Shop');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    expect(() => new ObservableApi(stack, 'Api', { authorization: ApiAuthorization.cognito(pool, { appClient: { callbackUrls: ['https://a.example.com'] } }) })).toThrow(
      /invalid `authorization\.appClient` \(got "set"\)\. A REST API accepts tokens of every client/,
    );
  });
});

describe('outputs and alarms', () => {
  test('the HTTP API has the same URL output as the REST API', () => {
    const rest = synth(() => ({})).template.toJSON().Outputs;
    const http = synth(() => ({ apiKind: ApiKind.http() })).template.toJSON().Outputs;
    expect(Object.keys(rest)).toEqual([expect.stringMatching(/^ApiRestApiEndpoint/)]);
    expect(Object.keys(http)).toEqual([expect.stringMatching(/^ApiHttpApiEndpoint/)]);
    expect(JSON.stringify(http)).toContain('.execute-api.');
  });

  test('5XX rate alarm carries the core\'s minimum-sample guard, which follows monitoring.minimumSampleCount', () => {
    const { template } = synth(() => ({ apiKind: ApiKind.http(), monitoring: { minimumSampleCount: 50 } }));
    expect(alarmNamed(template, 'Api-ServerErrorRate').expression).toBe('IF(requests >= 50, 100 * errors / requests, 0)');
    expect(alarmNamed(template, 'Api-Handler-ErrorRate').expression).toBe('IF(invocations >= 50, 100 * errors / invocations, 0)');
  });

  test('HTTP APIs get a p99 integration latency alarm at 80% of the integration timeout; REST APIs do not', () => {
    const http = synth(() => ({ apiKind: ApiKind.http(), integrationTimeout: Duration.seconds(5), timeout: Duration.seconds(5) })).template;
    const alarm = alarmNamed(http, 'Api-IntegrationLatencyP99');
    expect(alarm.properties.Threshold).toBe(4000);
    expect(alarm.metricNames.sort()).toEqual(['Count', 'IntegrationLatency']);
    expect(alarm.expression).toBe('IF(requests >= 10, latency, 0)');
    const custom = synth(() => ({ apiKind: ApiKind.http(), apiMonitoring: { integrationLatencyP99Threshold: Duration.seconds(2) } })).template;
    expect(alarmNamed(custom, 'Api-IntegrationLatencyP99').properties.Threshold).toBe(2000);
    expect(alarmsOf(synth(() => ({})).template).some((a) => a.metricNames.includes('IntegrationLatency'))).toBe(false);
  });

  test('optional low-traffic alarm: fewer requests than the floor in an hour, missing data breaching', () => {
    const { template } = synth(() => ({ apiMonitoring: { lowTrafficRequestsPerHour: 20 } }));
    const alarm = alarmNamed(template, 'Api-LowTraffic');
    expect(alarm.properties).toMatchObject({ MetricName: 'Count', Statistic: 'Sum', Period: 3600, Threshold: 20, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    expect(alarm.properties.AlarmDescription).toMatch(/^\[warning\]/);
    expect(alarmsOf(synth(() => ({})).template).some((a) => a.properties.AlarmName.endsWith('LowTraffic'))).toBe(false);
  });
});

describe('authorization', () => {
  test('HTTP JWT authorizer: issuer, audience and scopes; a public route beside private ones', () => {
    const { template } = synth(FEATURES.Jwt);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://example.eu.auth0.com/', Audience: ['https://api.example.com'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'JWT', AuthorizationScopes: ['orders:read'] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'NONE' });
  });

  test('REST TOKEN authorizer beside REQUEST', () => {
    const { template } = synth(FEATURES.RestToken);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$',
      AuthorizerResultTtlInSeconds: 300,
    });
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM' }, 2);
  });

  test('REST per-route authorization: a public GET /health, IAM everywhere else (the default stays IAM)', () => {
    const { template } = synth(FEATURES.RestPublicRoute);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    expect(methods.filter((m) => m.AuthorizationType === 'NONE').map((m) => m.HttpMethod)).toEqual(['GET']);
    expect(methods.filter((m) => m.AuthorizationType === 'AWS_IAM')).toHaveLength(2);
    // the public route goes to the API's own function
    const health = methods.find((m) => m.AuthorizationType === 'NONE');
    expect(JSON.stringify(health.Integration.Uri)).toContain('ApiHandlerFunction');
  });

  test('routes with different authorizers get one authorizer each, with ids that do not collide', () => {
    const { template } = synth((stack) => {
      const partner = ApiAuthorization.lambdaAuthorizer(fnArn(stack, 'partner'));
      return {
        authorization: ApiAuthorization.lambdaTokenAuthorizer(fnArn(stack, 'auth')),
        routes: [
          { path: '/partners', handler: fnArn(stack, 'partners'), authorization: partner },
          { path: '/partners/{id}', handler: fnArn(stack, 'partners2'), authorization: partner },
        ],
      };
    });
    const types = Object.values(template.findResources('AWS::ApiGateway::Authorizer')).map((a: any) => a.Properties.Type).sort();
    expect(types).toEqual(['REQUEST', 'TOKEN']);
  });
});

describe('custom domains and endpoint types', () => {
  test('REST: REGIONAL domain with TLS 1.2, base path mapping, Route 53 alias, execute-api endpoint off, url on the domain', () => {
    const { api, template } = synth(FEATURES.RestDomain);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      RegionalCertificateArn: REGIONAL_CERT,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'orders', Stage: { Ref: Match.stringLikeRegexp('ApiRestApiDeploymentStageprod') } });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABC', AliasTarget: Match.anyValue() });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    expect(api.url).toBe('https://api.example.com/orders/');
    expect(api.restDomainName).toBeInstanceOf(apigateway.DomainName);
    expect(JSON.stringify(template.toJSON().Outputs)).toContain('https://api.example.com/orders/');
  });

  test('HTTP: domain with TLS 1.2 and an API mapping with the base path', () => {
    const { api, template } = synth(FEATURES.HttpDomain);
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: REGIONAL_CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' })],
    });
    template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: { ApiId: Match.anyValue(), DomainName: Match.anyValue(), ApiMappingKey: 'v1', Stage: '$default' },
      DependsOn: [Match.stringLikeRegexp('^ApiHttpStage')],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A' });
    expect(api.httpDomainName).toBeDefined();
    expect(api.url).toBe('https://api.example.com/v1/');
  });

  test('EDGE: the API and its domain are edge-optimized with the us-east-1 certificate', () => {
    const { template } = synth(FEATURES.Edge);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['EDGE'] } });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { CertificateArn: EDGE_CERT, EndpointConfiguration: { Types: ['EDGE'] }, SecurityPolicy: 'TLS_1_2' });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: Match.absent() });
  });

  test('PRIVATE: the interface endpoint on the API, and a resource policy that allows only it', () => {
    const { template } = synth(FEATURES.Private);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0123456789abcdef0'] },
      Policy: {
        Statement: [
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } } },
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } } },
        ],
        Version: '2012-10-17',
      },
    });
  });
});

describe('usage plans and API keys (REST)', () => {
  test('a named plan with throttle, quota and a per-method throttle; every method needs a key; key values never in the template', () => {
    const { api, template } = synth(FEATURES.UsagePlans);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'Shop-Api-free',
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Throttle: { '/orders/POST': { RateLimit: 1, BurstLimit: 2 } } })],
    });
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'Shop-Api-trial-customer', Enabled: true, Value: Match.absent() });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    expect(methods.filter((m) => m.HttpMethod !== 'OPTIONS').every((m) => m.ApiKeyRequired === true)).toBe(true);
    const outputs = JSON.stringify(template.toJSON().Outputs ?? {});
    expect(outputs).not.toMatch(/ApiKey/);
    expect(api.usagePlans).toHaveLength(1);
    expect(api.apiKeys).toHaveLength(1);
  });

  test('an imported key is attached to its plan as it is', () => {
    const { template } = synth((stack) => ({ usagePlans: [{ name: 'partner', apiKeys: [apigateway.ApiKey.fromApiKeyId(stack, 'Key', 'abc123key')] }] }));
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyId: 'abc123key', KeyType: 'API_KEY' });
  });

  test('a throttle for a method the API does not have fails and lists the methods', () => {
    const stack = new Stack(new App(), 'Shop');
    expect(() => new ObservableApi(stack, 'Api', { usagePlans: [{ name: 'free', methodThrottles: [{ path: '/nope', method: 'GET', rateLimitPerSecond: 1, burstLimit: 1 }] }] })).toThrow(
      /invalid `usagePlans\[free\]\.methodThrottles\[\]` \(got "GET \/nope"\)\. No such method on this API; use one of: ANY \/, ANY \/\{proxy\+\}/,
    );
  });
});

describe('request validation, CORS on API Gateway\'s own errors, stage options', () => {
  test('a route to the API\'s own function with a JSON schema model and a required header: rejected before the function', () => {
    const { template } = synth(FEATURES.Validation);
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ required: ['item', 'quantity'], properties: { quantity: { type: 'integer', minimum: 1 } } }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('Route0Model') } },
      RequestParameters: { 'method.request.header.Idempotency-Key': true },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('RequestValidator') },
      Integration: Match.objectLike({ TimeoutInMillis: 10000, Uri: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiHandlerFunction'), 'Arn'] }])]) }) }),
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('DEFAULT_4XX and DEFAULT_5XX gateway responses carry the CORS headers (several origins: the request\'s Origin, with Vary)', () => {
    const { template } = synth(FEATURES.Validation);
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
          'gatewayresponse.header.Access-Control-Allow-Headers': Match.stringLikeRegexp('^\'Content-Type,.*Authorization'),
          'gatewayresponse.header.Vary': "'Origin'",
        },
      });
    }
    const single = synth(() => ({ cors: { allowOrigins: ['*'] } })).template;
    single.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.Vary': Match.absent() }),
    });
    synth(() => ({})).template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });

  test('a REST canary: a share of traffic on the stage\'s deployment with overridden stage variables', () => {
    const { template } = synth(FEATURES.Validation);
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.Properties.CanarySetting).toEqual({
      DeploymentId: stage.Properties.DeploymentId,
      PercentTraffic: 10,
      StageVariableOverrides: { backendVersion: '3' },
      UseStageCache: false,
    });
    expect(stage.Properties.DeploymentId).toEqual({ Ref: expect.stringMatching(/^ApiRestApiDeployment/) });
    synth(() => ({})).template.hasResourceProperties('AWS::ApiGateway::Stage', { CanarySetting: Match.absent() });
  });

  test('stage variables on REST and HTTP stages', () => {
    synth(FEATURES.Validation).template.hasResourceProperties('AWS::ApiGateway::Stage', { Variables: { backendVersion: '2' } });
    synth(() => ({ apiKind: ApiKind.http(), stageVariables: { backendVersion: '3' } })).template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageVariables: { backendVersion: '3' } });
  });

  test('every integration has the explicit timeout; a route function that outlives it gets a warning', () => {
    const { template, stack } = synth((s) => ({
      integrationTimeout: Duration.seconds(5),
      timeout: Duration.seconds(5),
      routes: [{ path: '/slow', handler: new lambda.Function(s, 'Slow', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>({})'), timeout: Duration.seconds(20) }) }],
    }));
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    expect(methods.map((m) => m.Integration.TimeoutInMillis)).toEqual([5000, 5000, 5000]);
    expect(Annotations.fromStack(stack).findWarning('/Shop/Api', Match.stringLikeRegexp('route /slow has a timeout \\(20 seconds\\) longer than the integration timeout \\(5 seconds\\)'))).toHaveLength(1);
  });
});

describe('ApiKind.functionUrl()', () => {
  test('IAM auth and buffered by default, CORS, an output, no API Gateway and no access log group', () => {
    const { api, template } = synth(FEATURES.FunctionUrl);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      InvokeMode: 'BUFFERED',
      Cors: Match.objectLike({ AllowOrigins: ['https://app.example.com'], AllowMethods: ['*'], AllowCredentials: false, MaxAge: 3600 }),
    });
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    expect(Object.keys(template.toJSON().Outputs)).toEqual([expect.stringMatching(/^ApiFunctionUrlEndpoint/)]);
    expect(api.accessLogGroup).toBeUndefined();
    expect(api.functionUrl).toBeInstanceOf(lambda.FunctionUrl);
    expect(api.integrationTimeout.toSeconds()).toBe(10);
  });

  test('alarms and dashboards read Lambda\'s URL metrics in place of API Gateway\'s', () => {
    const { template } = synth(FEATURES.FunctionUrl);
    const errors = alarmNamed(template, 'Api-ServerErrorRate');
    expect(errors.metricNames.sort()).toEqual(['Url5xxCount', 'UrlRequestCount']);
    expect(errors.expression).toBe('IF(requests >= 10, 100 * errors / requests, 0)');
    expect(alarmNamed(template, 'Api-LatencyP99').metricNames.sort()).toEqual(['UrlRequestCount', 'UrlRequestLatency']);
    expect(alarmNamed(template, 'Api-LatencyP99').properties.Threshold).toBe(8000);
    const dashboards = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const name of ['UrlRequestCount', 'Url4xxCount', 'Url5xxCount', 'UrlRequestLatency']) expect(dashboards).toContain(name);
    expect(dashboards).not.toContain('AWS/ApiGateway');
  });

  test('responseStreaming: RESPONSE_STREAM with the streaming template', () => {
    const { template } = synth(FEATURES.FunctionUrlStreaming);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Description: Match.stringLikeRegexp('streaming') });
    expect(alarmNamed(template, 'Api-LowTraffic').metricNames).toEqual(['UrlRequestCount']);
  });

  test('snapshots: defaults, and streaming with CORS and the low-traffic alarm', () => {
    expect(synth(() => ({ apiKind: ApiKind.functionUrl() })).template.toJSON()).toMatchSnapshot();
    const streaming = synth((stack) => ({ ...FEATURES.FunctionUrl(stack), ...FEATURES.FunctionUrlStreaming(stack) }));
    expect(streaming.template.toJSON()).toMatchSnapshot();
  });

  test('NONE only with allowUnauthenticatedAccess, and then with a synth warning', () => {
    expect(() => synth(() => ({ apiKind: ApiKind.functionUrl(), authorization: ApiAuthorization.none() }))).toThrow(/invalid `authorization` \(got "NONE"\)/);
    const { template, stack } = synth(() => ({
      apiKind: ApiKind.functionUrl(),
      authorization: ApiAuthorization.none(),
      allowUnauthenticatedAccess: true,
    }));
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    expect(Annotations.fromStack(stack).findWarning('/Shop/Api', Match.stringLikeRegexp('The Function URL has no authorization'))).toHaveLength(1);
  });
});
