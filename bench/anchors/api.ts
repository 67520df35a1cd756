// Anchor: the API template's logic written the usual hand-rolled way with Powertools
// (logger, metrics with cold start, tracer) and a switch-based router.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();
const orders = new Map<string, unknown>();

export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  logger.addContext(context);
  logger.appendKeys({ correlation_id: event.requestContext?.requestId });
  metrics.captureColdStartMetric();
  tracer.getSegment();
  try {
    const route = `${event.httpMethod} ${event.resource}`;
    switch (route) {
      case 'GET /health':
        return json(200, { status: 'ok' });
      case 'POST /orders': {
        const body = JSON.parse(event.body ?? '{}');
        orders.set(body.id, body);
        metrics.addMetric('OrdersCreated', MetricUnit.Count, 1);
        return json(201, body);
      }
      case 'GET /orders/{id}': {
        const order = orders.get(event.pathParameters?.id ?? '');
        return order ? json(200, order) : json(404, { message: 'not found' });
      }
      default:
        return json(404, { message: 'not found' });
    }
  } catch (err) {
    logger.error('unhandled', err as Error);
    return json(500, { message: 'internal error' });
  } finally {
    metrics.publishStoredMetrics();
  }
};

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
