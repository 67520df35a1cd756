import { invalidProp } from './validation';

/** The layers of a function's environment, lowest precedence first. @internal */
export interface EnvironmentLayers {
  readonly defaults: { [key: string]: string };
  readonly user: { [key: string]: string };
  readonly wiring: { [key: string]: string };
  /**
   * Prefixes of variables a construct's template reads (e.g. `IDEMPOTENCY_`): the user may
   * not set any of them, even one the construct leaves unset, because the template would
   * act on it without the matching wiring (grants, tables).
   */
  readonly reservedPrefixes: string[];
}

/**
 * defaults < user < wiring; a user value that would change the wiring is an error, never dropped.
 * @internal
 */
export function mergeEnvironment(where: string, layers: EnvironmentLayers): { [key: string]: string } {
  for (const [key, value] of Object.entries(layers.user)) {
    const prefix = layers.reservedPrefixes.find((p) => key.startsWith(p));
    if (prefix && !(key in layers.wiring && layers.wiring[key] === value)) {
      invalidProp(
        where,
        `environment.${key}`,
        value,
        `Variables starting with ${prefix} configure the construct's template and are set from its props; use the props instead.`,
      );
    }
    if (key in layers.wiring && layers.wiring[key] !== value) {
      invalidProp(where, `environment.${key}`, value, `${key} is set by the construct from its props; change the matching prop instead of the environment.`);
    }
  }
  return { ...layers.defaults, ...layers.user, ...layers.wiring };
}
