import type { RouteTable } from 'cdk-serverless-powertools/lib/entry-types';

export const routes: RouteTable = {
  // params, not param; reply's status code is a number.
  'GET /orders/{id}': (request) => request.reply('200', request.param.id),
};
