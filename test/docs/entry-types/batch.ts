// SqsBatchConsumer: processRecord(body, context) and the optional bodyFormat.
import type { BodyFormat, ProcessRecordFunction, RecordContext } from 'cdk-serverless-powertools/lib/entry-types';

export const bodyFormat: BodyFormat = 'json';

export const processRecord: ProcessRecordFunction = async (body: { orderId: string }, context: RecordContext) => {
  context.logger.info('order accepted', { orderId: body.orderId, correlationId: context.correlationId });
  context.logger.appendKeys({ receives: context.record.attributes.ApproximateReceiveCount });
  context.metrics.addMetric('OrdersAccepted', 'Count', 1);
  return { messageId: context.messageId, fn: context.lambdaContext?.functionName };
};
