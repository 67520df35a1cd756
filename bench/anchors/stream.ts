// Anchor: the stream template's logic written the usual hand-rolled way with Powertools
// (BatchProcessor for Kinesis, records decoded and processed one at a time, in order).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.KinesisDataStreams);

const recordHandler = async (record: KinesisStreamRecord) => {
  const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  logger.info('click received', { clickId: click.clickId });
  metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
};

export const handler = async (event: KinesisStreamEvent, context: Context) => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  } finally {
    metrics.publishStoredMetrics();
  }
};
