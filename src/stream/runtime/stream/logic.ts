import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import type { EntryParameters } from '../../../core/contract/parameters';
import { recordEntryLogic, type RecordEntryLogic } from '../../../core/runtime/shared/record-entry';
import { STREAM_ENTRY } from '../../contract';

/** What the per-record function gets besides the payload. */
export interface StreamRecordContext {
  /** The raw Kinesis or DynamoDB stream record. */
  readonly record: KinesisStreamRecord | DynamoDBRecord;
  /** The record's sequence number (what a partial batch response reports). */
  readonly sequenceNumber: string;
  /** The record's event id (DynamoDB `eventID`, Kinesis `shardId-…:sequence`). */
  readonly eventId?: string;
  /** Kinesis: the shard, from the event id. */
  readonly shardId?: string;
  /** Kinesis: the partition key. */
  readonly partitionKey?: string;
  /**
   * The payload's top-level `correlationId` string (Kinesis JSON data, or the DynamoDB new or
   * old image), when it has one; also the `correlation_id` of the record's log lines. Put it
   * on what you publish so the chain continues.
   */
  readonly correlationId?: string;
  /** A logger whose lines carry this record's sequence number, shard and key. */
  readonly logger: Logger;
  /** Shared EMF metrics, published once at the end of the invocation. */
  readonly metrics: Metrics;
  readonly lambdaContext?: Context;
  /** The parameters and secrets declared on the construct (`await context.parameters.get('key')`). */
  readonly parameters: EntryParameters;
}

export type ProcessStreamRecordFn = (payload: unknown, context: StreamRecordContext) => unknown;

/** The business logic the template runs for each record; a schema mismatch fails the record (and the rest of the shard's batch). */
export type StreamLogic = RecordEntryLogic<ProcessStreamRecordFn>;

export const ENTRY_CONTRACT = STREAM_ENTRY.description;

export function streamLogicFromModule(userModule: unknown): StreamLogic {
  return recordEntryLogic<ProcessStreamRecordFn>('StreamBatchConsumer', userModule, STREAM_ENTRY);
}

/** Demo logic: logs each record's payload; a payload `{ "fail": true }` fails the record (the failure path end to end). */
export const demoLogic: StreamLogic = {
  bodyFormat: 'json',
  processRecord: (payload, context) => {
    const value = payload as { fail?: unknown; newImage?: { fail?: unknown } } | null;
    if (value?.fail === true || value?.newImage?.fail === true) throw new Error('the record asks to fail ("fail": true)');
    context.logger.info('record processed', { payload });
    return undefined;
  },
};
