import { ClientError } from './request';
import type { RouteHandler, RouteTable } from '../../contract';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
const ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[A-Za-z0-9._~\-/{}:]*)$/;

/** A parsed route key. */
export interface ParsedRouteKey {
  readonly methods: Method[];
  /** `:name` path syntax: `/orders/:id`. */
  readonly path: string;
}

/**
 * Parses `METHOD /path` with API Gateway style `{name}` parameters (`:name` works too).
 * Throws a message that says what a valid key looks like.
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
  const names = [...path.matchAll(PARAM)].map((param) => param[1]);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new Error(`invalid route key ${JSON.stringify(key)}: the path parameter "${twice}" appears twice; give each parameter its own name.`);
  }
  return { methods, path };
}

/** A route that matched a request: its key in the table, its handler and its decoded path parameters. */
export interface RouteMatch {
  readonly key: string;
  readonly handler: RouteHandler;
  readonly params: Record<string, string>;
}

interface DynamicRoute {
  readonly key: string;
  readonly method: string;
  readonly handler: RouteHandler;
  readonly pattern: RegExp;
  readonly paramCount: number;
  readonly segmentCount: number;
}

// `:name` anywhere in a segment, so `/files/{name}.json` has a parameter followed by `.json`.
const PARAM = /:([A-Za-z_]\w*)/g;
// One path segment's worth of characters a parameter may take (what Powertools matched).
const PARAM_VALUE = String.raw`[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+`;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The route table compiled for matching: exact paths in a map, parameterised paths as
 * patterns, the most specific first (fewer parameters, then more segments).
 */
export function compileRoutes(routes: RouteTable): { match(method: string, path: string): RouteMatch | undefined } {
  const exact = new Map<string, { key: string; handler: RouteHandler }>();
  const dynamic: DynamicRoute[] = [];
  for (const [key, handler] of Object.entries(routes)) {
    const { methods, path } = parseRouteKey(key);
    const names: string[] = [];
    let source = '';
    let last = 0;
    for (const param of path.matchAll(PARAM)) {
      names.push(param[1]);
      source += `${escapeRegExp(path.slice(last, param.index))}(?<${param[1]}>${PARAM_VALUE})`;
      last = param.index! + param[0].length;
    }
    const routePath = withoutTrailingSlashes(path);
    for (const method of methods) {
      if (names.length === 0) {
        exact.set(`${method} ${routePath}`, { key, handler });
        continue;
      }
      const pattern = new RegExp(`^${source}${escapeRegExp(withoutTrailingSlashes(path.slice(last)))}$`);
      dynamic.push({ key, method, handler, pattern, paramCount: names.length, segmentCount: path.split('/').length });
    }
  }
  dynamic.sort((a, b) => a.paramCount - b.paramCount || b.segmentCount - a.segmentCount);
  return {
    match(method, rawPath) {
      const path = withoutTrailingSlashes(rawPath);
      const found = exact.get(`${method} ${path}`);
      if (found) return { ...found, params: {} };
      for (const route of dynamic) {
        if (route.method !== method) continue;
        const groups = route.pattern.exec(path)?.groups;
        if (groups) return { key: route.key, handler: route.handler, params: decodeParams(groups) };
      }
      return undefined;
    },
  };
}

/** `/orders/` routes as `/orders`; `/` stays. A scan, not a regex: the path is the client's. */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return end === path.length ? path : path.slice(0, end);
}

function decodeParams(groups: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      throw new ClientError(400, `The path parameter "${name}" has an invalid percent-escape`);
    }
    if (decoded.trim() === '') throw new ClientError(400, `The path parameter "${name}" cannot be empty`);
    params[name] = decoded;
  }
  return params;
}
