/**
 * PowerTunedFunction's template: Powertools logging, metrics and tracing around the user's
 * business logic. The demo logic is CPU-bound (repeated SHA-256 hashing), the kind of
 * work whose duration falls as memory (and so CPU) rises, so a tuning run shows a curve.
 *
 * Bring your own logic with `HandlerCode.fromEntry('src/work.ts')`, a module that exports
 * `handle(event, context)` returning the response (sync or async).
 */
import { createHash } from 'node:crypto';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { HANDLE_ENTRY, HandleFunction } from '../../../core/contract/entry';
import { kindOf } from '../../../core/runtime/shared/describe';
import { requireEntryFunction } from '../../../core/runtime/shared/entry-export';
import { createLogger, endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';
import { withParameters } from '../../../core/runtime/shared/parameters';
import { TemplateTracing } from '../../../core/runtime/shared/tracing';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../../../core/runtime/shared/parameters';

export type Handle = HandleFunction;

export interface PowerTunedModule {
  readonly handle: Handle;
}

const logger = createLogger();
const metrics = new Metrics();
const tracing = new TemplateTracing();

/** Thrown for an event the logic cannot accept; it fails the invocation, never succeeds silently. */
export class BadEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadEventError';
  }
}

const MAX_ITERATIONS = 5_000_000;
const DEFAULT_ITERATIONS = 20_000;

/**
 * The demo logic: `{ "iterations": n }` hashes a buffer n times and returns the digest;
 * `{}` (the tuning payload by default) does the default work. Any event that is not a JSON
 * object (null, an array, a string...) is a BadEventError: a tuning run with a wrong
 * payload must fail, not measure the default work as if it were the requested one.
 */
export function hashWork(event: unknown): { iterations: number; digest: string } {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new BadEventError(`The event must be a JSON object such as {"iterations": ${DEFAULT_ITERATIONS}} ({} for the default); got ${kindOf(event)}.`);
  }
  const requested = (event as { iterations?: unknown }).iterations;
  const iterations = requested === undefined ? DEFAULT_ITERATIONS : requested;
  if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new BadEventError(`"iterations" must be a whole number from 1 to ${MAX_ITERATIONS} (got ${JSON.stringify(iterations)}).`);
  }
  let digest = Buffer.from('cdk-serverless-powertools');
  for (let i = 0; i < iterations; i++) digest = createHash('sha256').update(digest).digest();
  return { iterations, digest: digest.toString('hex') };
}

/**
 * Wraps the user's module: checks at init that it exports `handle`, then adds the
 * Lambda context to every log line and publishes metrics after each invocation.
 */
export function wrapPowerTuned(userModule: Partial<PowerTunedModule>): (event: unknown, context: Context) => Promise<unknown> {
  const handle = requireEntryFunction<Handle>('PowerTunedFunction', userModule, HANDLE_ENTRY);
  return (event, context) =>
    tracing.invocation(async () => {
      startInvocation(logger, context);
      metrics.captureColdStartMetric(context.functionName);
      let failed = false;
      try {
        const result = await handle(event, withParameters(context));
        metrics.addMetric('Processed', MetricUnit.Count, 1);
        return result;
      } catch (err) {
        failed = true;
        metrics.addMetric('Failed', MetricUnit.Count, 1);
        logger.error('the invocation failed', err as Error);
        throw err;
      } finally {
        endBufferedLogs(failed, logger);
        metrics.publishStoredMetrics();
      }
    });
}

export const handler = wrapPowerTuned({ handle: (event) => hashWork(event) });
