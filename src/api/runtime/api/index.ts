import { isAPIGatewayProxyEventV1, isAPIGatewayProxyEventV2, type Router } from '@aws-lambda-powertools/event-handler/http';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { demoRoutes } from './demo-routes';
import { routesFromModule, schemasFromModule } from './entry';
import { toErrorResponse } from './errors';
import { logger, metrics, tracing } from './powertools';
import { ClientError, correlationIdOf, hasMalformedEscape, requestIdOf } from './request';
import { createApiRouter } from './router';
import { endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT, routesFromModule, schemasFromModule } from './entry';
export { ClientError, InvalidBodyError, type ApiRequest, type ApiReply } from './request';
export { createApiRouter, parseRouteKey, type RouteHandler, type RouteTable } from './router';
export { demoRoutes } from './demo-routes';
export { ORDER_CREATED_METRIC } from '../../contract';

/** An API Gateway proxy result (v1 or v2 shape, depending on the event). */
export type ApiResult = { statusCode: number; headers?: Record<string, string>; body?: string; [key: string]: unknown };

/**
 * Handles one API Gateway proxy event (REST v1 or HTTP v2): correlation id on every log
 * line, ColdStart metric, routing, and metrics flushed even when the route failed.
 */
export async function handleApiEvent(app: Router, event: unknown, context: Context): Promise<ApiResult> {
  let failed = true;
  try {
    const result = await handleRequest(app, event, context);
    failed = result.statusCode >= 500;
    return result;
  } finally {
    // With log buffering: a 5xx prints the request's buffered DEBUG lines, anything else drops them.
    endBufferedLogs(failed, logger);
  }
}

async function handleRequest(app: Router, event: unknown, context: Context): Promise<ApiResult> {
  const requestId = requestIdOf(event);
  await tracing.ready();
  startInvocation(logger, context);
  const correlationId = correlationIdOf(event);
  if (correlationId) logger.setCorrelationId(correlationId);
  metrics.captureColdStartMetric(context.functionName);
  const started = Date.now();
  try {
    if (!isAPIGatewayProxyEventV1(event) && !isAPIGatewayProxyEventV2(event)) {
      logger.error('The event is not an API Gateway REST (v1) or HTTP (v2) proxy event; answering 400');
      return await toProxyResult(toErrorResponse(new ClientError(400, 'Not an API Gateway proxy event'), requestId));
    }
    const path = isAPIGatewayProxyEventV2(event) ? event.rawPath : event.path;
    if (hasMalformedEscape(path)) {
      return await toProxyResult(toErrorResponse(new ClientError(400, 'The path has an invalid percent-escape: "%" must be followed by two hex digits'), requestId));
    }
    const result = (await app.resolve(withoutBodyOnGet(event), context)) as ApiResult;
    logger.info('Request handled', {
      method: isAPIGatewayProxyEventV2(event) ? event.requestContext.http.method : event.httpMethod,
      path,
      statusCode: result.statusCode,
      durationMs: Date.now() - started,
    });
    return result;
  } catch (error) {
    // Only failures outside a route land here (e.g. an event the router cannot convert).
    return await toProxyResult(toErrorResponse(error, requestId));
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}

/** Wraps a user's module (`HandlerCode.fromEntry`) into a Lambda handler; validates its exports at init. */
export function wrapApi(userModule: unknown): (event: unknown, context: Context) => Promise<ApiResult> {
  const routes = routesFromModule(userModule);
  const app = createApiRouter(routes, schemasFromModule(userModule, routes));
  return (event, context) => handleApiEvent(app, event, context);
}

/** The template's default handler: the demo routes (`GET /health`, `/orders`, `/orders/{id}`). */
export const handler = wrapApi({ routes: demoRoutes });

/**
 * Clients may send a body with GET or HEAD and API Gateway passes it on, but a web Request
 * cannot carry one; such a body has no meaning, so it is dropped instead of failing the call.
 */
function withoutBodyOnGet<T extends APIGatewayProxyEvent | APIGatewayProxyEventV2>(event: T): T {
  const method = 'httpMethod' in event ? event.httpMethod : event.requestContext.http.method;
  const upper = method.toUpperCase();
  if ((upper !== 'GET' && upper !== 'HEAD') || event.body === undefined || event.body === null) return event;
  return { ...event, body: 'httpMethod' in event ? null : undefined, isBase64Encoded: false };
}

async function toProxyResult(response: Response): Promise<ApiResult> {
  return { statusCode: response.status, headers: { 'content-type': 'application/json' }, body: await response.text() };
}
