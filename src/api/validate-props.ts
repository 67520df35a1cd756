import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiAuthorization, AUTHORIZATION_KINDS } from './api-authorization';
import { ApiKind } from './api-kind';
import { ApiRoute, ObservableApiProps } from './observable-api-props';
import { validateAuthorization, validateCustomDomain, validateEndpoint, validateUsagePlans } from './validate-access';
import { checkIntegerInRange, checkNonEmpty, convertibleAtSynth, invalidProp } from '../core/validation';


/** Defaults applied and props checked. @internal */
export interface ResolvedApiSettings {
  readonly stageName: string;
  readonly throttlingRatePerSecond: number;
  readonly throttlingBurstLimit: number;
  readonly executionLogLevel: apigateway.MethodLoggingLevel;
  readonly integrationTimeout?: Duration;
  readonly maxIntegrationTimeout: Duration;
}

const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const PATH = /^\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\+?\})(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\+?\}))*$/;
const WEB_ACL_ARN = /^arn:[a-z-]+:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/;

export function resolveApiSettings(scope: Construct, props: ObservableApiProps, kind: ApiKind): ResolvedApiSettings {
  const where = `ObservableApi ${scope.node.path}`;
  const restOnly = (prop: string, value: unknown) => {
    if (value !== undefined && !kind.isRest) {
      invalidProp(where, prop, value, 'It applies to REST APIs only; remove it or use apiKind: ApiKind.rest().');
    }
  };
  const apiGatewayOnly = (prop: string, value: unknown) => {
    if (value !== undefined && kind.isFunctionUrl) {
      invalidProp(where, prop, value, 'A Function URL has no API Gateway in front of it; remove it, or use apiKind: ApiKind.rest() or ApiKind.http().');
    }
  };
  restOnly('stageName', props.stageName);
  restOnly('executionLogLevel', props.executionLogLevel);
  restOnly('webAclArn', props.webAclArn);
  restOnly('endpointType', props.endpointType);
  restOnly('vpcEndpoints', props.vpcEndpoints);
  restOnly('canary', props.canary?.percentTraffic);
  const percent = props.canary?.percentTraffic;
  if (percent !== undefined && !Token.isUnresolved(percent) && (!Number.isFinite(percent) || percent <= 0 || percent > 100)) {
    invalidProp(where, 'canary.percentTraffic', percent, 'Use a percentage of requests greater than 0 and at most 100, e.g. 10.');
  }
  validateStageVariables(where, props.canary?.stageVariableOverrides, 'canary.stageVariableOverrides');
  if (props.usagePlans !== undefined && !kind.isRest) {
    invalidProp(where, 'usagePlans', props.usagePlans.map((p) => p.name), 'Usage plans and API keys exist for REST APIs only; remove them or use apiKind: ApiKind.rest().');
  }
  if (props.manageAccountCloudWatchRole && !kind.isRest) {
    invalidProp(where, 'manageAccountCloudWatchRole', true, `${kind.isHttp ? 'HTTP APIs' : 'Function URLs'} do not use the account-level CloudWatch role; remove it.`);
  }
  for (const [prop, value] of Object.entries({
    throttlingRatePerSecond: props.throttlingRatePerSecond,
    throttlingBurstLimit: props.throttlingBurstLimit,
    integrationTimeout: props.integrationTimeout,
    accessLogRetention: props.accessLogRetention,
    detailedMetrics: props.detailedMetrics,
    customDomain: props.customDomain?.domainName,
    stageVariables: props.stageVariables,
  })) apiGatewayOnly(prop, value);
  if (kind.isFunctionUrl && props.routes?.length) {
    invalidProp(where, 'routes', props.routes.map((r) => r.path), 'A Function URL invokes one function; route requests inside it (the template\'s routes or HandlerCode.fromEntry), or use a REST or HTTP API.');
  }
  if (props.responseStreaming && !kind.isFunctionUrl) {
    invalidProp(where, 'responseStreaming', true, `A ${kind.name} API buffers the function's response; use apiKind: ApiKind.functionUrl() to stream, or remove responseStreaming.`);
  }

  if (props.stageName !== undefined && Token.isUnresolved(props.stageName)) {
    // aws-cdk-lib builds the stage's construct id from its name, which a token cannot be part of.
    invalidProp(where, 'stageName', 'a token', 'The stage name is part of the stage\'s construct id, so it must be known at synth; give a string such as "prod".');
  }
  if (props.stageName !== undefined && !STAGE_NAME.test(props.stageName)) {
    invalidProp(where, 'stageName', props.stageName, 'Use 1-128 letters, digits, "-" or "_", e.g. "prod".');
  }
  const rate = props.throttlingRatePerSecond;
  if (rate !== undefined && !Token.isUnresolved(rate) && (!Number.isFinite(rate) || rate <= 0)) {
    invalidProp(where, 'throttlingRatePerSecond', rate, 'Use a number of requests per second greater than 0, e.g. 500.');
  }
  checkIntegerInRange(where, 'throttlingBurstLimit', props.throttlingBurstLimit, 1, 1_000_000);
  if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn) && !WEB_ACL_ARN.test(props.webAclArn)) {
    invalidProp(where, 'webAclArn', props.webAclArn, 'Use the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>).');
  }
  if (props.accessLogRetention === logs.RetentionDays.INFINITE) {
    invalidProp(where, 'accessLogRetention', 'INFINITE', 'Access logs grow with traffic; choose a finite retention such as logs.RetentionDays.THREE_MONTHS.');
  }

  const maxIntegrationTimeout = Duration.seconds(kind.isRest ? 29 : 30);
  const timeout = props.integrationTimeout;
  checkMillisecondsKnown(where, 'integrationTimeout', timeout, 'The integration timeout');
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const ms = timeout.toMilliseconds();
    if (ms < 50 || ms > maxIntegrationTimeout.toMilliseconds()) {
      invalidProp(where, 'integrationTimeout', timeout, `Use a Duration from 50 milliseconds to ${maxIntegrationTimeout.toSeconds()} seconds for a ${kind.name} API.`);
    }
  }

  validateCors(where, props);
  validateMonitoring(where, props, kind, timeout);
  validateStageVariables(where, props.stageVariables);
  validateAuthorization(where, 'authorization', props.authorization, kind, props.allowUnauthenticatedAccess ?? false);
  validateEndpoint(where, props);
  validateCustomDomain(scope, where, props, kind);
  validateUsagePlans(where, props.usagePlans);
  for (const route of props.routes ?? []) validateRoute(scope, kind, route, props);

  return {
    stageName: props.stageName ?? 'prod',
    throttlingRatePerSecond: rate ?? 500,
    throttlingBurstLimit: props.throttlingBurstLimit ?? 1000,
    executionLogLevel: props.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
    integrationTimeout: timeout,
    maxIntegrationTimeout,
  };
}

function validateCors(where: string, props: ObservableApiProps): void {
  const cors = props.cors;
  if (!cors) return;
  if (!Array.isArray(cors.allowOrigins) || cors.allowOrigins.length === 0) {
    invalidProp(where, 'cors.allowOrigins', cors.allowOrigins, 'List at least one origin, e.g. ["https://app.example.com"].');
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    invalidProp(where, 'cors.allowOrigins', cors.allowOrigins, 'Browsers reject credentials with a "*" origin; list the exact origins or set allowCredentials to false.');
  }
  for (const method of cors.allowMethods ?? []) {
    if (!METHODS.includes(method.toUpperCase())) {
      invalidProp(where, 'cors.allowMethods', cors.allowMethods, `Use methods from ${METHODS.join(', ')}.`);
    }
  }
}

const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const STAGE_VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{1,512}$/;

function validateStageVariables(where: string, variables: { [name: string]: string } | undefined, prop = 'stageVariables'): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!STAGE_VARIABLE_NAME.test(name)) {
      invalidProp(where, prop, name, 'Stage variable names use 1-64 letters, digits or "_".');
    }
    if (!Token.isUnresolved(value) && !STAGE_VARIABLE_VALUE.test(value)) {
      invalidProp(where, `${prop}.${name}`, value, 'Stage variable values use 1-512 letters, digits and - . _ ~ : / ? # & = , (no spaces).');
    }
  }
}

function validateMonitoring(where: string, props: ObservableApiProps, kind: ApiKind, integrationTimeout: Duration | undefined): void {
  const m = props.apiMonitoring;
  if (!m) return;
  checkIntegerInRange(where, 'apiMonitoring.lowTrafficRequestsPerHour', m.lowTrafficRequestsPerHour, 1, 1_000_000_000);
  if (m.integrationLatencyP99Threshold !== undefined && !kind.isHttp) {
    invalidProp(where, 'apiMonitoring.integrationLatencyP99Threshold', m.integrationLatencyP99Threshold, 'The integration latency alarm is for HTTP APIs; use latencyP99Threshold, or apiKind: ApiKind.http().');
  }
  const percent = (prop: string, value: number | undefined) => {
    if (value !== undefined && !Token.isUnresolved(value) && (!(value > 0) || value > 100)) {
      invalidProp(where, `apiMonitoring.${prop}`, value, 'Use a percentage greater than 0 and at most 100, e.g. 1.');
    }
  };
  percent('serverErrorRateThresholdPercent', m.serverErrorRateThresholdPercent);
  percent('clientErrorRateThresholdPercent', m.clientErrorRateThresholdPercent);
  checkIntegerInRange(where, 'apiMonitoring.concurrentExecutionsThreshold', m.concurrentExecutionsThreshold, 1, 1_000_000);
  const p90 = m.latencyP90Threshold;
  const p99 = m.latencyP99Threshold;
  for (const [prop, value] of [['latencyP90Threshold', p90], ['latencyP99Threshold', p99], ['integrationLatencyP99Threshold', m.integrationLatencyP99Threshold]] as const) {
    checkMillisecondsKnown(where, `apiMonitoring.${prop}`, value, 'The latency alarm threshold');
    if (value !== undefined && !value.isUnresolved() && value.toMilliseconds() <= 0) {
      invalidProp(where, `apiMonitoring.${prop}`, value, 'Use a positive Duration, e.g. Duration.seconds(1).');
    }
    const comparable = value !== undefined && integrationTimeout && !value.isUnresolved() && !integrationTimeout.isUnresolved();
    if (comparable && value.toMilliseconds() > integrationTimeout.toMilliseconds()) {
      invalidProp(where, `apiMonitoring.${prop}`, value, `A latency above the integration timeout (${integrationTimeout.toHumanString()}) never happens; use a lower threshold.`);
    }
  }
  if (p90 && p99 && !p90.isUnresolved() && !p99.isUnresolved() && p90.toMilliseconds() > p99.toMilliseconds()) {
    invalidProp(where, 'apiMonitoring.latencyP90Threshold', p90, `It must not exceed latencyP99Threshold (${p99.toHumanString()}).`);
  }
  for (const name of m.businessMetricNames ?? []) checkNonEmpty(where, 'apiMonitoring.businessMetricNames', name);
}

/** Checks one extra route. @internal */
export function validateRoute(scope: Construct, kind: ApiKind, route: ApiRoute, props: ObservableApiProps): void {
  const where = `ObservableApi ${scope.node.path}`;
  const allowUnauthenticatedAccess = props.allowUnauthenticatedAccess ?? false;
  if (kind.isFunctionUrl) {
    invalidProp(where, 'routes', [route.path], 'A Function URL invokes one function; route requests inside it, or use a REST or HTTP API.');
  }
  validateAuthorization(where, 'routes[].authorization', route.authorization, kind, allowUnauthenticatedAccess);
  if (route.authorizationScopes !== undefined) {
    if (route.authorizationScopes.length === 0 || route.authorizationScopes.some((s) => !Token.isUnresolved(s) && !/^\S+$/.test(s))) {
      invalidProp(where, 'routes[].authorizationScopes', route.authorizationScopes, 'List at least one scope such as "orders/read" (no spaces), or leave it unset for the authorization\'s scopes.');
    }
    const effective = (route.authorization ?? props.authorization ?? ApiAuthorization.iam()).kind;
    if (!AUTHORIZATION_KINDS[effective].scopes) {
      invalidProp(where, 'routes[].authorizationScopes', route.authorizationScopes, `Scopes are checked by Cognito and JWT authorizers only, and route ${route.path} uses ${effective}; remove them or give the route ApiAuthorization.jwt(...) or .cognito(...).`);
    }
  }
  if (!Token.isUnresolved(route.path) && !PATH.test(route.path)) {
    invalidProp(where, 'routes[].path', route.path, 'Use an absolute path such as "/reports" or "/reports/{id}" (letters, digits, ".", "_", "~", "-" and {name} parameters).');
  }
  for (const method of route.methods ?? []) {
    if (!METHODS.includes(method.toUpperCase())) {
      invalidProp(where, 'routes[].methods', route.methods, `Use methods from ${METHODS.join(', ')}.`);
    }
  }
  if (route.methods && route.methods.length === 0) {
    invalidProp(where, 'routes[].methods', route.methods, 'List at least one method or leave it unset for ANY.');
  }
  if (!kind.isRest && route.requestBodySchema) {
    invalidProp(where, 'routes[].requestBodySchema', `route ${route.path}`, 'HTTP APIs have no request validation; validate the body in the function or use a REST API.');
  }
  if (!kind.isRest && route.requiredQueryParameters) {
    invalidProp(where, 'routes[].requiredQueryParameters', route.requiredQueryParameters, 'HTTP APIs have no request validation; check the query parameters in the function or use a REST API.');
  }
  if (!kind.isRest && route.requiredHeaders) {
    invalidProp(where, 'routes[].requiredHeaders', route.requiredHeaders, 'HTTP APIs have no request validation; check the headers in the function or use a REST API.');
  }
}

/**
 * Throws when a Duration cannot be turned into milliseconds at synth: a token built with
 * another unit (e.g. `Duration.minutes(param.valueAsNumber)`) has no millisecond value
 * until deployment. `Duration.millis(token)` is fine.
 */
function checkMillisecondsKnown(where: string, prop: string, value: Duration | undefined, use: string): void {
  if (value === undefined || convertibleAtSynth(value, 'millis')) return;
  invalidProp(where, prop, value, `${use} needs its value in milliseconds at synth: give a concrete Duration such as Duration.seconds(2), or Duration.millis(token) for a deploy-time value.`);
}
