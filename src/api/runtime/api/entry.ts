import { parseRouteKey, RouteTable } from './router';
import { kindOf } from '../../../core/runtime/shared/describe';
import { API_ENTRY } from '../../contract';

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
