export * from './stream-batch-consumer-props';
export * from './stream-batch-consumer';
export * from './stream-failure-destination';
export * from './stream-idempotency-key';
export * from './stream-source';
