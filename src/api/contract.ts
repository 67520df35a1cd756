/**
 * The contract between ObservableApi and its template (runtime/api): dependency-free, so
 * the template can bundle it. Neither side holds a copy of anything here.
 */

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
