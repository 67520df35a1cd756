import type { Context } from 'aws-lambda';
import { toErrorResponse } from './errors';
import { HttpRequest, isProxyEvent, methodOf, rawPathOf, readRequest } from './http-request';
import type { HttpResponse } from './http-response';
import { logger, metrics, tracing } from './powertools';
import { ClientError, correlationIdOf, hasMalformedEscape, requestIdOf } from './request';
import type { ApiRouter } from './router';
import { endBufferedLogs, startInvocation } from '../../../core/runtime/shared/logger';

/** How one template answers: a buffered proxy result (api) or a response stream (api-stream). */
export interface ResponseSink<T> {
  /** What the template serves, for the 400 a wrong event gets. */
  readonly notProxyMessage: string;
  /** The log line written once a request is answered. */
  readonly answeredMessage: string;
  /** Sends a response; `request` is undefined when the event was not routed. */
  send(response: HttpResponse, request: HttpRequest | undefined): Promise<T>;
}

const MALFORMED_PATH = 'The path has an invalid percent-escape: "%" must be followed by two hex digits';

/**
 * One invocation of either API template: correlation id on every log line, ColdStart metric,
 * a 400 for events that are not HTTP proxy events or paths that do not decode, routing, and
 * metrics flushed and buffered logs settled even when the route failed.
 */
export async function answerInvocation<T>(router: ApiRouter, event: unknown, context: Context, sink: ResponseSink<T>): Promise<T> {
  let failed = true;
  try {
    const requestId = requestIdOf(event);
    await tracing.ready();
    startInvocation(logger, context);
    const correlationId = correlationIdOf(event);
    if (correlationId) logger.setCorrelationId(correlationId);
    metrics.captureColdStartMetric(context.functionName);
    const started = Date.now();
    try {
      if (!isProxyEvent(event)) {
        logger.error('The event is not an HTTP proxy event (API Gateway REST v1, HTTP v2 or a Function URL); answering 400');
        return await sink.send(toErrorResponse(new ClientError(400, sink.notProxyMessage), requestId), undefined);
      }
      const path = rawPathOf(event);
      if (hasMalformedEscape(path)) return await sink.send(toErrorResponse(new ClientError(400, MALFORMED_PATH), requestId), undefined);
      const request = readRequest(event);
      const response = await router.handle(request, context);
      failed = response.statusCode >= 500;
      const result = await sink.send(response, request);
      logger.info(sink.answeredMessage, { method: methodOf(event), path, statusCode: response.statusCode, durationMs: Date.now() - started });
      return result;
    } catch (error) {
      // Only failures outside the router land here (a body that could not be read or sent).
      failed = true;
      return await sink.send(toErrorResponse(error, requestId), undefined);
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  } finally {
    // With log buffering: a 5xx prints the request's buffered DEBUG lines, anything else drops them.
    endBufferedLogs(failed, logger);
  }
}
