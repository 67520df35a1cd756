import { randomUUID } from 'node:crypto';

/** The demo event: an order to accept. Any other shape is rejected, never acknowledged. */
export interface OrderEvent {
  readonly orderId: string;
  readonly amount?: number;
  readonly currency?: string;
}

/** What the demo returns; a replay returns the stored copy, so the same acknowledgementId. */
export interface OrderAcknowledgement {
  readonly orderId: string;
  readonly status: 'ACCEPTED';
  readonly acknowledgementId: string;
  readonly acceptedAt: string;
  readonly amount?: number;
  readonly currency?: string;
}

/** The event is not an order; the invocation fails rather than acknowledging garbage. */
export class InvalidOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOrderError';
  }
}

/**
 * The template's default business logic: accept an order once and hand back an
 * acknowledgement. The fresh acknowledgementId makes replays visible: a duplicate
 * delivery returns the first call's id instead of minting a new one.
 */
export function acknowledgeOrder(event: unknown): OrderAcknowledgement {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidOrderError('Expected an order object such as {"orderId":"o-1","amount":42}.');
  }
  const { orderId, amount, currency } = event as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId.trim() === '') {
    throw new InvalidOrderError('The order needs a non-empty string "orderId".');
  }
  if (amount !== undefined && (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)) {
    throw new InvalidOrderError('"amount", when given, must be a non-negative number.');
  }
  if (currency !== undefined && typeof currency !== 'string') {
    throw new InvalidOrderError('"currency", when given, must be a string.');
  }
  return {
    orderId,
    status: 'ACCEPTED',
    acknowledgementId: randomUUID(),
    acceptedAt: new Date().toISOString(),
    ...(amount !== undefined ? { amount } : {}),
    ...(currency !== undefined ? { currency } : {}),
  };
}
