/**
 * Example per-record logic for SqsBatchConsumer (`HandlerCode.fromEntry('examples/batch/process-order.ts')`).
 * The template parses the body as JSON, calls `processRecord` once per record, and reports
 * a thrown error as that record's failure: the message returns to the queue and, after
 * maxReceiveCount receives, moves to the DLQ. Logging, metrics and idempotency stay the
 * template's; `context.logger` lines carry the record's message_id and correlation_id.
 */
// In an app: import type { RecordContext } from 'cdk-serverless-powertools/lib/entry-types';
import type { RecordContext } from '../../src/entry-types';

interface Order {
  readonly orderId: string;
  readonly items: { sku: string; quantity: number; price: number }[];
}


export async function processRecord(body: unknown, context: RecordContext): Promise<{ orderId: string; total: number }> {
  const order = body as Order;
  if (typeof order?.orderId !== 'string' || !Array.isArray(order.items)) {
    // A bad message is a failure of this record only; it ends in the DLQ for inspection.
    throw new Error('expected {"orderId": string, "items": [...]}');
  }
  const total = order.items.reduce((sum, item) => sum + item.quantity * item.price, 0);
  context.logger.info('order accepted', { orderId: order.orderId, total });
  context.metrics.addMetric('OrdersAccepted', 'Count', 1);
  return { orderId: order.orderId, total };
}
