// IdempotentFunction: processEvent(event, context). The event type is the author's own.
import type { LambdaContext, ProcessEventFunction } from 'cdk-serverless-powertools/lib/entry-types';

interface Payment {
  readonly paymentId: string;
  readonly amountCents: number;
}

export const processEvent: ProcessEventFunction = async (event: Payment, context: LambdaContext) => ({
  paymentId: event.paymentId,
  chargedBy: context.awsRequestId,
  msLeft: context.getRemainingTimeInMillis(),
});
