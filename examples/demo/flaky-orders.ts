/**
 * The per-record logic the batch scenario hands to the template's `wrapBatch` (what
 * `HandlerCode.fromEntry` bundles): the example app's `examples/batch/process-order.ts`
 * behind an inventory service that is briefly unavailable for some orders. Those fail
 * their first receive only, so the redelivery path is visible; bad messages fail every time.
 */
import { processRecord as acceptOrder } from '../batch/process-order';

type OrderContext = Parameters<typeof acceptOrder>[1] & { readonly record: { readonly attributes: { readonly ApproximateReceiveCount: string } } };

export interface FlakyOrders {
  /** The module namespace the template wraps. */
  readonly module: { processRecord: (body: unknown, context: OrderContext) => Promise<unknown>; bodyFormat: 'json' };
  /** How many times each order was accepted: the side effect that must happen exactly once. */
  readonly accepted: Map<string, number>;
  /** The receive counts each order was attempted with. */
  readonly attempts: Map<string, number[]>;
}

export class InventoryUnavailableError extends Error {
  constructor(orderId: string) {
    super(`inventory service unavailable for ${orderId} (HTTP 503); the message will be retried`);
    this.name = 'InventoryUnavailableError';
  }
}

export function flakyOrders(flakyOrderIds: ReadonlySet<string>): FlakyOrders {
  const accepted = new Map<string, number>();
  const attempts = new Map<string, number[]>();
  const processRecord = async (body: unknown, context: OrderContext): Promise<unknown> => {
    const orderId = (body as { orderId?: unknown })?.orderId;
    const receiveCount = Number(context.record.attributes.ApproximateReceiveCount);
    if (typeof orderId === 'string') attempts.set(orderId, [...(attempts.get(orderId) ?? []), receiveCount]);
    if (typeof orderId === 'string' && flakyOrderIds.has(orderId) && receiveCount === 1) {
      throw new InventoryUnavailableError(orderId);
    }
    const result = await acceptOrder(body, context);
    accepted.set(result.orderId, (accepted.get(result.orderId) ?? 0) + 1);
    return result;
  };
  return { module: { processRecord, bodyFormat: 'json' }, accepted, attempts };
}
