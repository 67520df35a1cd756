export * from './core';
export * from './idempotency';
