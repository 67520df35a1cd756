/**
 * The lean DynamoDB client under Powertools Tracer's `captureHTTPsRequests` (on by default),
 * in the bundled idempotent asset. That option makes the X-Ray SDK patch node:http(s)
 * (`request`/`get` replaced, the originals kept as `__request`/`__get`), so every request
 * through node:http would become a `remote` subsegment of its own and carry that subsegment's
 * id as the trace header's Parent. X-Ray builds the DynamoDB node of the service map from our
 * `aws` subsegment, so a DynamoDB call must be that one subsegment, with its id on the wire;
 * the user's own HTTP calls must still be traced by the patch.
 *
 * The X-Ray SDK in the asset sends its documents to a fake daemon (test/support/xray-daemon.ts);
 * DynamoDB is a local HTTP server that records each request's headers and answers as DynamoDB
 * does for an accepted PutItem and UpdateItem (dynalite is not needed: the items are not read).
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { captureStdout } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { FakeXRayDaemon, lambdaTracingEnv, startFakeXRayDaemon, XRayDocument } from '../support/xray-daemon';

const TRACE_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const LINEAGE = 'Lineage=a87bd80c:0';

const env = fileEnv({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_LAMBDA_FUNCTION_NAME: 'lean-traced',
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'LeanClientTracing',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  IDEMPOTENCY_TABLE_NAME: 'orders-idempotency',
  IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId',
});

interface WireRequest {
  readonly path: string;
  readonly target?: string;
  readonly traceHeader?: string;
}

let daemon: FakeXRayDaemon;
let server: http.Server;
let baseUrl: string;
const wire: WireRequest[] = [];
let handler: (event: unknown, context: unknown) => Promise<unknown>;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon();
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = request.headers['x-amz-target'] as string | undefined;
      wire.push({ path: request.url ?? '', target, traceHeader: request.headers['x-amzn-trace-id'] as string | undefined });
      response.writeHead(200, { 'content-type': target ? 'application/x-amz-json-1.0' : 'text/plain', 'x-amzn-requestid': `REQ${wire.length}` });
      response.end(target ? '{}' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tracingEnv = lambdaTracingEnv(daemon, TRACE_ROOT);
  // Lambda's header may carry more than Root, Parent and Sampled (its recursion-loop Lineage).
  env.set({ ...tracingEnv, _X_AMZN_TRACE_ID: `${tracingEnv._X_AMZN_TRACE_ID};${LINEAGE}`, AWS_ENDPOINT_URL_DYNAMODB: baseUrl });
  unpatchHttp();
  const template = await importTemplate('idempotent');
  handler = template.wrapIdempotent({
    // The user's own call, through node:http as it is at call time (patched by the tracer).
    processEvent: async (order: { orderId: string }) => {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`${baseUrl}/user-call`, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      return { accepted: order.orderId, downstream: body };
    },
  });
});

afterAll(async () => {
  await daemon?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

/**
 * node:http as a fresh execution environment has it. A test file that ran earlier in this jest
 * worker may have left it patched by its own copy of the X-Ray SDK (one per asset), which
 * traces nothing of this file's invocations and stops this asset's tracer from patching.
 */
function unpatchHttp(): void {
  const real = process.getBuiltinModule('node:http') as Record<string, unknown>;
  if (typeof real.__request !== 'function') return;
  real.request = real.__request;
  real.get = real.__get;
  delete real.__request;
  delete real.__get;
}

/** A document's children, whether nested in it or streamed on their own with its id as parent. */
const urlOf = (doc: XRayDocument) => (doc.http as { request?: { method?: string; url?: string } } | undefined)?.request?.url;
const childrenOf = (doc: XRayDocument, docs: XRayDocument[]) => [...(doc.subsegments ?? []), ...docs.filter((d) => d.parent_id === doc.id)];

test('with the X-Ray SDK patch of node:http applied, each lean-client call is one aws subsegment and the header on the wire names it as Parent', async () => {
  const { result } = await captureStdout(() => handler({ orderId: 'o-1' }, lambdaContext()));
  expect(result).toEqual({ accepted: 'o-1', downstream: 'ok' });
  // The tracer loaded and patched node:http in place (the module object itself, not this file's import binding).
  expect(typeof (process.getBuiltinModule('node:http') as { __request?: unknown }).__request).toBe('function');

  const docs = await daemon.waitFor((d) => d.some((x) => x.name === '## index.handler'));
  const handlerSegment = docs.find((d) => d.name === '## index.handler')!;
  const calls = docs.filter((d) => d.name === 'DynamoDB');
  expect(calls.map((d) => (d.aws as { operation?: string }).operation).sort()).toEqual(['PutItem', 'UpdateItem']);
  for (const call of calls) {
    expect(call.namespace).toBe('aws');
    expect(call.parent_id ?? handlerSegment.id).toBe(handlerSegment.id);
    expect(childrenOf(call, docs)).toEqual([]);
  }
  // No `remote` subsegment for a DynamoDB request, beside ours or under it: the only one is the user's call.
  expect(docs.filter((d) => d.namespace === 'remote').map((d) => `${urlOf(d)}`)).toEqual(['http://127.0.0.1/user-call']);

  const dynamoRequests = wire.filter((r) => r.target);
  expect(dynamoRequests.map((r) => r.target).sort()).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.UpdateItem']);
  for (const request of dynamoRequests) {
    const call = calls.find((d) => `DynamoDB_20120810.${(d.aws as { operation: string }).operation}` === request.target)!;
    // The SDK integration's header: ours as Parent, then the root segment's additional trace data.
    expect(request.traceHeader).toBe(`Root=${TRACE_ROOT};Parent=${call.id};Sampled=1;${LINEAGE}`);
  }
});

test("the user's own HTTP call is still traced: a remote subsegment under the handler's, with its id on the wire", async () => {
  daemon.clear();
  wire.length = 0;
  await captureStdout(() => handler({ orderId: 'o-2' }, lambdaContext()));
  const docs = await daemon.waitFor((d) => d.some((x) => x.name === '## index.handler'));
  const handlerSegment = docs.find((d) => d.name === '## index.handler')!;
  const remote = docs.filter((d) => d.namespace === 'remote');
  expect(remote).toHaveLength(1);
  expect(remote[0].name).toBe('127.0.0.1');
  expect(urlOf(remote[0])).toBe('http://127.0.0.1/user-call');
  expect(childrenOf(handlerSegment, docs).map((d) => d.id)).toContain(remote[0].id);
  const userRequest = wire.find((r) => r.path === '/user-call')!;
  expect(userRequest.traceHeader).toBe(`Root=${TRACE_ROOT};Parent=${remote[0].id};Sampled=1`);
});
