export * from './record-idempotency-key';
export * from './sqs-batch-consumer-props';
export * from './sqs-batch-consumer';
