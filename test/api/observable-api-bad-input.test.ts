import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiAuthorization, ApiKind, ObservableApi, ObservableApiProps } from '../../src/api';

const REGIONAL_CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const cert = (stack: Stack, arn = REGIONAL_CERT) => acm.Certificate.fromCertificateArn(stack, 'Cert', arn);
const fn = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Auth', 'arn:aws:lambda:eu-west-1:123456789012:function:auth');
const vpce = (stack: Stack) => ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Vpce', { vpcEndpointId: 'vpce-0123', port: 443 });
const jwt = () => ApiAuthorization.jwt('https://example.eu.auth0.com/', ['https://api.example.com']);

/** The issue's list of bad input, then the neighbours each fix brought. One error each, naming the prop, the value and the fix. */
const CASES: Array<[string, (stack: Stack) => ObservableApiProps, RegExp]> = [
  // the issue's list
  ['a certificate outside us-east-1 for EDGE', (s) => ({ endpointType: apigateway.EndpointType.EDGE, customDomain: { domainName: 'api.example.com', certificate: cert(s) } }),
    /invalid `customDomain\.certificate` \(got "arn:aws:acm:eu-west-1:[^"]+"\)\. An EDGE API's domain is served by CloudFront, which only uses ACM certificates from us-east-1/],
  ['PRIVATE without a VPC endpoint', () => ({ endpointType: apigateway.EndpointType.PRIVATE }),
    /invalid `endpointType` \(got "PRIVATE"\)\. A PRIVATE REST API is reachable only through interface VPC endpoints: pass vpcEndpoints: \[endpoint\]/],
  ['a JWT authorizer on a REST API', () => ({ authorization: jwt() }),
    /invalid `authorization` \(got "JWT"\)\. JWT authorizers are for HTTP APIs: use apiKind: ApiKind\.http\(\)/],
  ['usage plans on an HTTP API', () => ({ apiKind: ApiKind.http(), usagePlans: [{ name: 'free' }] }),
    /invalid `usagePlans` \(got \["free"\]\)\. Usage plans and API keys exist for REST APIs only/],
  ['response streaming through an HTTP API', () => ({ apiKind: ApiKind.http(), responseStreaming: true }),
    /invalid `responseStreaming` \(got true\)\. A HTTP API buffers the function's response; use apiKind: ApiKind\.functionUrl\(\) to stream/],
  ['response streaming through a REST API', () => ({ responseStreaming: true }),
    /invalid `responseStreaming` \(got true\)\. A REST API buffers the function's response; use apiKind: ApiKind\.functionUrl\(\)/],
  ['a domain name that is not a host name', (s) => ({ customDomain: { domainName: 'https://api.example.com/', certificate: cert(s) } }),
    /invalid `customDomain\.domainName` \(got "https:\/\/api\.example\.com\/"\)\. Use a host name such as "api\.example\.com"/],
  ['a domain name with an upper-case label', (s) => ({ customDomain: { domainName: 'API.example.com', certificate: cert(s) } }), /invalid `customDomain\.domainName` \(got "API\.example\.com"\)/],
  ['a base path with a leading slash', (s) => ({ customDomain: { domainName: 'api.example.com', certificate: cert(s), basePath: '/v1' } }),
    /invalid `customDomain\.basePath` \(got "\/v1"\)\. Give the base path without its leading slash, e.g\. "v1"/],
  ['authorization NONE without the explicit prop', () => ({ authorization: ApiAuthorization.none() }),
    /invalid `authorization` \(got "NONE"\)\. It lets anyone on the internet call the API: set allowUnauthenticatedAccess: true to confirm/],
  ['a public route without the explicit prop', () => ({ routes: [{ path: '/health', authorization: ApiAuthorization.none() }] }),
    /invalid `routes\[\]\.authorization` \(got "NONE"\)\. It lets anyone on the internet call the API/],
  ['a public Function URL without the explicit prop', () => ({ apiKind: ApiKind.functionUrl(), authorization: ApiAuthorization.none() }), /invalid `authorization` \(got "NONE"\)/],
  // neighbours
  ['a certificate in another region than a REGIONAL API', (s) => ({ customDomain: { domainName: 'api.example.com', certificate: cert(s, 'arn:aws:acm:us-east-1:123456789012:certificate/x') } }),
    /invalid `customDomain\.certificate` \(got "arn:aws:acm:us-east-1:[^"]+"\)\. A regional custom domain needs an ACM certificate in the API's region \(eu-west-1\)/],
  ['a base path with a space', (s) => ({ customDomain: { domainName: 'api.example.com', certificate: cert(s), basePath: 'v 1' } }), /invalid `customDomain\.basePath` \(got "v 1"\)\. Use path segments/],
  ['VPC endpoints without PRIVATE', (s) => ({ vpcEndpoints: [vpce(s)] }), /invalid `vpcEndpoints` \(got "1 endpoint\(s\)"\)\. VPC endpoints apply to a PRIVATE REST API only/],
  ['a custom domain on a PRIVATE API', (s) => ({ endpointType: apigateway.EndpointType.PRIVATE, vpcEndpoints: [vpce(s)], customDomain: { domainName: 'api.example.com', certificate: cert(s) } }),
    /invalid `customDomain` \(got "api\.example\.com"\)\. This construct maps custom domains to REGIONAL and EDGE APIs/],
  ['an endpoint type on an HTTP API', () => ({ apiKind: ApiKind.http(), endpointType: apigateway.EndpointType.EDGE }), /invalid `endpointType` \(got "EDGE"\)\. It applies to REST APIs only/],
  ['a TOKEN authorizer on an HTTP API', (s) => ({ apiKind: ApiKind.http(), authorization: ApiAuthorization.lambdaTokenAuthorizer(fn(s)) }),
    /invalid `authorization` \(got "LAMBDA_TOKEN"\)\. TOKEN authorizers are for REST APIs: on an HTTP API use ApiAuthorization\.lambdaAuthorizer\(fn\)/],
  ['a JWT authorizer on a Function URL', () => ({ apiKind: ApiKind.functionUrl(), authorization: jwt() }), /invalid `authorization` \(got "JWT"\)\. A Function URL authorizes with IAM or not at all/],
  ['a Cognito authorizer on a Function URL', (s) => ({ apiKind: ApiKind.functionUrl(), authorization: ApiAuthorization.cognito(cognito.UserPool.fromUserPoolId(s, 'P', 'eu-west-1_a')) }),
    /invalid `authorization` \(got "COGNITO"\)\. A Function URL authorizes with IAM or not at all/],
  ['a JWT issuer that is not https', () => ({ apiKind: ApiKind.http(), authorization: ApiAuthorization.jwt('example.auth0.com', ['a']) }),
    /invalid `authorization\.issuer` \(got "example\.auth0\.com"\)\. Give the issuer URL exactly as in the token's "iss" claim, starting with https:\/\//],
  ['a JWT authorizer without audience', () => ({ apiKind: ApiKind.http(), authorization: ApiAuthorization.jwt('https://example.auth0.com/', []) }),
    /invalid `authorization\.audience` \(got \[\]\)\. List the accepted audiences/],
  ['a JWT route on a REST API', () => ({ routes: [{ path: '/a', authorization: jwt() }] }), /invalid `routes\[\]\.authorization` \(got "JWT"\)/],
  ['route scopes with IAM authorization', () => ({ routes: [{ path: '/a', authorizationScopes: ['orders/read'] }] }),
    /invalid `routes\[\]\.authorizationScopes` \(got \["orders\/read"\]\)\. Scopes are checked by Cognito and JWT authorizers only, and route \/a uses IAM/],
  ['an app client with an http callback', (s) => ({ apiKind: ApiKind.http(), authorization: ApiAuthorization.cognito(cognito.UserPool.fromUserPoolId(s, 'P', 'eu-west-1_a'), { appClient: { callbackUrls: ['http://app.example.com'] } }) }),
    /invalid `authorization\.appClient\.callbackUrls` \(got \["http:\/\/app\.example\.com"\]\)\. List at least one callback URL, each https:\/\//],
  ['required headers on an HTTP API', () => ({ apiKind: ApiKind.http(), routes: [{ path: '/a', requiredHeaders: ['x-id'] }] }), /invalid `routes\[\]\.requiredHeaders` \(got \["x-id"\]\)\. HTTP APIs have no request validation/],
  ['two usage plans with one name', () => ({ usagePlans: [{ name: 'free' }, { name: 'free' }] }), /invalid `usagePlans\[\]\.name` \(got "free"\)\. Give each usage plan its own name/],
  ['a zero plan rate', () => ({ usagePlans: [{ name: 'free', rateLimitPerSecond: 0 }] }), /invalid `usagePlans\[free\]\.rateLimitPerSecond` \(got 0\)\. Use a number of requests per second greater than 0/],
  ['a fractional quota', () => ({ usagePlans: [{ name: 'free', quotaRequests: 1.5 }] }), /invalid `usagePlans\[free\]\.quotaRequests` \(got 1\.5\)\. Use a whole number/],
  ['a quota period without a quota', () => ({ usagePlans: [{ name: 'free', quotaPeriod: apigateway.Period.DAY }] }), /invalid `usagePlans\[free\]\.quotaPeriod` \(got "DAY"\)\. A quota period needs quotaRequests/],
  ['a method throttle with an unknown method', () => ({ usagePlans: [{ name: 'free', methodThrottles: [{ path: '/', method: 'FETCH', rateLimitPerSecond: 1, burstLimit: 1 }] }] }),
    /invalid `usagePlans\[free\]\.methodThrottles\[\]\.method` \(got "FETCH"\)/],
  ['one key name in two plans', () => ({ usagePlans: [{ name: 'a', apiKeyNames: ['k'] }, { name: 'b', apiKeyNames: ['k'] }] }), /invalid `usagePlans\[b\]\.apiKeyNames` \(got "k"\)\. Each created API key needs its own name/],
  ['a stage variable with a space', () => ({ stageVariables: { version: 'v 2' } }), /invalid `stageVariables\.version` \(got "v 2"\)\. Stage variable values use/],
  ['a stage variable name with a dash', () => ({ stageVariables: { 'back-end': '2' } }), /invalid `stageVariables` \(got "back-end"\)\. Stage variable names use 1-64 letters, digits or "_"/],
  ['a canary on an HTTP API', () => ({ apiKind: ApiKind.http(), canary: { percentTraffic: 10 } }), /invalid `canary` \(got 10\)\. It applies to REST APIs only/],
  ['a canary above 100%', () => ({ canary: { percentTraffic: 150 } }), /invalid `canary\.percentTraffic` \(got 150\)\. Use a percentage of requests greater than 0 and at most 100/],
  ['a canary override with a space', () => ({ canary: { percentTraffic: 5, stageVariableOverrides: { v: 'a b' } } }),
    /invalid `canary\.stageVariableOverrides\.v` \(got "a b"\)\. Stage variable values use/],
  ['a zero low-traffic floor', () => ({ apiMonitoring: { lowTrafficRequestsPerHour: 0 } }), /invalid `apiMonitoring\.lowTrafficRequestsPerHour` \(got 0\)\. Use a whole number from 1/],
  ['an integration latency threshold on a REST API', () => ({ apiMonitoring: { integrationLatencyP99Threshold: Duration.seconds(1) } }),
    /invalid `apiMonitoring\.integrationLatencyP99Threshold` \(got 1 second\)\. The integration latency alarm is for HTTP APIs/],
  ['throttling on a Function URL', () => ({ apiKind: ApiKind.functionUrl(), throttlingRatePerSecond: 10 }),
    /invalid `throttlingRatePerSecond` \(got 10\)\. A Function URL has no API Gateway in front of it/],
  ['a custom domain on a Function URL', (s) => ({ apiKind: ApiKind.functionUrl(), customDomain: { domainName: 'api.example.com', certificate: cert(s) } }),
    /invalid `customDomain` \(got "api\.example\.com"\)\. A Function URL has no API Gateway in front of it/],
  ['routes on a Function URL', () => ({ apiKind: ApiKind.functionUrl(), routes: [{ path: '/a' }] }), /invalid `routes` \(got \["\/a"\]\)\. A Function URL invokes one function/],
  ['the account role with a Function URL', () => ({ apiKind: ApiKind.functionUrl(), manageAccountCloudWatchRole: true }), /invalid `manageAccountCloudWatchRole` \(got true\)\. Function URLs do not use/],
];

describe('ObservableApi production bad input', () => {
  test.each(CASES)('%s', (_name, props, error) => {
    const stack = new Stack(new App(), 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => new ObservableApi(stack, 'Api', props(stack))).toThrow(error);
  });

  test('addRoute checks a public route too', () => {
    const stack = new Stack(new App(), 'Shop');
    const api = new ObservableApi(stack, 'Api');
    expect(() => api.addRoute({ path: '/health', authorization: ApiAuthorization.none() })).toThrow(/invalid `routes\[\]\.authorization` \(got "NONE"\)/);
  });

  test('a token certificate ARN is not checked at synth (its region is unknown)', () => {
    const stack = new Stack(new App(), 'Shop');
    const certificate = new acm.Certificate(stack, 'Cert', { domainName: 'api.example.com' });
    expect(() => new ObservableApi(stack, 'Api', { endpointType: apigateway.EndpointType.EDGE, customDomain: { domainName: 'api.example.com', certificate } })).not.toThrow();
  });
});
