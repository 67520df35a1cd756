import { describeValue } from './describe';

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
