import { isAPIGatewayProxyEventV1, isAPIGatewayProxyEventV2, type Router } from '@aws-lambda-powertools/event-handler/http';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { exportRoute } from './export-route';
import { lambdaStreaming, ResponseStream, StreamingHandler, writeWholeResponse } from './response-stream';
import { startInvocation } from '../../../core/runtime/shared/logger';
import { demoRoutes } from '../api/demo-routes';
import { routesFromModule } from '../api/entry';
import { toErrorResponse } from '../api/errors';
import { logger, metrics } from '../api/powertools';
import { ClientError, hasMalformedEscape, requestIdOf } from '../api/request';
import { createApiRouter } from '../api/router';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT, routesFromModule } from '../api/entry';
export { ORDER_CREATED_METRIC } from '../../contract';

/**
 * The streaming variant of the API template, for a Function URL with `InvokeMode:
 * RESPONSE_STREAM`: the same routes, logs, correlation id and metrics, but the response
 * body is piped to the client as the route produces it (a route can return a `Response`
 * whose body is a `ReadableStream`) instead of being buffered (6 MB limit) first.
 */
export async function handleApiStreamEvent(app: Router, event: unknown, responseStream: ResponseStream, context: Context): Promise<void> {
  const requestId = requestIdOf(event);
  startInvocation(logger, context);
  if (requestId) logger.setCorrelationId(requestId);
  metrics.captureColdStartMetric(context.functionName);
  const started = Date.now();
  try {
    if (!isAPIGatewayProxyEventV1(event) && !isAPIGatewayProxyEventV2(event)) {
      logger.error('The event is not a Function URL (HTTP v2) or API Gateway proxy event; answering 400');
      return await writeWholeResponse(responseStream, toErrorResponse(new ClientError(400, 'Not an HTTP proxy event'), requestId));
    }
    const path = isAPIGatewayProxyEventV2(event) ? event.rawPath : event.path;
    if (hasMalformedEscape(path)) {
      return await writeWholeResponse(responseStream, toErrorResponse(new ClientError(400, 'The path has an invalid percent-escape: "%" must be followed by two hex digits'), requestId));
    }
    await app.resolveStream(withoutBodyOnGet(event), context, { responseStream });
    logger.info('Request streamed', {
      method: isAPIGatewayProxyEventV2(event) ? event.requestContext.http.method : event.httpMethod,
      path,
      durationMs: Date.now() - started,
    });
  } catch (error) {
    // Route errors become responses inside the router; this is a failure before any byte was sent.
    await writeWholeResponse(responseStream, toErrorResponse(error, requestId));
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}

/** Wraps a user's module (`HandlerCode.fromEntry`) into a streaming Lambda handler; validates its exports at init. */
export function wrapApiStream(userModule: unknown): StreamingHandler {
  const app = createApiRouter(routesFromModule(userModule));
  const handle: StreamingHandler = (event, responseStream, context) => handleApiStreamEvent(app, event, responseStream, context);
  // In Lambda the runtime's streamifyResponse marks the handler as streaming; elsewhere it is called with a stream.
  const streamify = lambdaStreaming().streamifyResponse;
  return streamify ? streamify(handle) : handle;
}

/** The template's default handler: the demo routes plus `GET /orders/export`, which streams NDJSON. */
export const handler = wrapApiStream({ routes: { ...demoRoutes, ...exportRoute } });

/**
 * A web Request cannot carry a body on GET or HEAD, which clients may still send; it has no
 * meaning there, so it is dropped instead of failing the call. (The buffered template does
 * the same; importing it would also start its default router in this bundle.)
 */
function withoutBodyOnGet<T extends APIGatewayProxyEvent | APIGatewayProxyEventV2>(event: T): T {
  const method = ('httpMethod' in event ? event.httpMethod : event.requestContext.http.method).toUpperCase();
  if ((method !== 'GET' && method !== 'HEAD') || event.body === undefined || event.body === null) return event;
  return { ...event, body: 'httpMethod' in event ? null : undefined, isBase64Encoded: false };
}
