export * from './alarm-action';
export * from './dashboard-placement';
export * from './function-options';
export { HandlerCode } from './handler-code';
export type { EntryBundlingOptions } from './handler-code';
export * from './monitoring-options';
export * from './powertools-function';
export * from './powertools-layer';
export * from './parameters-options';
