import { recordEntryLogic, type RecordEntryLogic } from '../../../core/runtime/shared/record-entry';
import { BATCH_ENTRY, ProcessRecordFunction } from '../../contract';

export type { BodyFormat, RecordContext } from '../../contract';

export type ProcessRecordFn = ProcessRecordFunction;

/** The business logic the template runs for each record. */
export type RecordLogic = RecordEntryLogic<ProcessRecordFn>;

export const ENTRY_CONTRACT = BATCH_ENTRY.description;

export function recordLogicFromModule(userModule: unknown): RecordLogic {
  return recordEntryLogic<ProcessRecordFn>('SqsBatchConsumer', userModule, BATCH_ENTRY);
}
