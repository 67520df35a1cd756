import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import { BodyFormat, entryBodyFormat, requireEntryFunction } from '../../../core/runtime/shared/entry-export';
import { BATCH_ENTRY } from '../../contract';

/** What the per-record function gets besides the body. */
export interface RecordContext {
  /** The raw SQS record (attributes, message attributes, receive count...). */
  readonly record: SQSRecord;
  readonly messageId: string;
  /** From the configured message attribute, when the message carries it. */
  readonly correlationId?: string;
  /** A logger whose lines carry this record's `message_id` and `correlation_id`. */
  readonly logger: Logger;
  /** Shared EMF metrics, published once at the end of the invocation. */
  readonly metrics: Metrics;
  readonly lambdaContext?: Context;
}

/** `json`: the body is parsed and malformed JSON fails the record; `text`: the raw string. */
export type { BodyFormat };

export type ProcessRecordFn = (body: unknown, context: RecordContext) => unknown;

/** The business logic the template runs for each record. */
export interface RecordLogic {
  readonly processRecord: ProcessRecordFn;
  readonly bodyFormat: BodyFormat;
}

export const ENTRY_CONTRACT = BATCH_ENTRY.description;

/**
 * Checks a user module namespace at init, so a wrong export fails the first cold start with
 * a clear message instead of failing every record.
 */
export function recordLogicFromModule(userModule: unknown): RecordLogic {
  const processRecord = requireEntryFunction<ProcessRecordFn>('SqsBatchConsumer', userModule, BATCH_ENTRY);
  return { processRecord, bodyFormat: entryBodyFormat('SqsBatchConsumer', userModule, BATCH_ENTRY) };
}
