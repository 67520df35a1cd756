/**
 * Types for `HandlerCode.fromEntry()` files: what each construct's template calls your exports
 * with. Types only (the module is empty at run time), imported with `import type`, so nothing
 * from this package is bundled into your function:
 *
 * ```ts
 * import type { RouteTable } from 'cdk-serverless-powertools/lib/entry-types';
 * export const routes: RouteTable = { 'GET /orders/{id}': (request) => ({ id: request.params.id }) };
 * ```
 *
 * | construct | export | type |
 * |---|---|---|
 * | `IdempotentFunction` | `processEvent` | `ProcessEventFunction` |
 * | `SqsBatchConsumer` | `processRecord` (and optionally `bodyFormat`) | `ProcessRecordFunction` (`RecordContext`), `BodyFormat` |
 * | `ObservableApi` | `routes` | `RouteTable` (`RouteHandler`, `ApiRequest`, `ApiReply`) |
 * | `PowertoolsFunction`, `PowerTunedFunction` | `handle` | `HandleFunction` |
 * | `IdempotentFunction`, `SqsBatchConsumer`, `StreamBatchConsumer` | `schema` (optional) | `EntrySchema` (a zod schema) |
 * | `ObservableApi` | `schemas` (optional) | `RouteSchemas` (zod schemas keyed like `routes`) |
 *
 * The templates build their arguments with these same types (they live in each capability's
 * contract), so they cannot drift. Not exported from the package root: not part of the jsii API.
 */
export type {
  EntryLogger,
  EntryMetrics,
  EntrySchema,
  EntryTracer,
  HandleFunction,
  LambdaContext,
  SchemaIssue,
  TemplateContext,
} from '../core/contract/entry';
export type { EntryParameters } from '../core/contract/parameters';
export type { ProcessEventFunction } from '../idempotency/contract';
export type { BodyFormat, ProcessRecordFunction, RecordContext, SqsMessageAttribute, SqsRecord } from '../batch/contract';
export type { ApiReply, ApiRequest, RouteHandler, RouteSchemas, RouteTable } from '../api/contract';
