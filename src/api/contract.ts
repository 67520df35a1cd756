/**
 * The contract between ObservableApi and its template (runtime/api): dependency-free, so
 * the template can bundle it. Neither side holds a copy of anything here.
 */
import type { EntryLogger, EntryMetrics, EntrySchema, EntryTracer, LambdaContext } from '../core/contract/entry';
import type { EntryParameters } from '../core/contract/parameters';

/** Variables the construct sets for CORS response headers (REST proxy responses come from the function). */
export const API_ENV = {
  /** Comma-separated allowed origins, from `cors.allowOrigins`. */
  corsAllowOrigins: { name: 'API_CORS_ALLOW_ORIGINS', prop: 'cors.allowOrigins' },
  /** `true` or `false`, from `cors.allowCredentials`. */
  corsAllowCredentials: { name: 'API_CORS_ALLOW_CREDENTIALS', prop: 'cors.allowCredentials' },
} as const;

/** Every variable the template reads for CORS starts with this; only the construct may set one. */
export const API_ENV_PREFIX = 'API_CORS_';

/** The EMF business metric of the demo routes, which the construct graphs for the bundled template. */
export const ORDER_CREATED_METRIC = 'OrderCreated';

/** What a `HandlerCode.fromEntry` module must export: its route table. */
export const API_ENTRY = {
  exportName: 'routes',
  description:
    'export const routes = { "GET /orders/{id}": (request) => ..., "POST /orders": ... }: an object mapping ' +
    '"METHOD /path" route keys to handler functions',
} as const;

// What the template calls an entry's routes with (shipped as `cdk-serverless-powertools/lib/entry-types`;
// the template builds its request with this type, so the two cannot drift).

/** A response with a status other than 200, made with `request.reply()`. */
export interface ApiReply {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** What a route handler receives: the parsed request plus the Powertools utilities. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** Path parameters, e.g. `{ id: '42' }` for `GET /orders/{id}`. */
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  /** The JSON body, parsed; undefined when the request has no body. Non-JSON bodies stay text. */
  readonly body: unknown;
  /** API Gateway's request id. */
  readonly requestId: string;
  /**
   * The caller's `x-correlation-id` header when it sends a valid one (1-128 letters, digits,
   * `.`, `_`, `:`, `-`), otherwise the request id: the `correlation_id` of every log line.
   * Pass it on to what you call or publish so the chain continues.
   */
  readonly correlationId: string;
  /** The raw API Gateway proxy event (REST v1 or HTTP v2 shape). */
  readonly event: unknown;
  readonly context: LambdaContext;
  readonly logger: EntryLogger;
  readonly metrics: EntryMetrics;
  readonly tracer: EntryTracer;
  /** The parameters and secrets declared on the construct (`await request.parameters.get('key')`). */
  readonly parameters: EntryParameters;
  /** A response with another status code or headers: `return request.reply(201, order)`. */
  reply(statusCode: number, body?: unknown, headers?: Record<string, string>): ApiReply;
}

/**
 * A route handler: gets the parsed request, returns a JSON value, `request.reply(...)` or
 * nothing (sync or async). Throw an error with a 4xx `statusCode` to answer with that status.
 */
export type RouteHandler = (request: ApiRequest) => unknown;

/** The `routes` export: API Gateway style route keys to handlers, `{ 'GET /orders/{id}': getOrder }`. */
export type RouteTable = Record<string, RouteHandler>;

/**
 * The optional `schemas` export: request-body schemas (zod) keyed like `routes`,
 * `{ 'POST /orders': NewOrder }`. A route with a schema gets the validated body (the schema's
 * output); a body that does not match is answered with a 400 listing the issues, and the
 * route never runs. Every key must be a key of `routes`.
 */
export type RouteSchemas = Record<string, EntrySchema>;

/** The name of the per-route schema export. */
export const API_SCHEMAS_EXPORT = 'schemas';
