/**
 * Scenario 3: the example app's `OrdersApi` ObservableApi (REST API, the bundled router
 * template with its demo routes) answers API Gateway proxy events: success, a client error
 * and an unknown resource. Every log line must carry the request's correlation id.
 */
import { apiGatewayChecks, GatewayFacts } from './api-gateway-checks';
import { digest, short } from './format';
import { LogTap } from './log-tap';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate, setEnv } from './templates';
import { restEvent } from '../../test/handlers/api-events';

export interface ApiFacts {
  readonly statuses: number[];
  readonly correlationIds: string[];
  readonly logLines: number;
  /** The production APIs: one request rejected by validation, one without a JWT. */
  readonly gateway: GatewayFacts;
}

interface Call {
  readonly method: string;
  readonly path: string | ((previous: any[]) => string);
  readonly body?: string;
  readonly expect: number;
}

const FUNCTION_NAME = 'ServerlessPowertoolsExample-OrdersApi';

const CALLS: Call[] = [
  { method: 'GET', path: '/health', expect: 200 },
  { method: 'POST', path: '/orders', body: '{"item":"book","quantity":2}', expect: 201 },
  // Reads back the order the previous call created.
  { method: 'GET', path: (previous) => `/orders/${JSON.parse(previous[1].body).id}`, expect: 200 },
  { method: 'POST', path: '/orders', body: '{"item":"book","quantity":0}', expect: 400 },
  { method: 'POST', path: '/orders', body: '{"item":', expect: 400 },
  { method: 'GET', path: '/orders/ord-does-not-exist', expect: 404 },
];

export async function apiRequests(ctx: ScenarioContext): Promise<ApiFacts> {
  const { log, check } = ctx;
  const restoreEnv = setEnv({ POWERTOOLS_SERVICE_NAME: 'OrdersApi', AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME });
  const tap = new LogTap();
  try {
    const template = await loadTemplate(ctx.assetsDir, 'api');
    const results: any[] = [];
    const requestIds: string[] = [];
    for (const [i, call] of CALLS.entries()) {
      const path = typeof call.path === 'function' ? call.path(results) : call.path;
      // API Gateway's request id: the template makes it every log line's correlation_id.
      const requestId = `c0ffee00-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      requestIds.push(requestId);
      const event = restEvent({ method: call.method, path, body: call.body, requestId, headers: call.body ? { 'Content-Type': 'application/json' } : {} });
      const result = await tap.around<any>(() => template.handler(event, lambdaContext(FUNCTION_NAME, `lambda-req-${i + 1}`)));
      results.push(result);
      const request = `${call.method.padEnd(4)} ${path}${call.body ? ` ${call.body}` : ''}`;
      log(`  ${request.padEnd(58)} → ${result.statusCode} ${short(result.body ?? '', 60)}`);
    }

    const statuses = results.map((r) => r.statusCode);
    const expected = CALLS.map((c) => c.expect);
    check('the statuses are 200 (found), 400 (bad input) and 404 (unknown order) as expected', statuses.join() === expected.join(), statuses.join(', '));

    const errorsCarryRequestId = results.every((r, i) => {
      if (r.statusCode < 400) return true;
      const body = JSON.parse(r.body);
      return body.statusCode === r.statusCode && typeof body.message === 'string' && body.requestId === requestIds[i];
    });
    check('error responses are JSON with a message and the request id to quote', errorsCarryRequestId);

    const logs = tap.logs;
    const handled = requestIds.filter((id, i) =>
      logs.some((l) => l.message === 'Request handled' && l.correlation_id === id && l.statusCode === expected[i]),
    );
    const uncorrelated = logs.filter((l) => !requestIds.includes(l.correlation_id));
    check(
      'every request logged a JSON line with its correlation_id, and no line lacks one',
      handled.length === CALLS.length && uncorrelated.length === 0,
      `${handled.length}/${CALLS.length} requests, ${logs.length} log lines`,
    );

    const created = logs.find((l) => l.message === 'Order created');
    const notFound = logs.find((l) => l.message === 'Request handled' && l.statusCode === 404);
    log(`  ${logs.length} JSON log lines captured; two of them:`);
    const keys = ['level', 'message', 'correlation_id', 'orderId', 'method', 'path', 'statusCode', 'durationMs'];
    if (created) log(digest(created, keys).join('\n'));
    if (notFound) log(digest(notFound, keys).join('\n'));
    tap.stop();
    const gateway = await apiGatewayChecks(ctx, FUNCTION_NAME);
    return { statuses, correlationIds: requestIds, logLines: logs.length, gateway };
  } finally {
    tap.stop();
    restoreEnv();
  }
}
