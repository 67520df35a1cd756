// Anchor: the idempotent template's logic written the usual hand-rolled way with Powertools,
// bundled as aws-lambda-nodejs NodejsFunction does by default (see bench/lib/anchors.ts).
import { makeIdempotent, IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? 'anchor' });
const config = new IdempotencyConfig({ eventKeyJmesPath: 'orderId', expiresAfterSeconds: 3600 });

const processOrder = async (event: { orderId: string; amount: number }) => {
  metrics.addMetric('OrdersAcknowledged', MetricUnit.Count, 1);
  logger.info('order acknowledged', { orderId: event.orderId });
  return { orderId: event.orderId, status: 'ACKNOWLEDGED', amount: event.amount };
};

const idempotent = makeIdempotent(processOrder, { persistenceStore, config });

export const handler = async (event: { orderId: string; amount: number }, context: Context) => {
  logger.addContext(context);
  config.registerLambdaContext(context);
  try {
    return await idempotent(event);
  } finally {
    metrics.publishStoredMetrics();
  }
};
