export * from './core';
export * from './idempotency';
export * from './api';
export * from './batch';
export * from './power-tuning';
export * from './stream';
