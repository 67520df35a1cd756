import { Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiAuthorization, AUTHORIZATION_KINDS } from './api-authorization';
import { ApiKind } from './api-kind';
import { ApiUsagePlanOptions, ObservableApiProps } from './observable-api-props';
import { checkIntegerInRange, checkNonEmpty, invalidProp } from '../core/validation';

const HOST_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const BASE_PATH = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;
const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The authorization of the API or of one route, against the API kind. @internal */
export function validateAuthorization(
  where: string,
  prop: string,
  auth: ApiAuthorization | undefined,
  kind: ApiKind,
  allowUnauthenticated: boolean,
): void {
  if (!auth) return;
  const supported = AUTHORIZATION_KINDS[auth.kind];
  if (kind.isRest && !supported.rest) {
    invalidProp(where, prop, auth.kind, 'JWT authorizers are for HTTP APIs: use apiKind: ApiKind.http(), or on a REST API ApiAuthorization.cognito(pool) or .lambdaTokenAuthorizer(fn).');
  }
  if (kind.isHttp && !supported.http) {
    invalidProp(where, prop, auth.kind, 'TOKEN authorizers are for REST APIs: on an HTTP API use ApiAuthorization.lambdaAuthorizer(fn) (payload format 2.0) or .jwt(issuer, audience).');
  }
  if (kind.isFunctionUrl && !supported.url) {
    invalidProp(where, prop, auth.kind, 'A Function URL authorizes with IAM or not at all: use ApiAuthorization.iam() (the default), or a REST or HTTP API for this authorizer.');
  }
  if (auth.kind === 'NONE' && !allowUnauthenticated) {
    invalidProp(where, prop, auth.kind,
      'It lets anyone on the internet call the API: set allowUnauthenticatedAccess: true to confirm, or use ApiAuthorization.iam() (the default), .jwt(...), .cognito(...) or .lambdaAuthorizer(...).');
  }
  for (const problem of auth._problems(kind)) invalidProp(where, `${prop}.${problem.prop}`, problem.value, problem.fix);
}

/** Endpoint type and VPC endpoints of a REST API. @internal */
export function validateEndpoint(where: string, props: ObservableApiProps): void {
  const isPrivate = props.endpointType === apigateway.EndpointType.PRIVATE;
  if (isPrivate && !props.vpcEndpoints?.length) {
    invalidProp(where, 'endpointType', 'PRIVATE',
      'A PRIVATE REST API is reachable only through interface VPC endpoints: pass vpcEndpoints: [endpoint] (an ec2.InterfaceVpcEndpoint for InterfaceVpcEndpointAwsService.APIGATEWAY), or use REGIONAL.');
  }
  if (props.vpcEndpoints !== undefined && !isPrivate) {
    invalidProp(where, 'vpcEndpoints', `${props.vpcEndpoints.length} endpoint(s)`, 'VPC endpoints apply to a PRIVATE REST API only: set endpointType: apigateway.EndpointType.PRIVATE, or remove vpcEndpoints.');
  }
  if (isPrivate && props.customDomain) {
    invalidProp(where, 'customDomain', props.customDomain.domainName, 'This construct maps custom domains to REGIONAL and EDGE APIs; a PRIVATE API is called through its VPC endpoint. Remove customDomain or use REGIONAL.');
  }
}

/** The custom domain: host name, base path and the certificate's region. @internal */
export function validateCustomDomain(scope: Construct, where: string, props: ObservableApiProps, kind: ApiKind): void {
  const domain = props.customDomain;
  if (!domain) return;
  if (!Token.isUnresolved(domain.domainName) && !HOST_NAME.test(domain.domainName)) {
    invalidProp(where, 'customDomain.domainName', domain.domainName,
      'Use a host name such as "api.example.com": lower-case letters, digits and hyphens in dot-separated labels, with no scheme, path or port.');
  }
  const basePath = domain.basePath;
  if (basePath !== undefined && !Token.isUnresolved(basePath)) {
    if (basePath.startsWith('/')) {
      invalidProp(where, 'customDomain.basePath', basePath, `Give the base path without its leading slash, e.g. "${basePath.replace(/^\/+/, '') || 'v1'}"; leave it unset to map the domain's root.`);
    }
    if (!BASE_PATH.test(basePath)) {
      invalidProp(where, 'customDomain.basePath', basePath, 'Use path segments of letters, digits, ".", "_", "~" or "-" separated by "/", e.g. "orders" or "v1/orders".');
    }
  }
  const arn = domain.certificate.certificateArn;
  if (Token.isUnresolved(arn)) return;
  const certificateRegion = arn.split(':')[3];
  const edge = kind.isRest && props.endpointType === apigateway.EndpointType.EDGE;
  if (edge && certificateRegion !== 'us-east-1') {
    invalidProp(where, 'customDomain.certificate', arn,
      'An EDGE API\'s domain is served by CloudFront, which only uses ACM certificates from us-east-1: issue or import the certificate there (e.g. in a us-east-1 stack with crossRegionReferences), or use a REGIONAL endpoint.');
  }
  const apiRegion = Stack.of(scope).region;
  if (!edge && !Token.isUnresolved(apiRegion) && certificateRegion !== apiRegion) {
    invalidProp(where, 'customDomain.certificate', arn, `A regional custom domain needs an ACM certificate in the API's region (${apiRegion}): issue or import one there.`);
  }
}

/** Usage plans, their throttles, quotas and keys. @internal */
export function validateUsagePlans(where: string, plans: ApiUsagePlanOptions[] | undefined): void {
  if (plans === undefined) return;
  if (plans.length === 0) invalidProp(where, 'usagePlans', [], 'List at least one plan, or leave usagePlans unset.');
  const names = new Set<string>();
  const keyNames = new Set<string>();
  for (const plan of plans) {
    checkNonEmpty(where, 'usagePlans[].name', plan.name);
    if (names.has(plan.name)) invalidProp(where, 'usagePlans[].name', plan.name, 'Give each usage plan its own name.');
    names.add(plan.name);
    const p = `usagePlans[${plan.name}]`;
    checkRate(where, `${p}.rateLimitPerSecond`, plan.rateLimitPerSecond);
    checkIntegerInRange(where, `${p}.burstLimit`, plan.burstLimit, 0, 1_000_000);
    checkIntegerInRange(where, `${p}.quotaRequests`, plan.quotaRequests, 1, 2_000_000_000);
    if (plan.quotaPeriod !== undefined && plan.quotaRequests === undefined) {
      invalidProp(where, `${p}.quotaPeriod`, plan.quotaPeriod, 'A quota period needs quotaRequests (the requests allowed per period); set it or remove quotaPeriod.');
    }
    for (const t of plan.methodThrottles ?? []) {
      if (!METHODS.includes(t.method.toUpperCase())) {
        invalidProp(where, `${p}.methodThrottles[].method`, t.method, `Use a method from ${METHODS.join(', ')}.`);
      }
      checkRate(where, `${p}.methodThrottles[].rateLimitPerSecond`, t.rateLimitPerSecond);
      checkIntegerInRange(where, `${p}.methodThrottles[].burstLimit`, t.burstLimit, 0, 1_000_000);
    }
    for (const key of plan.apiKeyNames ?? []) {
      checkNonEmpty(where, `${p}.apiKeyNames`, key);
      if (keyNames.has(key)) invalidProp(where, `${p}.apiKeyNames`, key, 'Each created API key needs its own name across all plans (a key can belong to one plan per stage).');
      keyNames.add(key);
    }
  }
}

function checkRate(where: string, prop: string, rate: number | undefined): void {
  if (rate !== undefined && !Token.isUnresolved(rate) && (!Number.isFinite(rate) || rate <= 0)) {
    invalidProp(where, prop, rate, 'Use a number of requests per second greater than 0, e.g. 50.');
  }
}
