/** Real API Gateway proxy event shapes (as documented by AWS), for the api template tests. */

interface RequestSpec {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  requestId: string;
}

/** A REST API (v1) Lambda proxy event as the `{proxy+}` resource receives it. */
export function restEvent(spec: RequestSpec) {
  const headers = { 'Host': 'abc123.execute-api.us-east-1.amazonaws.com', 'User-Agent': 'curl/8.4.0', 'X-Forwarded-Proto': 'https', ...spec.headers };
  return {
    resource: '/{proxy+}',
    path: spec.path,
    httpMethod: spec.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: spec.query ?? null,
    multiValueQueryStringParameters: spec.query ? Object.fromEntries(Object.entries(spec.query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: { proxy: spec.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      extendedRequestId: 'ext-id',
      httpMethod: spec.method,
      identity: { sourceIp: '203.0.113.7', userAgent: 'curl/8.4.0', accessKey: null, accountId: null, caller: null, user: null, userArn: null },
      path: `/prod${spec.path}`,
      protocol: 'HTTP/1.1',
      requestId: spec.requestId,
      requestTime: '09/Apr/2025:12:34:56 +0000',
      requestTimeEpoch: 1744202096000,
      resourceId: 'res123',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    },
    body: spec.body ?? null,
    isBase64Encoded: false,
  };
}

/** An HTTP API (v2, payload format 2.0) event as the `$default` route receives it. */
export function httpEvent(spec: RequestSpec) {
  const query = spec.query ? new URLSearchParams(spec.query).toString() : '';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: spec.path,
    rawQueryString: query,
    headers: { 'host': 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'curl/8.4.0', 'x-forwarded-proto': 'https', ...spec.headers },
    ...(spec.query ? { queryStringParameters: spec.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: spec.method, path: spec.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.4.0' },
      requestId: spec.requestId,
      routeKey: '$default',
      stage: '$default',
      time: '09/Apr/2025:12:34:56 +0000',
      timeEpoch: 1744202096000,
    },
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    isBase64Encoded: false,
  };
}

export const EVENT_SHAPES = [
  ['REST v1', restEvent],
  ['HTTP v2', httpEvent],
] as const;
