/**
 * Example per-record logic for a StreamBatchConsumer on a DynamoDB stream
 * (`HandlerCode.fromEntry('examples/stream/order-changes.ts')`). The template calls
 * `processRecord` once per record, in shard order, with the change unmarshalled to plain
 * values. A thrown error fails this record and every later one of the batch: Lambda retries
 * the shard from this record, and after `retryAttempts` sends the batch's shard id and
 * sequence-number range to the on-failure queue. `context.logger` lines carry the record's
 * sequence_number and event_id.
 */

interface OrderChange {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: { pk?: string };
  readonly newImage?: { status?: string; total?: number };
  readonly oldImage?: { status?: string };
}

interface StreamRecordContext {
  readonly sequenceNumber: string;
  readonly logger: { info(message: string, ...extra: unknown[]): void };
  readonly metrics: { addMetric(name: string, unit: string, value: number): void };
}

export async function processRecord(payload: unknown, context: StreamRecordContext): Promise<void> {
  const change = payload as OrderChange;
  if (typeof change?.keys?.pk !== 'string') throw new Error('expected an order key "pk"');
  const before = change.oldImage?.status;
  const after = change.newImage?.status;
  if (before !== after) {
    context.logger.info('order status changed', { orderId: change.keys.pk, from: before, to: after });
    context.metrics.addMetric('OrderStatusChanges', 'Count', 1);
  }
}
