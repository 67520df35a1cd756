import type { EntryParameters } from './parameters';

/** What a `HandlerCode.fromEntry` module must export for a template to wrap it. */
export interface EntryContract {
  /** The named export the template calls. */
  readonly exportName: string;
  /** The export's shape, for error messages and docs. */
  readonly description: string;
}

/** PowertoolsFunction's and PowerTunedFunction's entry: one function that handles the event. */
export const HANDLE_ENTRY: EntryContract = {
  exportName: 'handle',
  description: 'export function handle(event, context) returning the response (sync or async)',
};

// The types below are what the templates call a `HandlerCode.fromEntry()` module with. They
// are plain structural interfaces (no Powertools or @types/aws-lambda import), so this
// contract stays dependency-free, jsii compiles it, and the package ships them as
// `cdk-serverless-powertools/lib/entry-types`. The templates build their arguments with
// these types, so a change on either side fails the type-check. Not part of the jsii API.

/** The Lambda context, as every template passes it on (the fields of `aws-lambda`'s `Context` you can rely on). */
export interface LambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Milliseconds left before the invocation times out. */
  getRemainingTimeInMillis(): number;
}

/**
 * The template's Powertools Logger, as far as business logic needs it. Lines are JSON and
 * carry the Lambda context (and, where the template has one, the correlation id).
 */
export interface EntryLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
  /** Keys added to every later line of this logger. */
  appendKeys(attributes: Record<string, unknown>): void;
}

/** The template's Powertools Metrics (EMF), published by the template at the end of the invocation. */
export interface EntryMetrics {
  /** `unit` is a CloudWatch unit such as `'Count'`, `'Milliseconds'` or `'Bytes'`. */
  addMetric(name: string, unit: string, value: number): void;
  addDimension(name: string, value: string): void;
  addMetadata(key: string, value: string): void;
}

/** The template's Powertools Tracer (X-Ray); a no-op outside Lambda or with tracing off. */
export interface EntryTracer {
  putAnnotation(key: string, value: string | number | boolean): void;
  putMetadata(key: string, value: unknown, namespace?: string): void;
}

/**
 * What `handle` and `processEvent` get as their context: the Lambda context plus the
 * parameters and secrets declared on the construct (`await context.parameters.get('key')`).
 */
export interface TemplateContext extends LambdaContext {
  readonly parameters: EntryParameters;
}

/** PowertoolsFunction's and PowerTunedFunction's `handle` export: returns the response (sync or async). */
export type HandleFunction = (event: any, context: TemplateContext) => unknown;

/**
 * An input schema an entry may export (`schema`, or per route `schemas`): a zod 4 schema, or
 * any other validator implementing Standard Schema v1 synchronously (zod 3.24+, valibot,
 * arktype). Structural, so this contract imports no zod; `z.object({...})` satisfies it.
 * The template validates with Powertools parser before your logic runs, and your logic gets
 * the schema's output (defaults applied, unknown keys stripped as the schema says).
 */
export interface EntrySchema {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): unknown;
  };
}

/** One problem with the input, as a template reports it (a 400 body, a failed record's WARN line). */
export interface SchemaIssue {
  /** Where in the input, e.g. `['items', 0, 'quantity']`; empty for the input itself. */
  readonly path: (string | number)[];
  readonly message: string;
  /** zod's issue code, e.g. `invalid_type`, when the validator gives one. */
  readonly code?: string;
}

/** What an entry may export beside its logic to validate the input. */
export const SCHEMA_ENTRY = {
  exportName: 'schema',
  description: 'export const schema = z.object({...}) (a zod 4 schema, or any synchronous Standard Schema v1 validator)',
} as const;
