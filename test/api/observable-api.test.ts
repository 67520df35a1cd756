import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiAuthorization, ApiKind, ObservableApi } from '../../src/api';
import { AlarmAction } from '../../src/core';
import { alarmNamed, alarmsOf } from '../support/alarms';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

const ACCOUNT_ROLE_WARNING = 'cdk-serverless-powertools:apiAccountCloudWatchRole';

function build(props: ConstructorParameters<typeof ObservableApi>[2] = {}) {
  const app = createTestApp();
  const stack = new Stack(app, 'Shop');
  const api = new ObservableApi(stack, 'Api', props);
  return { app, stack, api, template: Template.fromStack(stack) };
}

function allOptions(stack: Stack) {
  return {
    authorization: ApiAuthorization.cognito(cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abc123'), { scopes: ['orders/read'] }),
    cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAge: Duration.minutes(10) },
    throttlingRatePerSecond: 50,
    throttlingBurstLimit: 100,
    executionLogLevel: apigateway.MethodLoggingLevel.INFO,
    manageAccountCloudWatchRole: true,
    accessLogRetention: logs.RetentionDays.ONE_MONTH,
    stageName: 'v1',
    integrationTimeout: Duration.seconds(6),
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0a1b2c3d',
    detailedMetrics: false,
    timeout: Duration.seconds(5),
    memorySizeMb: 512,
    reservedConcurrentExecutions: 20,
    serviceName: 'orders',
    metricsNamespace: 'Shop',
    routes: [
      {
        path: '/reports/{id}',
        methods: ['GET', 'POST'],
        handler: lambda.Function.fromFunctionArn(stack, 'Reports', 'arn:aws:lambda:us-east-1:123456789012:function:reports'),
        requestBodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['name'] },
        requiredQueryParameters: ['format'],
      },
      { path: '/orders', methods: ['POST'], requestBodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['item'] }, requiredHeaders: ['Idempotency-Key'] },
    ],
    monitoring: { alarmAction: AlarmAction.toTopic(sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager')) },
    customDomain: {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' }),
      basePath: 'shop',
      disableExecuteApiEndpoint: true,
    },
    usagePlans: [{ name: 'free', rateLimitPerSecond: 5, burstLimit: 10, quotaRequests: 1000, apiKeyNames: ['trial'] }],
    stageVariables: { backendVersion: '2' },
    apiMonitoring: {
      lowTrafficRequestsPerHour: 5,
      clientErrorRateThresholdPercent: 10,
      serverErrorRateThresholdPercent: 2,
      latencyP90Threshold: Duration.seconds(2),
      latencyP99Threshold: Duration.seconds(4),
      concurrentExecutionsThreshold: 15,
      compositeAlarm: true,
      businessMetricNames: ['OrderCreated', 'OrderShipped'],
    },
  };
}

function accessLogFormat(template: Template, type: string, prop: string): Record<string, string> {
  const stage = Object.values(template.findResources(type))[0] as any;
  return JSON.parse(stage.Properties[prop].Format);
}

describe('ObservableApi defaults (REST API)', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build();
  });

  test('REGIONAL REST API with a unique name and no CDK-managed CloudWatch role', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      Name: 'Shop-Api-Api',
    });
    built.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    built.template.resourcePropertiesCountIs('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }),
    }, 0);
  });

  test('stage: X-Ray, JSON access logs to the owned log group, throttling, metrics, ERROR execution logs, no data trace', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] } },
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 500,
          ThrottlingBurstLimit: 1000,
        },
      ],
    });
    built.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('access log lines carry the standard fields', () => {
    const format = accessLogFormat(built.template, 'AWS::ApiGateway::Stage', 'AccessLogSetting');
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      httpMethod: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      responseLatencyMs: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
      userAgent: '$context.identity.userAgent',
      xrayTraceId: '$context.xrayTraceId',
    });
  });

  test('root and {proxy+} send ANY method to the function with IAM authorization and the request validator', () => {
    built.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: { Ref: Match.stringLikeRegexp('RequestValidator') },
      Integration: Match.objectLike({ Type: 'AWS_PROXY', TimeoutInMillis: 10000 }),
    }, 2);
    built.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    built.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  test('function: core defaults, Powertools env, no async DLQ', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 10,
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'Api', POWERTOOLS_METRICS_NAMESPACE: 'Shop', POWERTOOLS_LOG_LEVEL: 'INFO' } },
      DeadLetterConfig: Match.absent(),
    });
    built.template.resourceCountIs('AWS::SQS::Queue', 0);
  });

  test('5XX rate alarm: metric math over 5 minutes, above 1%', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Api-ServerErrorRate',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(requests >= 10, 100 * errors / requests, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: '5XXError',
              Dimensions: Match.arrayWith([Match.objectLike({ Name: 'ApiName' }), { Name: 'Stage', Value: Match.anyValue() }]),
            }),
            Period: 300,
            Stat: 'Sum',
          }),
        }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Count' }), Stat: 'Sum' }) }),
      ]),
    });
  });

  test('latency alarms derive from the integration timeout; function alarms; no 4XX or composite alarm by default', () => {
    const t = built.template;
    const p90 = alarmNamed(t, 'Api-LatencyP90');
    expect(p90.properties.Threshold).toBe(5000);
    expect(p90.expression).toBe('IF(requests >= 10, latency, 0)');
    expect(p90.metricNames.sort()).toEqual(['Count', 'Latency']);
    expect(alarmNamed(t, 'Api-LatencyP99').properties.Threshold).toBe(8000);
    expect(alarmNamed(t, 'Api-Handler-Errors').properties).toMatchObject({ MetricName: 'Errors', Threshold: 0 });
    expect(alarmNamed(t, 'Api-Handler-Throttles').properties.MetricName).toBe('Throttles');
    expect(alarmNamed(t, 'Api-Handler-ErrorRate').properties.AlarmDescription).toMatch(/^\[critical\]/);
    expect(alarmNamed(t, 'Api-ServerErrorRate').properties.AlarmDescription).toMatch(/^\[critical\]/);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ConcurrentExecutions', Statistic: 'Maximum', Threshold: 800 });
    expect(alarmsOf(t).some((a) => a.properties.AlarmName.endsWith('ClientErrorRate'))).toBe(false);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    expect(built.api.alarms).toHaveLength(alarmsOf(t).length);
  });

  test('two dashboards: high-level with availability and business metrics, low-level with cold starts', () => {
    expect(built.api.dashboards).toHaveLength(2);
    built.template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    const bodies = Object.entries(built.template.findResources('AWS::CloudWatch::Dashboard')).map(([id, r]) => [id, JSON.stringify(r.Properties.DashboardBody)]);
    const high = bodies.find(([id]) => id.startsWith('ApiHighLevel'))![1];
    const low = bodies.find(([id]) => id.startsWith('ApiLowLevel'))![1];
    expect(high).toContain('Availability');
    expect(high).toContain('OrderCreated');
    expect(high).toContain('p99');
    expect(low).toContain('ColdStart');
    expect(low).toContain('function_name');
    expect(low).toContain('4XXError');
    expect(low).toContain('p50');
  });

  test('EMF metrics: namespace, metric, the service dimension (plus function_name for ColdStart) and a label', () => {
    const text = (prefix: string) => {
      const [dash] = Object.entries(built.template.findResources('AWS::CloudWatch::Dashboard')).filter(([id]) => id.startsWith(prefix)).map(([, r]) => r);
      return (dash.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : '<ref>')).join('');
    };
    expect(text('ApiHighLevel')).toContain('["Shop","OrderCreated","service","Api",{"label":"OrderCreated","period":60,"stat":"Sum"}]');
    expect(text('ApiLowLevel')).toContain('["Shop","ColdStart","function_name","<ref>","service","Api",{"label":"Cold starts","period":60,"stat":"Sum"}]');
  });

  test('exposes the REST API, url, function, its log group and role, and the access log group', () => {
    const resolve = (x: unknown) => built.stack.resolve(x);
    expect(built.api.logGroup).toBeInstanceOf(logs.LogGroup);
    const loggingConfig = (built.api.function.node.defaultChild as lambda.CfnFunction).loggingConfig;
    expect(resolve(loggingConfig)).toMatchObject({ logGroup: resolve(built.api.logGroup.logGroupName) });
    expect(built.api.role).toBeInstanceOf(iam.Role);
    expect(resolve(built.api.role.roleArn)).toEqual(resolve(built.api.function.role!.roleArn));
    expect(built.api.logGroup).not.toBe(built.api.accessLogGroup);
    expect(built.api.restApi).toBeInstanceOf(apigateway.RestApi);
    expect(built.api.httpApi).toBeUndefined();
    expect(built.api.api).toBe(built.api.restApi);
    expect(built.api.function).toBeInstanceOf(lambda.Function);
    expect(built.api.accessLogGroup).toBeInstanceOf(logs.LogGroup);
    // The invoke URL of the REST API's prod stage: https://<api id>.execute-api.<region>.<suffix>/prod/
    const url = JSON.stringify(built.stack.resolve(built.api.url));
    expect(url).toContain(`"Ref":"${built.stack.getLogicalId(built.api.restApi!.node.defaultChild as apigateway.CfnRestApi)}"`);
    expect(url).toContain('.execute-api.');
    expect(url).toMatch(/"\/",{"Ref":"ApiRestApiDeploymentStageprod[0-9A-F]{8}"},"\/"/);
    expect(built.api.integrationTimeout.toSeconds()).toBe(10);
  });

  test('warns that REST logging needs the unmanaged account-level role', () => {
    const warnings = Annotations.fromStack(built.stack).findWarning('/Shop/Api', Match.stringLikeRegexp('account-level API Gateway CloudWatch role'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain(ACCOUNT_ROLE_WARNING);
  });

  test('nag-clean and free of CloudFormation validation findings', () => {
    expectNagClean(built.app);
  });

  test('snapshot', () => {
    expect(built.template.toJSON()).toMatchSnapshot();
  });
});

describe('ObservableApi with every option (REST API)', () => {
  let app: App;
  let stack: Stack;
  let api: ObservableApi;
  let template: Template;
  beforeAll(() => {
    app = createTestApp();
    stack = new Stack(app, 'Shop');
    api = new ObservableApi(stack, 'Api', allOptions(stack));
    template = Template.fromStack(stack);
  });

  test('Cognito authorizer with scopes on every non-OPTIONS method', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: any) => m.Properties);
    const secured = methods.filter((m) => m.HttpMethod !== 'OPTIONS');
    expect(secured.length).toBeGreaterThanOrEqual(4);
    for (const m of secured) {
      expect(m.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(m.AuthorizationScopes).toEqual(['orders/read']);
    }
    expect(methods.some((m) => m.HttpMethod === 'OPTIONS')).toBe(true);
  });

  test('stage settings follow the props', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      MethodSettings: [Match.objectLike({ LoggingLevel: 'INFO', MetricsEnabled: false, ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'ANY', Integration: Match.objectLike({ TimeoutInMillis: 6000 }) });
  });

  test('account-level role opt-in: retained role and AWS::ApiGateway::Account, the stage waits for it, no warning', () => {
    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain', Properties: { CloudWatchRoleArn: Match.anyValue() } });
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) }),
    });
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ApiGatewayAccountCloudWatchRoleAccount/)]));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('account-level'))).toHaveLength(0);
  });

  test('WAF web ACL association on the stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0a1b2c3d' });
  });

  test('extra route with body model and required query parameter', () => {
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{id}' });
    template.hasResourceProperties('AWS::ApiGateway::Model', { ContentType: 'application/json', Schema: Match.objectLike({ required: ['name'] }) });
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', {
      RequestParameters: { 'method.request.querystring.format': true },
      RequestModels: { 'application/json': Match.anyValue() },
      Integration: Match.objectLike({ Uri: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('function:reports')])]) }) }),
    }, 2);
  });

  test('CORS: preflight methods and function env for response headers', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 5,
      ReservedConcurrentExecutions: 20,
      Environment: { Variables: Match.objectLike({ API_CORS_ALLOW_ORIGINS: 'https://app.example.com', API_CORS_ALLOW_CREDENTIALS: 'true', POWERTOOLS_SERVICE_NAME: 'orders' }) },
    });
  });

  test('alarms: 4XX rate, custom 5XX, latency and concurrency thresholds, composite, all to the given topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Api-ClientErrorRate', Threshold: 10 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Api-ServerErrorRate', Threshold: 2, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Api-LatencyP90', Threshold: 2000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Api-LatencyP99', Threshold: 4000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ConcurrentExecutions', Threshold: 15 });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'Shop-Api-Unhealthy',
      AlarmRule: Match.anyValue(),
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'],
    });
    const rule = JSON.stringify((Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0] as any).Properties.AlarmRule);
    expect(rule).toContain('ServerErrorRateAlarm');
    expect(rule).toContain('LatencyP99Alarm');
    expect(rule).toContain('HandlerErrorRateAlarm');
    // the composite pages; its children open tickets
    for (const child of ['Api-ServerErrorRate', 'Api-LatencyP99', 'Api-Handler-ErrorRate']) {
      expect(alarmNamed(template, child).properties.AlarmDescription).toMatch(/^\[warning\]/);
    }
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::CompositeAlarm'))).toContain('[critical]');
    expect(api.alarms).toHaveLength(alarmsOf(template).length + 1);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('business metrics on the high-level dashboard; the route function on the low-level one', () => {
    const bodies = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(bodies).toContain('OrderShipped');
    expect(bodies).toContain('Route function 1');
  });

  test('nag-clean and free of CloudFormation validation findings', () => {
    expectNagClean(app);
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('ObservableApi as an HTTP API', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({ apiKind: ApiKind.http() });
  });

  test('HTTP API with an auto-deployed $default stage: JSON access logs, throttling, detailed metrics', () => {
    built.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: 'Shop-Api-Api' });
    built.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000, DetailedMetricsEnabled: true },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, Format: Match.anyValue() },
    });
    const format = accessLogFormat(built.template, 'AWS::ApiGatewayV2::Stage', 'AccessLogSettings');
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', integrationError: '$context.integrationErrorMessage' });
  });

  test('$default route with IAM authorization and a 10 s Lambda proxy integration', () => {
    built.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'AWS_IAM' });
    built.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', TimeoutInMillis: 10000 });
  });

  test('alarm metrics use the HTTP API names and dimensions; no REST-only resources; no account-role warning', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Api-ServerErrorRate',
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: '5xx', Dimensions: Match.arrayWith([Match.objectLike({ Name: 'ApiId' })]) }) }),
        }),
      ]),
    });
    built.template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    expect(built.api.httpApi).toBeInstanceOf(apigwv2.HttpApi);
    expect(built.api.restApi).toBeUndefined();
    expect(Annotations.fromStack(built.stack).findWarning('*', Match.stringLikeRegexp('account-level'))).toHaveLength(0);
  });

  test('nag-clean and free of CloudFormation validation findings', () => {
    expectNagClean(built.app);
  });

  test('snapshot', () => {
    expect(built.template.toJSON()).toMatchSnapshot();
  });
});

describe('ObservableApi authorization choices', () => {
  test('Lambda authorizer (REST): REQUEST authorizer on the Authorization header, nag-clean', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    const authFn = lambda.Function.fromFunctionArn(stack, 'Auth', 'arn:aws:lambda:us-east-1:123456789012:function:auth');
    new ObservableApi(stack, 'Api', { authorization: ApiAuthorization.lambdaAuthorizer(authFn, { resultsCacheTtl: Duration.minutes(1) }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 60 });
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM' }, 2);
    expectNagClean(app);
  });

  test('Cognito (HTTP): JWT authorizer on the $default route', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abc123');
    const client = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'client123');
    new ObservableApi(stack, 'Api', { apiKind: ApiKind.http(), authorization: ApiAuthorization.cognito(pool, { userPoolClients: [client] }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Audience: ['client123'], Issuer: Match.anyValue() } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'JWT' });
  });

  test('none (REST) needs allowUnauthenticatedAccess; with it the public methods\' APIG4/COG4 findings are acknowledged', () => {
    expect(() => new ObservableApi(new Stack(new App(), 'Shop'), 'Api', { authorization: ApiAuthorization.none() })).toThrow(
      /invalid `authorization` \(got "NONE"\)\. It lets anyone on the internet call the API: set allowUnauthenticatedAccess: true to confirm/,
    );
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    new ObservableApi(stack, 'Api', { authorization: ApiAuthorization.none(), allowUnauthenticatedAccess: true });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'NONE' }, 2);
    expectNagClean(app);
  });

  test('none (HTTP) needs allowUnauthenticatedAccess; with it the $default route is public and acknowledged', () => {
    expect(() => new ObservableApi(new Stack(new App(), 'Shop'), 'Api', { apiKind: ApiKind.http(), authorization: ApiAuthorization.none() })).toThrow(
      /invalid `authorization` \(got "NONE"\)/,
    );
    const app = createTestApp();
    const stack = new Stack(app, 'Shop');
    new ObservableApi(stack, 'Api', { apiKind: ApiKind.http(), authorization: ApiAuthorization.none(), allowUnauthenticatedAccess: true });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
    expectNagClean(app);
  });
});

describe('ObservableApi bad props', () => {
  const cases: Array<[string, (stack: Stack) => ConstructorParameters<typeof ObservableApi>[2], RegExp]> = [
    ['stage name with a space', () => ({ stageName: 'my stage' }), /invalid `stageName` \(got "my stage"\)\. Use 1-128 letters/],
    ['zero throttling rate', () => ({ throttlingRatePerSecond: 0 }), /invalid `throttlingRatePerSecond` \(got 0\)\. Use a number of requests per second greater than 0/],
    ['fractional burst', () => ({ throttlingBurstLimit: 1.5 }), /invalid `throttlingBurstLimit` \(got 1\.5\)\. Use a whole number from 1/],
    ['REST integration timeout above 29 s', () => ({ integrationTimeout: Duration.seconds(30) }), /invalid `integrationTimeout` \(got 30 seconds\)\. Use a Duration from 50 milliseconds to 29 seconds for a REST API/],
    ['HTTP integration timeout above 30 s', () => ({ apiKind: ApiKind.http(), integrationTimeout: Duration.seconds(31) }), /to 30 seconds for a HTTP API/],
    ['execution logging on an HTTP API', () => ({ apiKind: ApiKind.http(), executionLogLevel: apigateway.MethodLoggingLevel.INFO }), /invalid `executionLogLevel` \(got "INFO"\)\. It applies to REST APIs only/],
    ['account role with an HTTP API', () => ({ apiKind: ApiKind.http(), manageAccountCloudWatchRole: true }), /invalid `manageAccountCloudWatchRole` \(got true\)\. HTTP APIs do not use/],
    ['malformed web ACL ARN', () => ({ webAclArn: 'my-acl' }), /invalid `webAclArn` \(got "my-acl"\)\. Use the ARN of a REGIONAL WAFv2 web ACL/],
    ['infinite access log retention', () => ({ accessLogRetention: logs.RetentionDays.INFINITE }), /invalid `accessLogRetention` \(got "INFINITE"\)\. Access logs grow with traffic/],
    ['5XX threshold of 0%', () => ({ apiMonitoring: { serverErrorRateThresholdPercent: 0 } }), /invalid `apiMonitoring\.serverErrorRateThresholdPercent` \(got 0\)\. Use a percentage greater than 0/],
    ['p90 above p99', () => ({ apiMonitoring: { latencyP90Threshold: Duration.seconds(5), latencyP99Threshold: Duration.seconds(2) } }), /invalid `apiMonitoring\.latencyP90Threshold` \(got 5 seconds\)\. It must not exceed latencyP99Threshold/],
    ['p99 above the integration timeout', () => ({ integrationTimeout: Duration.seconds(3), apiMonitoring: { latencyP99Threshold: Duration.seconds(5) } }), /invalid `apiMonitoring\.latencyP99Threshold` \(got 5 seconds\)\. A latency above the integration timeout/],
    ['route path without a leading slash', (s) => ({ routes: [{ path: 'reports', handler: fn(s) }] }), /invalid `routes\[\]\.path` \(got "reports"\)\. Use an absolute path/],
    ['unknown route method', (s) => ({ routes: [{ path: '/reports', methods: ['FETCH'], handler: fn(s) }] }), /invalid `routes\[\]\.methods` \(got \["FETCH"\]\)\. Use methods from ANY, GET/],
    ['required query parameters on an HTTP API', (s) => ({ apiKind: ApiKind.http(), routes: [{ path: '/r', handler: fn(s), requiredQueryParameters: ['q'] }] }), /invalid `routes\[\]\.requiredQueryParameters` \(got \["q"\]\)\. HTTP APIs have no request validation/],
    ['a body schema on an HTTP API', (s) => ({ apiKind: ApiKind.http(), routes: [{ path: '/r', handler: fn(s), requestBodySchema: { type: apigateway.JsonSchemaType.OBJECT } }] }), /invalid `routes\[\]\.requestBodySchema` \(got "route \/r"\)\. HTTP APIs have no request validation/],
    ['a CORS variable through environment', () => ({ environment: { API_CORS_ALLOW_ORIGINS: '*' } }), /invalid `environment\.API_CORS_ALLOW_ORIGINS` \(got "\*"\)\. Variables starting with API_CORS_ configure the construct's template/],
    ['a CORS variable through environment beside the cors prop', () => ({ cors: { allowOrigins: ['https://a.example.com'] }, environment: { API_CORS_ALLOW_CREDENTIALS: 'true' } }), /invalid `environment\.API_CORS_ALLOW_CREDENTIALS`/],
    ['a p90 threshold in minutes from a parameter', (s) => ({ apiMonitoring: { latencyP90Threshold: Duration.minutes(numberParam(s)) } }), /invalid `apiMonitoring\.latencyP90Threshold` \(got a token Duration\)\. The latency alarm threshold needs its value in milliseconds at synth: give a concrete Duration/],
    ['a p99 threshold in seconds from a parameter', (s) => ({ apiMonitoring: { latencyP99Threshold: Duration.seconds(numberParam(s)) } }), /invalid `apiMonitoring\.latencyP99Threshold` \(got a token Duration\)/],
    ['an integration timeout in seconds from a parameter', (s) => ({ integrationTimeout: Duration.seconds(numberParam(s)) }), /invalid `integrationTimeout` \(got a token Duration\)\. The integration timeout needs its value in milliseconds at synth/],
    ['CORS credentials with any origin', () => ({ cors: { allowOrigins: ['*'], allowCredentials: true } }), /invalid `cors\.allowOrigins` \(got \["\*"\]\)\. Browsers reject credentials/],
    ['CORS without origins', () => ({ cors: { allowOrigins: [] } }), /invalid `cors\.allowOrigins` \(got \[\]\)\. List at least one origin/],
  ];

  test.each(cases)('%s', (_name, props, error) => {
    const stack = new Stack(new App(), 'Shop');
    expect(() => new ObservableApi(stack, 'Api', props(stack))).toThrow(error);
  });

  test('addRoute validates too', () => {
    const stack = new Stack(new App(), 'Shop');
    const api = new ObservableApi(stack, 'Api');
    expect(() => api.addRoute({ path: '/a b', handler: fn(stack) })).toThrow(/invalid `routes\[\]\.path` \(got "\/a b"\)/);
  });

  test('a token function timeout: the integration timeout and latency alarms fall back to the API maximum', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    const api = new ObservableApi(stack, 'Api', { timeout: Duration.seconds(numberParam(stack)) });
    const template = Template.fromStack(stack);
    expect(api.integrationTimeout.toSeconds()).toBe(29);
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: { Ref: 'Limit' } });
    expect(alarmNamed(template, 'Api-LatencyP90').properties.Threshold).toBe(14500);
    expect(alarmNamed(template, 'Api-LatencyP99').properties.Threshold).toBe(23200);
    // the p99 duration alarm needs a concrete timeout; a warning says so
    expect(alarmsOf(template).filter((a) => a.metricNames.includes('Duration'))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('function timeout is a token'))).toHaveLength(1);
  });

  test('a millisecond token threshold and integration timeout are used as they are', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    const ms = numberParam(stack);
    new ObservableApi(stack, 'Api', { integrationTimeout: Duration.millis(ms), apiMonitoring: { latencyP99Threshold: Duration.millis(ms) } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Api-LatencyP99', Threshold: { Ref: 'Limit' } });
    template.hasResourceProperties('AWS::ApiGateway::Method', { Integration: Match.objectLike({ TimeoutInMillis: { Ref: 'Limit' } }) });
  });

  test('a token throttling rate reaches the template as it is', () => {
    const stack = new Stack(new App(), 'Shop');
    new ObservableApi(stack, 'Api', { throttlingRatePerSecond: Lazy.number({ produce: () => 10 }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 10 })]),
    });
  });

  test('a token stage name fails with a clear error, not CDK\'s construct-id error at synth', () => {
    const stack = new Stack(new App(), 'Shop');
    expect(() => new ObservableApi(stack, 'Api', { stageName: Lazy.string({ produce: () => 'x' }) })).toThrow(
      /invalid `stageName` \(got "a token"\)\. The stage name is part of the stage's construct id/,
    );
  });
});

describe('ObservableApi timeouts', () => {
  test('a function timeout above the integration cap lowers nothing silently: integration is capped, a warning says why', () => {
    const { api, stack, template } = build({ timeout: Duration.seconds(60) });
    expect(api.integrationTimeout.toSeconds()).toBe(29);
    template.hasResourceProperties('AWS::ApiGateway::Method', { Integration: Match.objectLike({ TimeoutInMillis: 29000 }) });
    expect(Annotations.fromStack(stack).findWarning('/Shop/Api', Match.stringLikeRegexp('clients get a 504'))).toHaveLength(1);
  });

  test('alarms and dashboards can be switched off', () => {
    const { api, template } = build({ monitoring: { alarms: false, dashboard: false }, apiMonitoring: { compositeAlarm: true } });
    expect(api.alarms).toHaveLength(0);
    expect(api.dashboards).toHaveLength(0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

function numberParam(stack: Stack): number {
  return (stack.node.tryFindChild('Limit') as CfnParameter | undefined ?? new CfnParameter(stack, 'Limit', { type: 'Number' })).valueAsNumber;
}

function fn(stack: Stack): lambda.IFunction {
  return lambda.Function.fromFunctionArn(stack, `Fn${stack.node.children.length}`, 'arn:aws:lambda:us-east-1:123456789012:function:other');
}
