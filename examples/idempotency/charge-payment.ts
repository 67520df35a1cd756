/**
 * Example business logic for IdempotentFunction
 * (`handlerCode: HandlerCode.fromEntry('examples/idempotency/charge-payment.ts')`).
 *
 * The entry exports exactly one function, `processEvent(event, context)`. The template
 * provides the Lambda handler: it runs `processEvent` once per idempotency key (the
 * construct's `eventKeyJmesPath`, here `paymentId`) and returns the stored result to
 * duplicates within the expiry window. Throw to fail the invocation: the idempotency
 * record is removed, so a retry runs again. Return JSON-serializable data under ~396 KB.
 */
// In an app: import type { LambdaContext } from 'cdk-serverless-powertools/lib/entry-types';
import type { LambdaContext } from '../../src/entry-types';

interface PaymentRequest {
  readonly paymentId: string;
  readonly amountCents: number;
  readonly currency: string;
}


export interface PaymentReceipt {
  readonly paymentId: string;
  readonly chargedCents: number;
  readonly currency: string;
  /** The request that actually charged; duplicates show the first one's id. */
  readonly chargedByRequest: string;
}

export async function processEvent(event: unknown, context: LambdaContext): Promise<PaymentReceipt> {
  const request = event as Partial<PaymentRequest>;
  if (typeof request?.paymentId !== 'string' || !Number.isInteger(request.amountCents) || (request.amountCents as number) <= 0) {
    throw new Error('expected {"paymentId": string, "amountCents": positive integer, "currency": string}');
  }
  // A real implementation calls the payment provider here; idempotency guarantees it
  // happens once per paymentId even when Lambda delivers the event twice.
  return {
    paymentId: request.paymentId,
    chargedCents: request.amountCents as number,
    currency: request.currency ?? 'EUR',
    chargedByRequest: context.awsRequestId,
  };
}
