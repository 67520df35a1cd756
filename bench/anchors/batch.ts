// Anchor: the batch template's logic written the usual hand-rolled way with Powertools.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord) => {
  const order = JSON.parse(record.body);
  logger.info('order received', { orderId: order.orderId });
  metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
};

export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
