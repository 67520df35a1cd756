import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ClientError } from './request';
import type { RouteTable } from './router';
import { ORDER_CREATED_METRIC } from '../../contract';

/** A demo order. Replace these routes with yours via `HandlerCode.fromEntry()`. */
export interface Order {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  readonly createdAt: string;
}

// Demo storage only: it lives as long as one execution environment.
const orders = new Map<string, Order>();

/** The business metric the demo emits; the construct's high-level dashboard graphs it. */

export const demoRoutes: RouteTable = {
  'GET /health': () => ({ status: 'ok' }),
  'GET /orders': () => ({ orders: [...orders.values()] }),
  'GET /orders/{id}': (request) => {
    const order = orders.get(request.params.id);
    if (!order) throw new ClientError(404, `Order ${request.params.id} not found`);
    return order;
  },
  'POST /orders': (request) => {
    const { item, quantity } = validateNewOrder(request.body);
    const order: Order = { id: randomUUID(), item, quantity, createdAt: new Date().toISOString() };
    orders.set(order.id, order);
    request.metrics.addMetric(ORDER_CREATED_METRIC, MetricUnit.Count, 1);
    request.logger.info('Order created', { orderId: order.id });
    return request.reply(201, order, { location: `/orders/${order.id}` });
  },
};

function validateNewOrder(body: unknown): { item: string; quantity: number } {
  const candidate = body as { item?: unknown; quantity?: unknown } | undefined;
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw new ClientError(400, 'Send a JSON object: {"item": "book", "quantity": 1}');
  }
  if (typeof candidate.item !== 'string' || candidate.item.trim() === '') {
    throw new ClientError(400, '"item" must be a non-empty string');
  }
  const quantity = candidate.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1000) {
    throw new ClientError(400, '"quantity" must be a whole number from 1 to 1000');
  }
  return { item: candidate.item, quantity };
}
