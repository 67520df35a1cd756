import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * What the router reads from an API Gateway proxy event, as plain strings and records. The
 * web Request, Headers and URL globals are never used: their first use loads Node's undici,
 * which was two thirds of the template's cold start (first invocation included).
 */
export interface HttpRequest {
  /** REST v1 or HTTP v2 (Function URLs send v2): the shape the result must take. */
  readonly shape: 'v1' | 'v2';
  /** Upper case. */
  readonly method: string;
  /** Normalised as a URL pathname: dot segments resolved, unsafe characters percent-encoded. */
  readonly path: string;
  /** The last value of each query parameter (REST multi-values included). */
  readonly query: Record<string, string>;
  /** Lower-case names; repeated headers joined with `, `, v2 cookies as one `cookie` header. */
  readonly headers: Record<string, string>;
  /** The body as text (base64 decoded); empty on GET and HEAD, which carry no meaningful body. */
  readonly body: string;
  /** The event the route sees (on GET and HEAD without its body). */
  readonly event: APIGatewayProxyEvent | APIGatewayProxyEventV2;
}

type Rec = Record<string, unknown>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const nullOr = (value: unknown, test: (v: unknown) => boolean) => value === null || test(value);
const nullishOr = (value: unknown, test: (v: unknown) => boolean) => value === null || value === undefined || test(value);

/** A REST API (v1) proxy event: the same checks Powertools event-handler applies. */
export function isRestEvent(event: unknown): event is APIGatewayProxyEvent {
  if (!isRecord(event)) return false;
  return (
    isString(event.httpMethod) && isString(event.path) && isString(event.resource) &&
    nullishOr(event.headers, isRecord) && nullishOr(event.multiValueHeaders, isRecord) &&
    isRecord(event.requestContext) && typeof event.isBase64Encoded === 'boolean' &&
    nullOr(event.body, isString) && nullOr(event.pathParameters, isRecord) &&
    nullOr(event.queryStringParameters, isRecord) && nullOr(event.multiValueQueryStringParameters, isRecord) &&
    nullOr(event.stageVariables, isRecord)
  );
}

/** An HTTP API (v2) or Function URL proxy event. */
export function isHttpEvent(event: unknown): event is APIGatewayProxyEventV2 {
  if (!isRecord(event)) return false;
  const optional = (value: unknown, test: (v: unknown) => boolean) => value === undefined || test(value);
  return (
    event.version === '2.0' && isString(event.routeKey) && isString(event.rawPath) && isString(event.rawQueryString) &&
    isRecord(event.headers) && isRecord(event.requestContext) && typeof event.isBase64Encoded === 'boolean' &&
    optional(event.body, isString) && optional(event.pathParameters, isRecord) &&
    optional(event.queryStringParameters, isRecord) && optional(event.stageVariables, isRecord) &&
    optional(event.cookies, Array.isArray)
  );
}

export function isProxyEvent(event: unknown): event is APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  return isHttpEvent(event) || isRestEvent(event);
}

/** The path as the client sent it (before normalisation), for the percent-escape check and logs. */
export function rawPathOf(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): string {
  return 'rawPath' in event && isString(event.rawPath) ? event.rawPath : (event as APIGatewayProxyEvent).path;
}

export function methodOf(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): string {
  return 'httpMethod' in event && isString(event.httpMethod) ? event.httpMethod : (event as APIGatewayProxyEventV2).requestContext.http.method;
}

/** Reads a proxy event (checked with isProxyEvent) into an HttpRequest. */
export function readRequest(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): HttpRequest {
  const method = methodOf(event).toUpperCase();
  const bodyless = method === 'GET' || method === 'HEAD';
  const seen = bodyless && event.body !== undefined && event.body !== null ? withoutBody(event) : event;
  const body = bodyless || event.body === undefined || event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (isHttpEvent(event)) {
    return { shape: 'v2', method, path: normalisePath(event.rawPath), query: parseQueryString(event.rawQueryString), headers: v2Headers(event), body, event: seen };
  }
  const rest = event as APIGatewayProxyEvent;
  return { shape: 'v1', method, path: normalisePath(rest.path), query: v1Query(rest), headers: v1Headers(rest), body, event: seen };
}

function withoutBody<T extends APIGatewayProxyEvent | APIGatewayProxyEventV2>(event: T): T {
  return { ...event, body: 'httpMethod' in event ? null : undefined, isBase64Encoded: false };
}

// HTTP whitespace, which a header value never starts or ends with.
const trimHeader = (value: unknown) => String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');

function v1Headers(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = trimHeader(value);
  // REST repeats single-valued headers in multiValueHeaders; add only values not already there.
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    const key = name.toLowerCase();
    for (const value of values ?? []) {
      const current = headers[key];
      if (current === undefined) headers[key] = trimHeader(value);
      else if (!current.includes(value)) headers[key] = `${current}, ${trimHeader(value)}`;
    }
  }
  return headers;
}

function v2Headers(event: APIGatewayProxyEventV2): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers)) if (value !== undefined) headers[name.toLowerCase()] = trimHeader(value);
  if (Array.isArray(event.cookies)) headers.cookie = event.cookies.join('; ');
  return headers;
}

function v1Query(event: APIGatewayProxyEvent): Record<string, string> {
  const query: Record<string, string> = {};
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== null && value !== undefined && !multi[name]) query[name] = String(value);
  }
  for (const [name, values] of Object.entries(multi)) {
    for (const value of values ?? []) query[name] = String(value);
  }
  return query;
}

/** `application/x-www-form-urlencoded` parsing, as URLSearchParams does it; the last value wins. */
export function parseQueryString(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (!raw) return query;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    query[formDecode(name)] = formDecode(value);
  }
  return query;
}

function formDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return lenientPercentDecode(spaced);
  }
}

/** Decodes valid `%XX` escapes, keeps the rest, and replaces invalid UTF-8 with U+FFFD. */
function lenientPercentDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      for (const byte of Buffer.from(char, 'utf8')) bytes.push(byte);
      i += char.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// What a URL parser percent-encodes in a path: controls, space, " < > ` { } and non-ASCII.
const PATH_UNSAFE = /[\u0000-\u0020"<>`{}\u007f-\uffff]/gu;
const SINGLE_DOT = /^(\.|%2e)$/i;
const DOUBLE_DOT = /^(\.|%2e)(\.|%2e)$/i;

function encodeChar(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate, which URL parsers replace too
  }
}

/**
 * The pathname a URL parser would give this path (what Powertools routed on): backslashes
 * are slashes, `?` or `#` ends it, `.` and `..` segments are resolved, unsafe characters are
 * percent-encoded.
 */
export function normalisePath(raw: string): string {
  let path = raw.replace(/\\/g, '/');
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(PATH_UNSAFE, encodeChar);
  if (!path.includes('.') && !/%2e/i.test(path)) return path;
  const out: string[] = [];
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (DOUBLE_DOT.test(segment)) {
      out.pop();
      if (last) out.push('');
    } else if (SINGLE_DOT.test(segment)) {
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  });
  return `/${out.join('/')}`;
}
