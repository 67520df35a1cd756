import { HttpResponse, jsonResponse } from './http-response';
import { logger } from './powertools';
import { InvalidBodyError } from './request';
import type { SchemaIssue } from '../../../core/contract/entry';
import { asError } from '../../../core/runtime/shared/non-error';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly requestId?: string;
  /** What does not match the route's schema (400 only). */
  readonly issues?: SchemaIssue[];
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
};

/**
 * Turns any thrown value into an error response. A 4xx status carried by the error
 * (ours, Powertools' HttpError, or any error with a numeric `statusCode`) is the client's
 * problem and its message is shown. Everything else is ours: it is logged in full with the
 * correlation id, and the client sees only a generic 500 and the request id to quote.
 */
export function toErrorResponse(error: unknown, requestId: string | undefined): HttpResponse {
  const status = clientStatusOf(error);
  if (status !== undefined) {
    const message = error instanceof Error && error.message ? error.message : REASONS[status] ?? 'Client error';
    const issues = error instanceof InvalidBodyError ? { issues: error.issues } : {};
    return json(status, { statusCode: status, error: REASONS[status] ?? 'ClientError', message, requestId, ...issues });
  }
  logger.error('Unhandled error while handling the request', asError('the request handling', error));
  return json(500, { statusCode: 500, error: 'InternalServerError', message: 'Internal Server Error', requestId });
}

function clientStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499 ? status : undefined;
}

function json(status: number, body: ErrorBody): HttpResponse {
  return jsonResponse(status, body);
}
