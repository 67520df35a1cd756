import type { HttpRequest } from './http-request';
import type { HttpResponse } from './http-response';
import { API_ENV } from '../../contract';

// The defaults of Powertools' cors middleware, which this template used before it had its own router.
const ALLOW_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
const ALLOW_HEADERS = ['authorization', 'content-type', 'x-amz-date', 'x-api-key', 'x-amz-security-token'];

/**
 * CORS for REST proxy integrations, whose response headers come from the function: the
 * construct sets API_CORS_ALLOW_ORIGINS (and _CREDENTIALS) and every response to an allowed
 * origin carries the CORS headers, errors included; a valid preflight is answered 204.
 */
export class CorsPolicy {
  /** The policy the construct configured, or undefined when CORS is off. */
  public static fromEnv(env: { readonly [key: string]: string | undefined } = process.env): CorsPolicy | undefined {
    const origins = env[API_ENV.corsAllowOrigins.name];
    return origins ? new CorsPolicy(origins.split(','), env[API_ENV.corsAllowCredentials.name] === 'true') : undefined;
  }

  private readonly wildcard: boolean;

  private constructor(private readonly origins: readonly string[], private readonly credentials: boolean) {
    this.wildcard = origins.includes('*');
  }

  /**
   * What CORS does with this request: a valid preflight from an allowed origin is answered
   * (`preflight`); any other request from an allowed origin gets `headers` on whatever it is
   * answered with, errors included. An OPTIONS request that is not a valid preflight is routed
   * without CORS headers, and so is a request from any other origin.
   */
  public decide(request: HttpRequest): { preflight?: HttpResponse; headers?: Record<string, string> } {
    const origin = request.headers.origin;
    if (origin === undefined || (!this.wildcard && !this.origins.includes(origin))) return {};
    const headers: Record<string, string> = {
      'access-control-allow-origin': this.wildcard ? '*' : origin,
      ...(this.wildcard ? {} : { vary: 'Origin' }),
      ...(this.credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    };
    if (request.method !== 'OPTIONS') return { headers };
    if (!this.isPreflight(request)) return {};
    const allow = { 'access-control-allow-methods': ALLOW_METHODS.join(', '), 'access-control-allow-headers': ALLOW_HEADERS.join(', ') };
    return { preflight: { statusCode: 204, headers: { ...headers, ...allow }, cookies: [] } };
  }

  private isPreflight(request: HttpRequest): boolean {
    const method = request.headers['access-control-request-method']?.toUpperCase();
    const asked = request.headers['access-control-request-headers']?.toLowerCase();
    if (method === undefined || !ALLOW_METHODS.includes(method)) return false;
    return !asked || asked.split(',').every((header) => ALLOW_HEADERS.includes(header.trim()));
  }
}
