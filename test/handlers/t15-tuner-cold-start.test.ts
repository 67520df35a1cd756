/**
 * The tuner's functions emit the ColdStart EMF metric like every other template: once per
 * execution environment, on its first invocation (failed or not), with the function_name
 * dimension, under the POWERTOOLS_* namespace and service the construct sets. Runs the
 * bundled asset (assets/tuner). The AWS SDK clients inside it are replaced with
 * aws-sdk-client-mock (every call rejects), so nothing leaves this process.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { captureStdout } from './batch-support';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';
import { DEFAULT_TUNING_CONFIG } from '../../src/power-tuning/contract/tuning-input';
import { fileEnv, importTemplate, importTemplateCopy, lambdaContext } from '../support/assets';

// Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE; Powertools counts a cold start only for `on-demand` (not provisioned concurrency).
fileEnv({
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  POWERTOOLS_SERVICE_NAME: 'orders-tuner',
  POWERTOOLS_METRICS_NAMESPACE: 'Shop',
  TUNED_FUNCTION_NAME: 'shop-Fn',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});

const HANDLERS = ['initializer', 'publisher', 'executor', 'cleaner', 'analyzer', 'starter'] as const;

const coldStartLines = (lines: any[]) => lines.filter((l) => l._aws && 'ColdStart' in l);

let sdkMocks: ReturnType<typeof mockClient>[] = [];
beforeAll(async () => {
  const { sdk } = await importTemplate('tuner');
  // Class-level mocks cover every client of every copy (the copies share the SDK chunks).
  sdkMocks = [sdk.LambdaClient, sdk.SFNClient, sdk.SSMClient].map((client) => mockClient(client));
  for (const mock of sdkMocks) mock.onAnyCommand().rejects(new Error('no AWS here'));
});
afterAll(() => sdkMocks.forEach((mock) => mock.restore()));

test.each(HANDLERS)('%s: the first invocation of an execution environment emits ColdStart = 1 with its function name', async (name) => {
  const tuner = await importTemplateCopy('tuner');
  const context = lambdaContext({ functionName: `shop-tuner-${name}` });
  // The events are incomplete on purpose: a failed first invocation still counts its cold start.
  const first = await captureStdout(() => tuner[name]({}, context).catch((error: Error) => error));
  expect(coldStartLines(first.lines)).toEqual([
    expect.objectContaining({
      ColdStart: 1,
      function_name: `shop-tuner-${name}`,
      service: 'orders-tuner',
      _aws: expect.objectContaining({
        CloudWatchMetrics: [expect.objectContaining({ Namespace: 'Shop', Metrics: [expect.objectContaining({ Name: 'ColdStart', Unit: 'Count' })] })],
      }),
    }),
  ]);
  const second = await captureStdout(() => tuner[name]({}, context).catch((error: Error) => error));
  expect(coldStartLines(second.lines)).toEqual([]);
});

test('a successful analyzer run counts its cold start once, and its result is unchanged', async () => {
  const tuner = await importTemplateCopy('tuner');
  const prices = lambdaPrices('eu-west-1', 'arm64', true);
  const measured = (powerMb: number, ms: number) => ({
    status: 'measured', powerMb, invocations: 10, coldStarts: 0, ...costFigures(prices, powerMb, Array(10).fill(ms), Array(10).fill(ms), 0.2),
  });
  const event = {
    plan: {
      config: { ...DEFAULT_TUNING_CONFIG, strategy: 'speed' },
      function: { name: 'shop-Fn', region: 'eu-west-1', architecture: 'arm64', timeoutMs: 10_000, originalMemoryMb: 256 },
      targets: [],
    },
    results: [measured(512, 50), measured(256, 90)],
  };
  const context = lambdaContext({ functionName: 'shop-tuner-analyzer' });
  const first = await captureStdout<any>(() => tuner.analyzer(event, context));
  expect(first.result.recommendation).toMatchObject({ powerMb: 512 });
  expect(coldStartLines(first.lines)).toEqual([expect.objectContaining({ ColdStart: 1, function_name: 'shop-tuner-analyzer' })]);
  const second = await captureStdout<any>(() => tuner.analyzer(event, context));
  expect(second.result.recommendation).toMatchObject({ powerMb: 512 });
  expect(coldStartLines(second.lines)).toEqual([]);
});
