import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RecordContext, RecordLogic } from './record-logic';
import { kindOf } from '../../../core/runtime/shared/describe';
import { BATCH_METRICS } from '../../contract';

/** The summary the demo logs and returns for each message. */
export interface OrderSummary {
  readonly orderId?: string;
  readonly itemCount: number;
  readonly total: number;
}

/**
 * Demo business logic: records a JSON order (`{"orderId":"o-1","items":[{"price":2,"quantity":3}]}`)
 * by logging a summary and counting it. Any JSON object is accepted; a body that is valid
 * JSON but not an object fails the record, which shows the failure path end to end.
 */
export function recordOrder(body: unknown, context: RecordContext): OrderSummary {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError(`expected a JSON object body, got ${kindOf(body)}`);
  }
  const order = body as { orderId?: unknown; items?: unknown };
  const items = Array.isArray(order.items) ? order.items : [];
  const total = items.reduce((sum: number, item: any) => sum + (Number(item?.price) || 0) * (Number(item?.quantity ?? 1) || 0), 0);
  const summary: OrderSummary = {
    orderId: typeof order.orderId === 'string' ? order.orderId : undefined,
    itemCount: items.length,
    total: Math.round(total * 100) / 100,
  };
  context.logger.info('order recorded', { order: summary });
  context.metrics.addMetric(BATCH_METRICS.ordersRecorded, MetricUnit.Count, 1);
  return summary;
}

export const demoLogic: RecordLogic = { processRecord: recordOrder, bodyFormat: 'json' };
