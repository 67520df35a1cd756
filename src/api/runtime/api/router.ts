import { Router } from '@aws-lambda-powertools/event-handler/http';
import { cors } from '@aws-lambda-powertools/event-handler/http/middleware';
import { tracer as tracerMiddleware } from '@aws-lambda-powertools/event-handler/http/middleware/tracer';
import type { RequestContext } from '@aws-lambda-powertools/event-handler/types';
import { toErrorResponse } from './errors';
import { logger, metrics, tracer, tracing } from './powertools';
import { correlationIdOf, headersToRecord, InvalidBodyError, parseBody, reply, requestIdOf } from './request';
import type { EntrySchema } from '../../../core/contract/entry';
import { TRACE_ANNOTATIONS } from '../../../core/contract/observability-env';
import { asError } from '../../../core/runtime/shared/non-error';
import { templateParameters } from '../../../core/runtime/shared/parameters';
import { InvalidInputError, loadSchemaValidation, validateInput } from '../../../core/runtime/shared/schema';
import { API_ENV, ApiReply, ApiRequest, RouteHandler, RouteSchemas, RouteTable } from '../../contract';

export type { RouteHandler, RouteSchemas, RouteTable } from '../../contract';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
const ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[A-Za-z0-9._~\-/{}:]*)$/;

/** A parsed route key. */
export interface ParsedRouteKey {
  readonly methods: Method[];
  /** Powertools path syntax: `/orders/:id`. */
  readonly path: string;
}

/**
 * Parses `METHOD /path` with API Gateway style `{name}` parameters (Powertools' `:name`
 * works too). Throws a message that says what a valid key looks like.
 */
export function parseRouteKey(key: string): ParsedRouteKey {
  const match = ROUTE_KEY.exec(key);
  if (!match || match[2].includes('+}')) {
    throw new Error(
      `invalid route key ${JSON.stringify(key)}: use "METHOD /path" with METHOD one of ANY, ${METHODS.join(', ')} ` +
        'and {name} path parameters, e.g. "GET /orders/{id}" (greedy {proxy+} parameters are not supported).',
    );
  }
  const methods = match[1] === 'ANY' ? [...METHODS] : [match[1] as Method];
  const path = match[2].replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
  return { methods, path };
}

/**
 * A Powertools event-handler Router (it understands REST v1 and HTTP v2 proxy events) with
 * tracing, body parsing and our error mapping around every route.
 */
export function createApiRouter(routes: RouteTable, schemas: RouteSchemas = {}): Router {
  // Only routes with a schema need the validation chunk: loaded during init, when there are any.
  if (Object.keys(schemas).length > 0) loadSchemaValidation().catch(() => undefined);
  const app = new Router({ logger });
  app.use(lazyTracerMiddleware());
  // Set by the construct for REST APIs with CORS: a proxy integration's response headers
  // come from the function, so the function must add the CORS headers itself.
  const origins = process.env[API_ENV.corsAllowOrigins.name];
  if (origins) {
    app.use(cors({ origin: origins.split(','), credentials: process.env[API_ENV.corsAllowCredentials.name] === 'true' }));
  }
  // One handler for every error (404s included), so no response ever carries a stack.
  app.errorHandler(Error, async (error, reqCtx) => toErrorResponse(error, requestIdOf(reqCtx.event)));
  for (const [key, routeHandler] of Object.entries(routes)) {
    const { methods, path } = parseRouteKey(key);
    app.route(adapt(routeHandler, key, schemas[key]), { method: methods, path: path as `/${string}` });
  }
  return app;
}

function adapt(routeHandler: RouteHandler, routeKey: string, schema: EntrySchema | undefined) {
  return async (reqCtx: RequestContext): Promise<Response> => {
    tracing.annotate({ [TRACE_ANNOTATIONS.route]: routeKey });
    const req = reqCtx.req;
    // The event's own header: a web Request labels every string body text/plain.
    const body = await validBody(parseBody(await req.text(), eventHeader(reqCtx.event, 'content-type')), routeKey, schema);
    const url = new URL(req.url);
    const requestId = requestIdOf(reqCtx.event) ?? reqCtx.context.awsRequestId;
    const request: ApiRequest = {
      method: req.method,
      path: url.pathname,
      params: { ...reqCtx.params },
      query: Object.fromEntries(url.searchParams.entries()),
      headers: headersToRecord(req.headers),
      body,
      requestId,
      correlationId: correlationIdOf(reqCtx.event) ?? requestId,
      event: reqCtx.event,
      context: reqCtx.context,
      logger,
      metrics,
      tracer,
      parameters: templateParameters(),
      reply,
    };
    let result: unknown;
    try {
      result = await routeHandler(request);
    } catch (thrown) {
      // Powertools picks an error handler by the thrown value's constructor: a non-Error
      // would skip ours and get its bare default body, or crash it when undefined.
      throw asError('the route', thrown);
    }
    return toResponse(result);
  };
}

/**
 * Powertools' tracer middleware (a subsegment per request with ColdStart, Service and the
 * HTTP status), built once the lazy tracer has loaded; a pass-through where nothing is traced.
 * No response bodies in traces: they may hold personal data.
 */
function lazyTracerMiddleware() {
  let middleware: ReturnType<typeof tracerMiddleware> | undefined;
  const traced: typeof middleware = async (args) => {
    const powertoolsTracer = tracing.powertoolsTracer;
    if (!powertoolsTracer) return args.next();
    middleware ??= tracerMiddleware(powertoolsTracer, { logger, captureResponse: false });
    return middleware(args);
  };
  return traced;
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

function toResponse(result: unknown): Response {
  if (result === undefined) return new Response(null, { status: 204 });
  if (result instanceof Response) return result;
  if (isReply(result)) {
    const body = result.body === undefined ? null : typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    return new Response(body, { status: result.statusCode, headers: result.headers });
  }
  return Response.json(result, { status: 200 });
}

/** `request.reply(...)` results, and proxy results a handler built by hand. */
function isReply(value: unknown): value is ApiReply {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return typeof (value as ApiReply).statusCode === 'number' && keys.every((k) => k === 'statusCode' || k === 'body' || k === 'headers');
}

/** A header of the raw proxy event, matched case-insensitively (REST keeps the client's case). */
function eventHeader(event: unknown, name: string): string | null {
  const headers = (event as { headers?: Record<string, string | undefined> | null }).headers ?? {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return value;
  }
  return null;
}
