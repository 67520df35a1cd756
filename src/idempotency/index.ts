export * from './idempotency-table';
export * from './idempotent-function';
export * from './replay-marker';
export * from './table-attributes';
