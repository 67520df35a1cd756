import { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { LambdaSender, Sleep } from './function-config';
import { InvocationReport, parseLogResult } from '../../contract/report-line';

/** A reason to stop measuring a power value; `spent` is the REPORT of a billed failed invocation. */
export class SkipPowerValue extends Error {
  constructor(message: string, readonly spent?: InvocationReport) {
    super(message);
  }
}

/** Errors that mean "slow down" on an Invoke call. */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']);

/**
 * Retries of one throttled Invoke: exponential backoff with full jitter, bounded, so a
 * throttle costs one invocation's retry, never a re-run of the value's `num` invocations
 * (which a state machine retry of the whole executor would be).
 */
export const THROTTLE_RETRY = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface InvokeDeps {
  readonly lambda: LambdaSender;
  readonly sleep: Sleep;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
  /** Time left in the executor's own invocation, when known. */
  readonly remainingMs?: () => number | undefined;
}

export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/** Invokes with bounded, jittered retries of throttling; after the last one, skips the value. */
export async function invokeWithRetry(deps: InvokeDeps, command: InvokeCommand, what: string): Promise<InvokeCommandOutput> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.lambda.send(command);
    } catch (err) {
      if (!isThrottling(err)) throw err;
      const delay = Math.floor(deps.random() * Math.min(THROTTLE_RETRY.maxDelayMs, THROTTLE_RETRY.baseDelayMs * 2 ** attempt));
      const remaining = deps.remainingMs?.();
      if (attempt >= THROTTLE_RETRY.maxAttempts || (remaining !== undefined && remaining < delay + 10_000)) {
        throw new SkipPowerValue(`${what} was throttled ${attempt} times (${(err as Error).name}); lower the concurrency or use serial invocations`);
      }
      await deps.sleep(delay);
    }
  }
}

/** The error type and message of a failed invocation's payload. */
export function functionErrorOf(out: InvokeCommandOutput): { type: string; message: string } {
  let type = out.FunctionError ?? 'Error';
  let message = '';
  try {
    const body = JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array()));
    type = body?.errorType ?? type;
    message = body?.errorMessage ?? '';
  } catch {
    // A payload that is not JSON still leaves FunctionError to report.
  }
  return { type, message };
}

/** A short reason: "timeout: …" for timeouts, "invocation failed: type: message" otherwise. */
export function failureReason(out: InvokeCommandOutput, report: InvocationReport | undefined, prefix = 'invocation failed'): string {
  const { type, message } = functionErrorOf(out);
  const reason = isTimeout(out, report)
    ? `timeout: ${message || 'the invocation timed out'}`
    : `${prefix}: ${type}${message ? `: ${message}` : ''}`;
  return reason.length > 500 ? `${reason.slice(0, 497)}...` : reason;
}

export function isTimeout(out: InvokeCommandOutput, report: InvocationReport | undefined): boolean {
  const { type, message } = functionErrorOf(out);
  return report?.status === 'timeout' || type === 'Sandbox.Timedout' || /timed out/i.test(message);
}

/** The tail log's REPORT record. */
export function reportOf(out: InvokeCommandOutput): InvocationReport | undefined {
  return parseLogResult(out.LogResult);
}
