/**
 * What an idempotent template stores for a result, shared by the idempotent template and
 * the batch template's per-record idempotency.
 *
 * Powertools saves the result only after the logic has run, and it deletes the INPROGRESS
 * record only when the logic throws. So a result that fails to save leaves the record
 * INPROGRESS, and the first retry after the deadline runs the side effect again; throwing
 * from the logic because of its result would delete the record, with the same effect.
 * Neither may happen, so every result the logic returns is stored:
 * - as `JSON.parse(JSON.stringify(result))`, what a replay would get back anyway, and what
 *   the first call returns too, so both calls return the same value;
 * - when there is no such JSON form (a BigInt, a circular object, a function), or it cannot
 *   be stored (a number DynamoDB or the SDK rejects, an item over 400 KB), as a small marker
 *   holding the reason. The call that ran the logic and every replay of the marker fail
 *   with the same error, so the record ends up on a DLQ rather than running again.
 */

/**
 * Largest JSON result the template stores. A DynamoDB item is at most 400 KB, and the
 * record also holds its key, status, expiry timestamps and validation hash; 4 KB covers
 * those with room to spare.
 */
export const MAX_STORED_RESULT_BYTES = 400 * 1024 - 4 * 1024;

/** The logic ran, and its result has no JSON form the idempotency record can hold. */
export class UnstorableResultError extends Error {
  constructor(reason: string) {
    super(
      `The logic ran, but its result cannot be stored for replays: ${reason}. It will not run again for this key while the ` +
        'idempotency record lives. Return plain JSON data (strings, finite numbers up to 2^53, booleans, null, arrays, objects).',
    );
    this.name = 'UnstorableResultError';
  }
}

/** The logic ran, and its result is too large to store for replays. */
export class IdempotentResultTooLargeError extends Error {
  /**
   * @param what how large the result is, e.g. "The result is 512000 bytes as JSON"
   */
  constructor(what: string) {
    super(
      `${what}, over the ${MAX_STORED_RESULT_BYTES}-byte limit for a stored idempotent result ` +
        '(DynamoDB items are limited to 400 KB). Return a smaller result, e.g. store the payload in S3 and return its key.',
    );
    this.name = 'IdempotentResultTooLargeError';
  }
}

// Namespaced so that no result of the user's own is taken for it.
const MARKER = 'cdk-serverless-powertools:unstorableResult';

interface Marker {
  readonly [MARKER]: { readonly error: 'UnstorableResultError' | 'IdempotentResultTooLargeError'; readonly reason: string };
}

/** What to store for `result`: its JSON form, or the marker of why it has none. */
export function toStoredResult(result: unknown): unknown {
  if (result === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return marker('UnstorableResultError', (error as Error).message);
  }
  if (json === undefined) return marker('UnstorableResultError', `JSON has no form for a ${typeof result}`);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_STORED_RESULT_BYTES) return marker('IdempotentResultTooLargeError', `The result is ${bytes} bytes as JSON`);
  let rejected: number | undefined;
  const parsed = JSON.parse(json, (_key, value) => {
    if (typeof value === 'number' && !storableNumber(value)) rejected ??= value;
    return value;
  });
  if (rejected !== undefined) return marker('UnstorableResultError', `DynamoDB cannot store the number ${rejected}`);
  return parsed;
}

/** The stored result as the caller gets it: the value, or the error its marker stands for. */
export function fromStoredResult(stored: unknown): unknown {
  const entry = (stored as Partial<Marker> | null | undefined)?.[MARKER];
  if (entry === undefined || Object.keys(stored as object).length !== 1) return stored;
  throw entry.error === 'IdempotentResultTooLargeError' ? new IdempotentResultTooLargeError(entry.reason) : new UnstorableResultError(entry.reason);
}

function marker(error: Marker[typeof MARKER]['error'], reason: string): Marker {
  return { [MARKER]: { error, reason } };
}

// The SDK's marshall() rejects magnitudes past 2^53; DynamoDB rejects nonzero ones under 1e-130.
function storableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return magnitude <= Number.MAX_SAFE_INTEGER && (magnitude === 0 || magnitude >= 1e-130);
}
