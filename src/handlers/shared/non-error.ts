/**
 * Something other than an Error was thrown. Powertools reads `.name`, `.message` and
 * `.constructor` of what it catches, so a raw string or `undefined` must never reach it;
 * this keeps the thrown value, described, for the log line.
 */
export class NonErrorThrown extends Error {
  /**
   * @param who what threw, e.g. "the route"
   */
  constructor(who: string, public readonly thrown: unknown) {
    super(`${who} threw a non-Error value: ${describeValue(thrown)}`);
    this.name = 'NonErrorThrown';
  }
}

/** The value as an Error: itself, or a NonErrorThrown that describes it. */
export function asError(who: string, thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new NonErrorThrown(who, thrown);
}

/** A short, log-safe description of any value. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
