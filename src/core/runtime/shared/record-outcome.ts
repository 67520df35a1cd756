/**
 * Helpers for the batch and stream record handlers. BatchProcessor awaits what a record
 * handler returns and catches what it throws synchronously, so a handler need not be async:
 * a record of synchronous logic then costs no promise of its own.
 */

/** True for a promise or any other thenable the logic may return. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * `fn()`, with `onFailure` for what it throws or rejects with. The result stays synchronous
 * when `fn` returns a plain value.
 */
export function settleRecord(fn: () => unknown, onFailure: (thrown: unknown) => Promise<never>): unknown {
  let result: unknown;
  try {
    result = fn();
  } catch (thrown) {
    return onFailure(thrown);
  }
  return isThenable(result) ? Promise.resolve(result).then(undefined, onFailure) : result;
}

/** An Error made without capturing a stack: for errors that are reported, never logged. */
export function withoutStack<T extends Error>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A failed record's outcome for BatchProcessor: a rejected promise rather than a throw. The
 * processor awaits the handler either way; a rejection is rethrown in its own frame, where a
 * synchronous throw unwinds through every frame in between (measured in bench/: up to a
 * quarter of a failed record's cost).
 */
export function recordRejected(error: Error): Promise<never> {
  return Promise.reject(error);
}
