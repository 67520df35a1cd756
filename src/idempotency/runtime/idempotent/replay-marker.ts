import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ReplayMarkerConfig } from './config';
import { fromStoredResult } from '../../../core/runtime/shared/stored-result';
import { REPLAY_HEADER_VALUE } from '../../contract';

type JsonObject = { [key: string]: JSONValue };

const isObject = (value: JSONValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Powertools idempotency's `responseHook`, which it calls for replays only: marks the
 * stored result so a caller can tell it from a fresh one. A stored error marker (an
 * unstorable result) passes unchanged, so the replay still fails with its error.
 */
export function replayMarkerHook(marker: ReplayMarkerConfig, logger: Logger): (response: JSONValue) => JSONValue {
  return (response) => {
    try {
      fromStoredResult(response);
    } catch {
      return response;
    }
    if (marker.kind === 'field') {
      if (isObject(response)) return { ...response, [marker.name]: true };
    } else if (isObject(response) && typeof response.statusCode === 'number') {
      const headers = isObject(response.headers) ? response.headers : {};
      return { ...response, headers: { ...headers, [marker.name]: REPLAY_HEADER_VALUE } };
    }
    logger.warn(`Replayed result not marked: the ${marker.kind} marker "${marker.name}" needs ${marker.kind === 'field' ? 'a JSON object' : 'an HTTP response with a numeric statusCode'} as the result`, {
      resultType: Array.isArray(response) ? 'array' : response === null ? 'null' : typeof response,
    });
    return response;
  };
}
