import type { SchemaIssue } from '../../../core/contract/entry';
import { CORRELATION_ID } from '../../../core/contract/observability-env';
import type { ApiReply } from '../../contract';

export type { ApiReply, ApiRequest } from '../../contract';

/** An error whose status code and message are safe to send to the client (4xx only). */
export class ClientError extends Error {
  constructor(public readonly statusCode: number, message: string) {
    super(message);
    this.name = 'ClientError';
  }
}

/** The body does not match the route's schema: a 400 whose body lists the issues (path, message, code). */
export class InvalidBodyError extends ClientError {
  constructor(route: string, public readonly issues: SchemaIssue[]) {
    super(400, `The request body does not match the schema of ${route}`);
    this.name = 'InvalidBodyError';
  }
}

/**
 * Reads the body once. JSON (or an unlabelled body) must parse, otherwise the client gets a
 * 400: the route never sees a half-understood request.
 */
export function parseBody(raw: string, contentType: string | null): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').toLowerCase();
  const isJson = type === '' || type.includes('json');
  if (!isJson) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ClientError(400, 'Malformed JSON body');
  }
}

export function reply(statusCode: number, body?: unknown, headers?: Record<string, string>): ApiReply {
  return { statusCode, body, headers: { 'content-type': 'application/json', ...headers } };
}

/** The correlation id of an API Gateway proxy event (REST v1 and HTTP v2 both carry it here). */
export function requestIdOf(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | undefined)?.requestContext?.requestId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/**
 * True when the path does not percent-decode (e.g. `/orders/%ZZ`): such a path is a 400,
 * before any route sees it.
 */
export function hasMalformedEscape(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** The correlation id of a request: the caller's valid `x-correlation-id` header, else API Gateway's request id. */
export function correlationIdOf(event: unknown): string | undefined {
  const headers = (event as { headers?: Record<string, string | undefined> | null } | undefined)?.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === CORRELATION_ID.header && value !== undefined && CORRELATION_ID.pattern.test(value)) return value;
  }
  return requestIdOf(event);
}
