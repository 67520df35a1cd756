// ObservableApi: routes, a table of route keys to handlers of the request object.
import type { ApiRequest, RouteTable } from 'cdk-serverless-powertools/lib/entry-types';

function getOrder(request: ApiRequest) {
  request.tracer.putAnnotation('orderId', request.params.id);
  return { id: request.params.id, page: request.query.page, agent: request.headers['user-agent'], requestId: request.requestId };
}

export const routes: RouteTable = {
  'GET /orders/{id}': getOrder,
  'POST /orders': async (request) => {
    request.logger.info('order created', { body: request.body, fn: request.context.functionName });
    request.metrics.addMetric('OrderCreated', 'Count', 1);
    return request.reply(201, request.body, { location: '/orders/1' });
  },
};
