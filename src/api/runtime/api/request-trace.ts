import type { HttpRequest } from './http-request';
import type { HttpResponse } from './http-response';
import { logger, tracing } from './powertools';

/** The `http` block X-Ray shows for a request subsegment. */
interface HttpTrace {
  request: { method: string; url: string; user_agent?: string; client_ip?: string; x_forwarded_for?: boolean };
  response: { status: number; content_length?: number };
}

/**
 * Runs one request inside a `METHOD /path` subsegment with ColdStart, Service and the HTTP
 * request and status, as Powertools' tracer middleware recorded it; `run` at once when
 * nothing is traced. A failure is recorded as error metadata and answered by `onError`. No
 * response bodies in traces: they may hold personal data.
 */
export function tracedRequest(
  request: HttpRequest,
  run: () => Promise<HttpResponse>,
  onError: (error: unknown) => HttpResponse,
): Promise<HttpResponse> {
  const answered = async () => {
    try {
      return await run();
    } catch (error) {
      tracing.recordError(error);
      return onError(error);
    }
  };
  return tracing.subsegment(`${request.method} ${request.path}`, answered, {
    onClose: (subsegment, response) => {
      subsegment.http = { request: requestTrace(request), response: responseTrace(response) } satisfies HttpTrace;
    },
    onCloseFailure: (error) => logger.warn('Failed to close the request subsegment; its trace data may be lost', { error }),
  });
}

function requestTrace(request: HttpRequest): HttpTrace['request'] {
  const headers = request.headers;
  const host = (headers.host ?? (request.event.requestContext as { domainName?: string }).domainName ?? '').toLowerCase();
  const trace: HttpTrace['request'] = { method: request.method, url: `${headers['x-forwarded-proto'] ?? 'https'}://${host}${request.path}` };
  if (headers['user-agent']) trace.user_agent = headers['user-agent'];
  const context = request.event.requestContext as { identity?: { sourceIp?: string }; http?: { sourceIp?: string } };
  const clientIp = request.shape === 'v1' ? context.identity?.sourceIp : context.http?.sourceIp;
  if (clientIp) trace.client_ip = clientIp;
  if (headers['x-forwarded-for'] !== undefined) trace.x_forwarded_for = true;
  return trace;
}

function responseTrace(response: HttpResponse | undefined): HttpTrace['response'] {
  const trace: HttpTrace['response'] = { status: response?.statusCode ?? 500 };
  const length = Number.parseInt(response?.headers['content-length'] ?? '', 10);
  if (!Number.isNaN(length)) trace.content_length = length;
  return trace;
}
