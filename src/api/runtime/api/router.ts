import { CorsPolicy } from './cors';
import { toErrorResponse } from './errors';
import type { HttpRequest } from './http-request';
import { fromRouteResult, HttpResponse, withBaseHeaders } from './http-response';
import { logger, metrics, tracer, tracing } from './powertools';
import { ClientError, correlationIdOf, InvalidBodyError, parseBody, reply, requestIdOf } from './request';
import { tracedRequest } from './request-trace';
import { compileRoutes, RouteMatch, withoutTrailingSlashes } from './route-table';
import type { EntrySchema, LambdaContext } from '../../../core/contract/entry';
import { TRACE_ANNOTATIONS } from '../../../core/contract/observability-env';
import { asError } from '../../../core/runtime/shared/non-error';
import { templateParameters } from '../../../core/runtime/shared/parameters';
import { InvalidInputError, loadSchemaValidation, validateInput } from '../../../core/runtime/shared/schema';
import type { ApiRequest, RouteSchemas, RouteTable } from '../../contract';

export type { RouteHandler, RouteSchemas, RouteTable } from '../../contract';
export { parseRouteKey, type ParsedRouteKey } from './route-table';

/** The methods a request may use; anything else is a 405 before routing (no route can match it). */
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** The template's router: the route table, CORS, tracing, body parsing and our error mapping around every route. */
export interface ApiRouter {
  /** Answers one request; never throws (a failure is an error response). */
  handle(request: HttpRequest, context: LambdaContext): Promise<HttpResponse>;
}

/**
 * Builds the router. Our own (not Powertools event-handler's, which turns every event into
 * a web Request and answers with a web Response: their first use costs ~40 ms of cold start).
 */
export function createApiRouter(routes: RouteTable, schemas: RouteSchemas = {}): ApiRouter {
  // Only routes with a schema need the validation chunk: loaded during init, when there are any.
  if (Object.keys(schemas).length > 0) loadSchemaValidation().catch(() => undefined);
  const table = compileRoutes(routes);
  // Set by the construct for REST APIs with CORS: a proxy integration's response headers
  // come from the function, so the function must add the CORS headers itself.
  const cors = CorsPolicy.fromEnv();
  return {
    async handle(request, context) {
      const requestId = requestIdOf(request.event);
      if (!HTTP_METHODS.has(request.method)) {
        // The client's mistake, not ours: a warning, so error-log alarms stay quiet.
        logger.warn(`HTTP method ${request.method} is not supported; answering 405`);
        return toErrorResponse(new ClientError(405, `HTTP method ${request.method} is not supported`), requestId);
      }
      const { preflight, headers: corsHeaders } = cors?.decide(request) ?? {};
      const answer = await tracedRequest(
        request,
        async () => {
          if (preflight) return preflight;
          const match = table.match(request.method, request.path);
          // Answered, not thrown: an unknown route is not an error in the trace.
          if (!match) return toErrorResponse(new ClientError(404, `Route ${withoutTrailingSlashes(request.path)} for method ${request.method} not found`), requestId);
          return runRoute(match, request, context, schemas[match.key]);
        },
        // One mapping for every error (404s included), so no response ever carries a stack.
        (error) => toErrorResponse(error, requestId),
      );
      return withBaseHeaders(answer, corsHeaders);
    },
  };
}

async function runRoute(match: RouteMatch, request: HttpRequest, context: LambdaContext, schema: EntrySchema | undefined): Promise<HttpResponse> {
  tracing.annotate({ [TRACE_ANNOTATIONS.route]: match.key });
  // The event's own content type: an unlabelled body must be JSON.
  const body = await validBody(parseBody(request.body, request.headers['content-type'] ?? null), match.key, schema);
  const requestId = requestIdOf(request.event) ?? context.awsRequestId;
  const apiRequest: ApiRequest = {
    method: request.method,
    path: request.path,
    params: match.params,
    query: request.query,
    headers: request.headers,
    body,
    requestId,
    correlationId: correlationIdOf(request.event) ?? requestId,
    event: request.event,
    context,
    logger,
    metrics,
    tracer,
    parameters: templateParameters(),
    reply,
  };
  let result: unknown;
  try {
    result = await match.handler(apiRequest);
  } catch (thrown) {
    // A route may throw anything; the error mapping and the log want an Error.
    throw asError('the route', thrown);
  }
  return fromRouteResult(result);
}

/** The body the route gets: the schema's output, or a 400 listing the issues. */
async function validBody(body: unknown, routeKey: string, schema: EntrySchema | undefined): Promise<unknown> {
  if (!schema) return body;
  try {
    return await validateInput(schema, body, `The request body of ${routeKey}`);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidBodyError(routeKey, error.issues);
    throw error;
  }
}
