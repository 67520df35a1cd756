import { BodyFormat, entryBodyFormat, requireEntryFunction } from './entry-export';
import { entrySchemaExport } from './schema';
import type { EntryContract, EntrySchema } from '../../contract/entry';

/** A per-record entry (SqsBatchConsumer, StreamBatchConsumer): its function, body format and optional schema. */
export interface RecordEntryLogic<F> {
  readonly processRecord: F;
  readonly bodyFormat: BodyFormat;
  /** Validates each record's payload (after `bodyFormat`) before the logic; a mismatch fails the record. */
  readonly schema?: EntrySchema;
}

/**
 * Checks a user module namespace at init, so a wrong export fails the first cold start with
 * a clear message instead of failing every record.
 */
export function recordEntryLogic<F>(construct: string, userModule: unknown, contract: EntryContract): RecordEntryLogic<F> {
  return {
    processRecord: requireEntryFunction<F>(construct, userModule, contract),
    bodyFormat: entryBodyFormat(construct, userModule, contract),
    schema: entrySchemaExport(construct, userModule, contract),
  };
}
