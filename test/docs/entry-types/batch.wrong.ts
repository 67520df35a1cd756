import type { BodyFormat, ProcessRecordFunction } from 'cdk-serverless-powertools/lib/entry-types';

// Only json and text exist.
export const bodyFormat: BodyFormat = 'xml';

export const processRecord: ProcessRecordFunction = (_body, context) => {
  // addMetric takes a unit.
  context.metrics.addMetric('OrdersAccepted', 1);
  return context.messageID;
};
