import type { Context } from 'aws-lambda';
import { exportRoute } from './export-route';
import { lambdaStreaming, ResponseStream, StreamingHandler, writeResponse } from './response-stream';
import { demoRoutes } from '../api/demo-routes';
import { routesFromModule } from '../api/entry';
import { answerInvocation, ResponseSink } from '../api/invocation';
import { ApiRouter, createApiRouter } from '../api/router';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export { ENTRY_CONTRACT, routesFromModule } from '../api/entry';
export { ORDER_CREATED_METRIC } from '../../contract';

/**
 * The streaming variant of the API template, for a Function URL with `InvokeMode:
 * RESPONSE_STREAM`: the same router, logs, correlation id and metrics, but the response
 * body is piped to the client as the route produces it (a route can return a `Response`
 * whose body is a `ReadableStream`) instead of being buffered (6 MB limit) first.
 */
export function handleApiStreamEvent(app: ApiRouter, event: unknown, responseStream: ResponseStream, context: Context): Promise<void> {
  const sink: ResponseSink<void> = {
    notProxyMessage: 'Not an HTTP proxy event',
    answeredMessage: 'Request streamed',
    send: (response) => writeResponse(responseStream, response),
  };
  return answerInvocation(app, event, context, sink);
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
