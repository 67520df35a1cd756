import type { ApiReply } from '../../contract';

/**
 * A response on its way to API Gateway or a Function URL stream, in plain records: nothing
 * on this path touches the web Response or Headers globals unless a route returned a web
 * Response itself (then that route pays for undici, not every request).
 */
export interface HttpResponse {
  readonly statusCode: number;
  /** Lower-case names; `set-cookie` is in `cookies`. */
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body?: string;
  /** The web Response a route returned: its body is read (or streamed) only when answering. */
  readonly web?: Response;
}

/** What a web Response without a content type is labelled (Powertools' default response had it). */
export const DEFAULT_CONTENT_TYPE = 'text/plain;charset=UTF-8';
const JSON_TYPE = { 'content-type': 'application/json' };
// A web Response refuses a body with these statuses, and so do we (a 500, logged, not a silent drop).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function jsonResponse(statusCode: number, body: unknown): HttpResponse {
  return { statusCode, headers: { ...JSON_TYPE }, cookies: [], body: JSON.stringify(body) };
}

/** Turns what a route returned into a response: nothing is a 204, a reply keeps its status and headers, anything else is JSON. */
export function fromRouteResult(result: unknown): HttpResponse {
  if (result === undefined) return { statusCode: 204, headers: {}, cookies: [] };
  if (isWebResponse(result)) return fromWebResponse(result);
  if (isReply(result)) {
    const body = result.body === undefined || result.body === null ? undefined : typeof result.body === 'string' ? result.body : stringify(result.body);
    checkStatus(result.statusCode, body);
    const { headers, cookies } = splitCookies(result.headers ?? {});
    return { statusCode: result.statusCode, headers, cookies, body };
  }
  return { statusCode: 200, headers: { ...JSON_TYPE }, cookies: [], body: stringify(result) };
}

/** Response headers over base headers (CORS), name by name. */
export function withBaseHeaders(response: HttpResponse, base: Record<string, string> | undefined): HttpResponse {
  const labelled = 'content-type' in response.headers ? response.headers : { 'content-type': DEFAULT_CONTENT_TYPE, ...response.headers };
  return { ...response, headers: { ...base, ...labelled } };
}

// Duck-typed first: reading the global `Response` would load undici for every request.
function isWebResponse(value: unknown): value is Response {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { status?: unknown; arrayBuffer?: unknown; headers?: unknown };
  return typeof candidate.status === 'number' && typeof candidate.arrayBuffer === 'function' && typeof candidate.headers === 'object' && value instanceof Response;
}

function fromWebResponse(response: Response): HttpResponse {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  return { statusCode: response.status, headers, cookies: response.headers.getSetCookie(), web: response };
}

/** `request.reply(...)` results, and proxy results a handler built by hand. */
function isReply(value: unknown): value is ApiReply {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return typeof (value as ApiReply).statusCode === 'number' && keys.every((k) => k === 'statusCode' || k === 'body' || k === 'headers');
}

function stringify(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`the route returned ${typeof value}, which has no JSON form`);
  return text;
}

function checkStatus(status: number, body: string | undefined): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`the route replied with status ${status}; use 200-599`);
  if (body !== undefined && NULL_BODY_STATUSES.has(status)) throw new TypeError(`the route replied ${status} with a body; a ${status} has none`);
}

function splitCookies(input: Record<string, string>): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    if (key === 'set-cookie') cookies.push(String(value));
    else headers[key] = String(value);
  }
  return { headers, cookies };
}

/** Bodies API Gateway must get base64 encoded: compressed, or images, audio and video. */
export function isBinary(headers: Record<string, string>): boolean {
  const encoding = headers['content-encoding'];
  if (encoding === 'gzip' || encoding === 'deflate') return true;
  const type = (headers['content-type'] ?? '').split(';')[0].trim();
  return type.startsWith('image/') || type.startsWith('audio/') || type.startsWith('video/');
}

// Headers whose comma-separated values REST proxy results list one by one.
const MULTI_VALUE = new Set(['accept', 'accept-encoding', 'accept-language', 'cache-control', 'vary', 'connection', 'allow', 'x-forwarded-for', 'te', 'expect', 'transfer-encoding', 'content-encoding', 'content-language']);

/** An API Gateway proxy result (v1 or v2 shape, depending on the event). */
export type ApiResult = { statusCode: number; headers?: Record<string, string>; body?: string; [key: string]: unknown };

/** The proxy result for the event's shape: REST gets multiValueHeaders, HTTP APIs and Function URLs get cookies. */
export async function toProxyResult(response: HttpResponse, shape: 'v1' | 'v2'): Promise<ApiResult> {
  const isBase64Encoded = isBinary(response.headers);
  const body = await bodyText(response, isBase64Encoded);
  const cookies = response.cookies;
  if (shape === 'v2') {
    const withCookies = cookies.length > 0 ? { cookies: [...cookies] } : {};
    return { statusCode: response.statusCode, headers: response.headers, body, isBase64Encoded, ...withCookies };
  }
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  if (cookies.length === 1) headers['set-cookie'] = cookies[0];
  else if (cookies.length > 1) multiValueHeaders['set-cookie'] = [...cookies];
  for (const [name, value] of Object.entries(response.headers)) {
    const values = MULTI_VALUE.has(name) || name.startsWith('access-control-') ? value.split(',').map((v) => v.trimStart()) : [value];
    if (values.length > 1) multiValueHeaders[name] = values;
    else headers[name] = value;
  }
  const withMultiValues = Object.keys(multiValueHeaders).length > 0 ? { multiValueHeaders } : {};
  return { statusCode: response.statusCode, headers, body, isBase64Encoded, ...withMultiValues };
}

async function bodyText(response: HttpResponse, base64: boolean): Promise<string> {
  if (response.web) return base64 ? Buffer.from(await response.web.arrayBuffer()).toString('base64') : response.web.text();
  const body = response.body ?? '';
  return base64 ? Buffer.from(body, 'utf8').toString('base64') : body;
}
