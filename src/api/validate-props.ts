import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiKind } from './api-kind';
import { ApiRoute, ObservableApiProps } from './observable-api-props';
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
  restOnly('stageName', props.stageName);
  restOnly('executionLogLevel', props.executionLogLevel);
  restOnly('webAclArn', props.webAclArn);
  if (props.manageAccountCloudWatchRole && !kind.isRest) {
    invalidProp(where, 'manageAccountCloudWatchRole', true, 'HTTP APIs do not use the account-level CloudWatch role; remove it.');
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
  validateMonitoring(where, props, timeout);
  for (const route of props.routes ?? []) validateRoute(scope, kind, route);

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

function validateMonitoring(where: string, props: ObservableApiProps, integrationTimeout: Duration | undefined): void {
  const m = props.apiMonitoring;
  if (!m) return;
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
  for (const [prop, value] of [['latencyP90Threshold', p90], ['latencyP99Threshold', p99]] as const) {
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
export function validateRoute(scope: Construct, kind: ApiKind, route: ApiRoute): void {
  const where = `ObservableApi ${scope.node.path}`;
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
