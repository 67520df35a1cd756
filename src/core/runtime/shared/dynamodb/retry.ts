import type { DynamoDbError } from './errors';

type Env = { readonly [key: string]: string | undefined };

// The AWS SDK's standard retry mode: the error types it retries, its delays and its cap.
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'LimitExceededException',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'ServiceUnavailable']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** Attempts per call: `maxAttempts`, else AWS_MAX_ATTEMPTS, else 3 (the SDK's default). `service` names the client in errors. */
export function resolveMaxAttempts(maxAttempts: number | undefined, env: Env = process.env, service = 'DynamoDB'): number {
  if (maxAttempts !== undefined) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`${service} client: maxAttempts must be an integer >= 1, got ${maxAttempts}.`);
    return maxAttempts;
  }
  const raw = env.AWS_MAX_ATTEMPTS?.trim();
  if (raw === undefined || raw === '') return 3;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${service} client: AWS_MAX_ATTEMPTS is "${raw}"; set it to an integer >= 1.`);
  return parsed;
}

export function isThrottling(error: DynamoDbError): boolean {
  return THROTTLING.has(error.name) || error.$metadata.httpStatusCode === 429;
}

/**
 * Whether the SDK's standard mode would retry `error`: throttling, a 5xx, a timeout or a
 * transient network error. A client error such as ConditionalCheckFailedException never is:
 * it is DynamoDB's answer, and a retry would only repeat it.
 */
export function isRetryable(error: DynamoDbError): boolean {
  if (error.name === 'ConditionalCheckFailedException') return false;
  if (error.transient || isThrottling(error) || TRANSIENT.has(error.name)) return true;
  return error.$metadata.httpStatusCode !== undefined && TRANSIENT_STATUS.has(error.$metadata.httpStatusCode);
}

/**
 * The SDK's retry quota: retries draw from 500 tokens per client (5 per retry, 10 after a
 * timeout) and successes put tokens back, so during an outage an environment stops
 * multiplying its load on DynamoDB by the attempt count and fails fast instead.
 */
export class RetryQuota {
  private static readonly CAPACITY = 500;
  private tokens = RetryQuota.CAPACITY;

  /** Takes the cost of retrying after `error`; undefined when the quota is spent (do not retry). */
  public acquire(error: DynamoDbError): number | undefined {
    const cost = error.name === 'TimeoutError' ? 10 : 5;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /** A call succeeded: returns what its retries took, or 1 token for a first-attempt success. */
  public release(retryCost: number | undefined): void {
    this.tokens = Math.min(RetryQuota.CAPACITY, this.tokens + (retryCost ?? 1));
  }

  public get available(): number {
    return this.tokens;
  }
}

/** Exponential backoff with full jitter, before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelayMs(error: DynamoDbError, attempt: number, random: () => number = Math.random): number {
  const base = isThrottling(error) ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (attempt - 1)));
}
