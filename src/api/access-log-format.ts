/**
 * JSON access log lines with the fields an on-call engineer needs: who (ip, user agent),
 * what (method, path, route), outcome (status, latency, integration error) and the request
 * id that is also the `correlation_id` of the function's log lines. Values are quoted so the
 * format is valid JSON (cdk-nag Serverless-APIGWStructuredLogging parses it).
 */
const COMMON_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
};

/** Access log format of a REST API stage. @internal */
export function restAccessLogFormat(): string {
  return JSON.stringify({
    ...COMMON_FIELDS,
    resourcePath: '$context.resourcePath',
    user: '$context.identity.user',
    caller: '$context.identity.caller',
    xrayTraceId: '$context.xrayTraceId',
  });
}

/** Access log format of an HTTP API stage. @internal */
export function httpAccessLogFormat(): string {
  return JSON.stringify({ ...COMMON_FIELDS, routeKey: '$context.routeKey' });
}
