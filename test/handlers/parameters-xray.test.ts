/**
 * With active tracing, the bundled template's parameter reads appear in X-Ray as the SDK
 * clients' did under captureAWSv3Client: an `aws` subsegment per request, named SSM and
 * SecretsManager, inside the invocation's `## index.handler`, and none for a cached value.
 * The X-Ray SDK inside the asset sends its documents over UDP to a fake daemon
 * (test/support/xray-daemon.ts). SSM and Secrets Manager have no local server: the lean
 * clients call a local HTTP stand-in for both (bench/lib/local-parameters-server.ts).
 */
import { LocalParametersServer, startLocalParametersServer } from '../../bench/lib/local-parameters-server';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { LOCAL_AWS_ENV } from '../support/dynalite';
import { FakeXRayDaemon, lambdaTracingEnv, startFakeXRayDaemon, XRayDocument } from '../support/xray-daemon';

const TRACE_ROOT = '1-5759e988-bd862e3fe1be46a994272794';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf';

const env = fileEnv({
  ...LOCAL_AWS_ENV,
  AWS_LAMBDA_FUNCTION_NAME: 'traced-params',
  POWERTOOLS_SERVICE_NAME: 'params',
  POWERTOOLS_METRICS_NAMESPACE: 'ParametersXRay',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  PARAMETERS_SSM_NAMES: JSON.stringify({ dbUrl: '/shop/db-url' }),
  PARAMETERS_SECRET_IDS: JSON.stringify({ stripe: SECRET_ARN }),
  POWERTOOLS_PARAMETERS_MAX_AGE: '300',
});

let daemon: FakeXRayDaemon;
let stores: LocalParametersServer;
let t: any;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon();
  stores = await startLocalParametersServer({ ssm: { '/shop/db-url': 'postgres://db' }, secrets: { [SECRET_ARN]: 'sk_live_1' } });
  env.set({ ...lambdaTracingEnv(daemon, TRACE_ROOT), ...stores.endpointEnv });
  t = await importTemplate('function');
});

afterAll(async () => {
  await daemon?.stop();
  await stores?.stop();
});

const awsCalls = (docs: XRayDocument[]) => docs.filter((d) => d.namespace === 'aws' && (d.name === 'SSM' || d.name === 'SecretsManager'));

// The trace header each request carries is checked in parameters-lean-client.test.ts (where the client hands it to node:http):
// on the wire, another asset's X-Ray SDK from an earlier file in this jest worker may have patched node:http and rewritten it.
test('each read is an aws subsegment (SSM, SecretsManager) under ## index.handler; a cached read adds none', async () => {
  const handler = t.wrapFunction({ handle: async (_e: unknown, context: any) => [await context.parameters.get('dbUrl'), await context.parameters.secret('stripe')] });
  daemon.clear();
  expect(await handler({}, lambdaContext())).toEqual(['postgres://db', 'sk_live_1']);
  const docs = await daemon.waitFor((all) => awsCalls(all).length >= 2 && all.some((d) => d.name === '## index.handler'));
  const calls = awsCalls(docs);
  expect(calls.map((d) => [d.name, (d.aws as any)?.operation, (d.aws as any)?.region, (d.http as any)?.response?.status])).toEqual([
    ['SSM', 'GetParameter', 'us-east-1', 200],
    ['SecretsManager', 'GetSecretValue', 'us-east-1', 200],
  ]);
  const invocation = docs.find((d) => d.name === '## index.handler')!;
  // Sent inside the invocation's document, or streamed on their own naming it as parent.
  const within = (doc: XRayDocument) => doc.parent_id === invocation.id || (invocation.subsegments ?? []).some((s) => s.id === doc.id);
  expect(calls.every(within)).toBe(true);
  // One subsegment per read: the X-Ray SDK's node:http patch adds no http subsegment of its own,
  // and each request's trace header names our subsegment as its parent.
  expect(docs.filter((d) => d.name === '127.0.0.1').length).toBe(0);
  for (const request of stores.received) {
    expect(String(request.headers['x-amzn-trace-id'])).toMatch(new RegExp(`^Root=${TRACE_ROOT};Parent=(${calls.map((c) => c.id).join('|')});Sampled=1`));
  }

  // Cached for POWERTOOLS_PARAMETERS_MAX_AGE: no request, so no subsegment.
  daemon.clear();
  const requests = stores.received.length;
  expect(await handler({}, lambdaContext())).toEqual(['postgres://db', 'sk_live_1']);
  const again = await daemon.waitFor((all) => all.some((d) => d.name === '## index.handler'));
  expect(awsCalls(again)).toEqual([]);
  expect(stores.received.length).toBe(requests);
});
