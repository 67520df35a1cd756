/**
 * PowertoolsFunction's template: a starting point for any trigger (S3, EventBridge, SNS,
 * schedules). It logs the shape of each event (keys and types, never values, so no
 * personal data reaches the logs), counts events as an EMF metric and traces the
 * invocation with X-Ray.
 *
 * Bring your own logic with `HandlerCode.fromEntry('src/handle.ts')`, a module that exports
 * `handle(event, context)` returning the response (sync or async).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describeShape } from './shape';
import { HANDLE_ENTRY, HandleFunction } from '../../contract/entry';
import { requireEntryFunction } from '../shared/entry-export';
import { createLogger, endBufferedLogs, startInvocation } from '../shared/logger';
import { withParameters } from '../shared/parameters';
import { TemplateTracing } from '../shared/tracing';

// Tests, or a custom client: `useParameterClients({ ssm, secretsManager })` replaces the SDK clients the parameter reader uses.
export { useParameterClients } from '../shared/parameters';

export { describeShape } from './shape';

export type Handle = HandleFunction;

export interface FunctionModule {
  readonly handle: Handle;
}

// Created once per execution environment, configured by the POWERTOOLS_* variables.
const logger = createLogger();
const metrics = new Metrics();
const tracing = new TemplateTracing();

/** EMF metrics of this template. */
export const FUNCTION_METRICS = { handled: 'EventsHandled', failed: 'EventsFailed' } as const;

/**
 * Wraps the user's module: checks at init that it exports `handle`, then logs each event's
 * shape with the Lambda context, traces the call and publishes metrics, even on failure.
 */
export function wrapFunction(userModule: Partial<FunctionModule>): (event: unknown, context: Context) => Promise<unknown> {
  const handle = requireEntryFunction<Handle>('PowertoolsFunction', userModule, HANDLE_ENTRY);
  return (event, context) =>
    tracing.invocation(async () => {
      startInvocation(logger, context);
      metrics.captureColdStartMetric(context.functionName);
      let failed = false;
      logger.info('Event received', { eventShape: describeShape(event) });
      try {
        const result = await handle(event, withParameters(context));
        metrics.addMetric(FUNCTION_METRICS.handled, MetricUnit.Count, 1);
        return result;
      } catch (err) {
        failed = true;
        metrics.addMetric(FUNCTION_METRICS.failed, MetricUnit.Count, 1);
        logger.error('The invocation failed', err as Error);
        throw err;
      } finally {
        endBufferedLogs(failed, logger);
        metrics.publishStoredMetrics();
      }
    });
}

/** The demo logic answers with what it saw, so a first deployment shows the wiring works. */
export const handler = wrapFunction({
  handle: (event, context) => ({ ok: true, requestId: context.awsRequestId, eventShape: describeShape(event) }),
});
