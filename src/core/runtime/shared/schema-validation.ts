/**
 * The lazy chunk that validates entry input with Powertools parser. Loaded only by a
 * template whose entry exports a schema (see schema.ts); zod itself comes from the entry.
 */
import { parse } from '@aws-lambda-powertools/parser';
import type { EntrySchema, SchemaIssue } from '../../contract/entry';

export type InputCheck = { readonly success: true; readonly data: unknown } | { readonly success: false; readonly issues: SchemaIssue[] };

/** Runs the schema; an async schema throws (Powertools parser validates synchronously only). */
export function checkInput(schema: EntrySchema, data: unknown): InputCheck {
  const result = parse(data, undefined, schema as any, true) as { success: boolean; data?: unknown; error?: Error };
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: toIssues((result.error as { cause?: unknown } | undefined)?.cause) };
}

/**
 * Issues as safe, plain data: path, message and zod's code only. zod adds details such as
 * `input` (the received value) and a schema's internals; none of them leave the template.
 */
function toIssues(cause: unknown): SchemaIssue[] {
  const raw = Array.isArray(cause) ? cause : [];
  return raw.map((issue: { path?: unknown; message?: unknown; code?: unknown }) => ({
    path: Array.isArray(issue.path) ? issue.path.map(pathSegment) : [],
    message: typeof issue.message === 'string' ? issue.message : 'Invalid value',
    ...(typeof issue.code === 'string' ? { code: issue.code } : {}),
  }));
}

// Standard Schema allows { key } segments and symbols; callers get strings and numbers.
function pathSegment(segment: unknown): string | number {
  const key = typeof segment === 'object' && segment !== null && 'key' in segment ? (segment as { key: unknown }).key : segment;
  return typeof key === 'number' ? key : String(key);
}
