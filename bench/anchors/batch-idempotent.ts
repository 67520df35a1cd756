// Anchor: the batch template with per-record idempotency, written the usual hand-rolled way
// with Powertools (the idempotency table and a DynamoDB client built at init).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.SQS);
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? 'anchor' });
const config = new IdempotencyConfig({ eventKeyJmesPath: 'messageId', expiresAfterSeconds: 3600 });

const recordHandler = makeIdempotent(
  async (record: SQSRecord) => {
    const order = JSON.parse(record.body);
    logger.info('order received', { orderId: order.orderId });
    metrics.addMetric('RecordsProcessed', MetricUnit.Count, 1);
  },
  { persistenceStore, config },
);

export const handler = async (event: SQSEvent, context: Context) => {
  logger.addContext(context);
  config.registerLambdaContext(context);
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
