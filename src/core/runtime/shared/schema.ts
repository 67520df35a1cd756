import { kindOf } from './describe';
import { entryExports } from './entry-export';
import { EntryContract, EntrySchema, SCHEMA_ENTRY, SchemaIssue } from '../../contract/entry';

/** The entry module's optional `schema` export, checked at init (see entrySchema). */
export function entrySchemaExport(construct: string, userModule: unknown, contract: EntryContract): EntrySchema | undefined {
  return entrySchema(construct, SCHEMA_ENTRY.exportName, entryExports(userModule, contract.exportName)[SCHEMA_ENTRY.exportName]);
}

/**
 * The entry's input schema, checked at init so a wrong export fails the first cold start
 * with one clear message instead of every event. Validation itself lives in a lazy chunk
 * (schema-validation.ts, with Powertools parser): an entry without a schema never loads it.
 */
export function entrySchema(construct: string, exportName: string, value: unknown): EntrySchema | undefined {
  if (value === undefined) return undefined;
  if (isStandardSchema(value)) return value;
  const looksLikeOldZod = typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function';
  throw new TypeError(
    `${construct} entry: "${exportName}" must be a zod schema, e.g. \`export const ${exportName} = z.object({ orderId: z.string() })\` ` +
      `(or another synchronous Standard Schema v1 validator); it is ${kindOf(value)}` +
      (looksLikeOldZod ? ' with safeParse but no "~standard" property: upgrade zod to 4 (or 3.24+).' : '.'),
  );
}

function isStandardSchema(value: unknown): value is EntrySchema {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as Partial<EntrySchema>)['~standard'];
  return standard?.version === 1 && typeof standard.validate === 'function';
}

/** The input failed its schema; the message lists every issue. */
export class InvalidInputError extends Error {
  /**
   * @param what what was validated, e.g. "the event" or "message 1a2b"
   */
  constructor(what: string, public readonly issues: SchemaIssue[]) {
    super(`${what} does not match the entry's schema: ${issues.map(describeIssue).join('; ')}`);
    this.name = 'InvalidInputError';
  }
}

function describeIssue(issue: SchemaIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

type SchemaValidation = typeof import('./schema-validation.js');
let loading: Promise<SchemaValidation> | undefined;

/**
 * The validation chunk, imported once. Templates start this at init when the entry has a
 * schema (Lambda boosts init CPU) and await it in the handler; a failed load is not cached,
 * so the next invocation tries again.
 */
export function loadSchemaValidation(): Promise<SchemaValidation> {
  if (!loading) {
    // The .js extension is what node16 resolution asks of an ECMAScript import; esbuild maps it to the .ts file.
    const attempt = import('./schema-validation.js');
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
    loading = attempt;
  }
  return loading;
}

/**
 * Validates `data` against `schema` (undefined: no schema, `data` as is). Resolves to the
 * schema's output; rejects with InvalidInputError naming `what`.
 */
export async function validateInput(schema: EntrySchema | undefined, data: unknown, what: string): Promise<unknown> {
  if (!schema) return data;
  const result = (await loadSchemaValidation()).checkInput(schema, data);
  if (!result.success) throw new InvalidInputError(what, result.issues);
  return result.data;
}

/** Extra keys for a failure's log line: the schema issues of an InvalidInputError, so the WARN line says what to fix. */
export function issuesOf(error: unknown): { issues?: SchemaIssue[] } {
  return error instanceof InvalidInputError ? { issues: error.issues } : {};
}
