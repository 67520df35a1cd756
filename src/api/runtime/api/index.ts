import type { Context } from 'aws-lambda';
import { demoRoutes } from './demo-routes';
import { routesFromModule, schemasFromModule } from './entry';
import { ApiResult, toProxyResult } from './http-response';
import { answerInvocation, ResponseSink } from './invocation';
import { ApiRouter, createApiRouter } from './router';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT, routesFromModule, schemasFromModule } from './entry';
export { ClientError, InvalidBodyError, type ApiRequest, type ApiReply } from './request';
export { createApiRouter, parseRouteKey, type ApiRouter, type RouteHandler, type RouteTable } from './router';
export { demoRoutes } from './demo-routes';
export { ORDER_CREATED_METRIC } from '../../contract';
export type { ApiResult } from './http-response';

/** Buffered answers: the whole proxy result, in the event's shape (an unrouted answer is a plain JSON result). */
const proxyResults: ResponseSink<ApiResult> = {
  notProxyMessage: 'Not an API Gateway proxy event',
  answeredMessage: 'Request handled',
  send: async (response, request) =>
    request ? toProxyResult(response, request.shape) : { statusCode: response.statusCode, headers: response.headers, body: response.body ?? '' },
};

/**
 * Handles one API Gateway proxy event (REST v1 or HTTP v2): correlation id on every log
 * line, ColdStart metric, routing, and metrics flushed even when the route failed.
 */
export function handleApiEvent(app: ApiRouter, event: unknown, context: Context): Promise<ApiResult> {
  return answerInvocation(app, event, context, proxyResults);
}

/** Wraps a user's module (`HandlerCode.fromEntry`) into a Lambda handler; validates its exports at init. */
export function wrapApi(userModule: unknown): (event: unknown, context: Context) => Promise<ApiResult> {
  const routes = routesFromModule(userModule);
  const app = createApiRouter(routes, schemasFromModule(userModule, routes));
  return (event, context) => handleApiEvent(app, event, context);
}

/** The template's default handler: the demo routes (`GET /health`, `/orders`, `/orders/{id}`). */
export const handler = wrapApi({ routes: demoRoutes });
