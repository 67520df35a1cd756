// Business logic for ObservableApi, wrapped by the construct's template with
// HandlerCode.fromEntry('examples/api/orders-routes.ts'). The template supplies routing,
// JSON body parsing (malformed JSON -> 400), logging with correlation ids, metrics, tracing
// and error mapping; this file only exports `routes`.

// In an app: import type { RouteTable } from 'cdk-serverless-powertools/lib/entry-types';
import type { RouteTable } from '../../src/entry-types';

/** Throw this (any error with a 4xx `statusCode`) to answer the client with that status. */
class HttpError extends Error {
  constructor(public readonly statusCode: number, message: string) {
    super(message);
  }
}

const stock = new Map<string, number>([['book', 10], ['pen', 100]]);

export const routes: RouteTable = {
  'GET /health': () => ({ status: 'ok' }),
  'GET /stock/{item}': (request) => {
    const count = stock.get(request.params.item);
    if (count === undefined) throw new HttpError(404, `Unknown item ${request.params.item}`);
    return { item: request.params.item, count };
  },
  'POST /stock/{item}': (request) => {
    const body = request.body as { add?: unknown } | undefined;
    if (typeof body?.add !== 'number' || !Number.isInteger(body.add) || body.add < 1) {
      throw new HttpError(400, 'Send {"add": <whole number of items, at least 1>}');
    }
    const count = (stock.get(request.params.item) ?? 0) + body.add;
    stock.set(request.params.item, count);
    request.metrics.addMetric('StockAdded', 'Count', body.add);
    request.logger.info('Stock added', { item: request.params.item, count });
    return request.reply(201, { item: request.params.item, count });
  },
};
