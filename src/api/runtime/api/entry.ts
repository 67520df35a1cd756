import { parseRouteKey, RouteTable } from './router';
import type { EntrySchema } from '../../../core/contract/entry';
import { kindOf } from '../../../core/runtime/shared/describe';
import { entrySchema } from '../../../core/runtime/shared/schema';
import { API_ENTRY, API_SCHEMAS_EXPORT, RouteSchemas } from '../../contract';

/** What a user's entry module must export (checked at init, before the first request). */
export const ENTRY_CONTRACT = API_ENTRY.description;

/** Returns the module's route table, or throws one error naming every problem. */
export function routesFromModule(userModule: unknown): RouteTable {
  const routes = (userModule as { routes?: unknown } | null | undefined)?.routes;
  const problems: string[] = [];
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) {
    problems.push(`"routes" is ${routes === undefined ? 'missing' : kindOf(routes)}`);
  } else {
    const entries = Object.entries(routes);
    if (entries.length === 0) problems.push('"routes" has no routes');
    for (const [key, value] of entries) {
      try {
        parseRouteKey(key);
      } catch (err) {
        problems.push((err as Error).message);
      }
      if (typeof value !== 'function') problems.push(`route ${JSON.stringify(key)} is ${kindOf(value)}, not a function`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`ObservableApi entry module: ${problems.join('; ')}. The module must ${ENTRY_CONTRACT}.`);
  }
  return routes as RouteTable;
}

/**
 * The module's optional per-route body schemas, checked at init against its routes: an
 * unknown route key or a value that is not a schema fails the cold start, naming it.
 */
export function schemasFromModule(userModule: unknown, routes: RouteTable): RouteSchemas {
  const schemas = (userModule as { schemas?: unknown } | null | undefined)?.[API_SCHEMAS_EXPORT];
  if (schemas === undefined) return {};
  if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) {
    throw new TypeError(
      `ObservableApi entry module: "${API_SCHEMAS_EXPORT}" is ${kindOf(schemas)}; export an object keyed like "routes", e.g. ` +
        `\`export const ${API_SCHEMAS_EXPORT} = { 'POST /orders': z.object({ item: z.string() }) }\`.`,
    );
  }
  const checked: Record<string, EntrySchema> = {};
  for (const [key, value] of Object.entries(schemas)) {
    if (!(key in routes)) {
      throw new TypeError(
        `ObservableApi entry module: "${API_SCHEMAS_EXPORT}" has ${JSON.stringify(key)}, which is not a key of "routes" ` +
          `(${Object.keys(routes).map((k) => JSON.stringify(k)).join(', ')}); use the route's exact key.`,
      );
    }
    checked[key] = entrySchema('ObservableApi', `${API_SCHEMAS_EXPORT}[${JSON.stringify(key)}]`, value)!;
  }
  return checked;
}
