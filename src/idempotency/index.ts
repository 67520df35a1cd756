export * from './idempotency-table';
export * from './idempotent-function';
