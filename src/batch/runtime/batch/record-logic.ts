import type { EntrySchema } from '../../../core/contract/entry';
import { entryBodyFormat, requireEntryFunction } from '../../../core/runtime/shared/entry-export';
import { entrySchemaExport } from '../../../core/runtime/shared/schema';
import { BATCH_ENTRY, BodyFormat, ProcessRecordFunction } from '../../contract';

export type { BodyFormat, RecordContext } from '../../contract';

export type ProcessRecordFn = ProcessRecordFunction;

/** The business logic the template runs for each record. */
export interface RecordLogic {
  readonly processRecord: ProcessRecordFn;
  readonly bodyFormat: BodyFormat;
  /** Validates each record's body (after `bodyFormat`) before the logic; a mismatch fails the record. */
  readonly schema?: EntrySchema;
}

export const ENTRY_CONTRACT = BATCH_ENTRY.description;

/**
 * Checks a user module namespace at init, so a wrong export fails the first cold start with
 * a clear message instead of failing every record.
 */
export function recordLogicFromModule(userModule: unknown): RecordLogic {
  const processRecord = requireEntryFunction<ProcessRecordFn>('SqsBatchConsumer', userModule, BATCH_ENTRY);
  return {
    processRecord,
    bodyFormat: entryBodyFormat('SqsBatchConsumer', userModule, BATCH_ENTRY),
    schema: entrySchemaExport('SqsBatchConsumer', userModule, BATCH_ENTRY),
  };
}
