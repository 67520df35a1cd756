/**
 * What keeps a warm function's memory flat, checked on the bundled assets (bench/ measures
 * the memory itself; BENCHMARKS.md, "Memory"):
 * - the context the logic gets has one hidden class across invocations (a copy made with
 *   Object.create(context) got one per invocation, allocated in the old generation);
 * - the per-record child loggers of the batch and stream templates share their parent's
 *   console (Powertools made a Console per logger, whose trace patch kept each child alive).
 *
 * The hidden-class check needs V8's %HaveSameMap, so it runs in a node child started with
 * --allow-natives-syntax; the child also checks that the probe tells two classes apart.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sqsRecord } from './batch-support';
import { kinesisEvent } from '../../bench/lib/stream-throughput';
import { assetPath, importTemplate, lambdaContext } from '../support/assets';
import { tempDir } from '../support/temp';

const CONTEXT_PROBE = `
import { writeFileSync } from 'node:fs';
import { wrapFunction } from ${JSON.stringify(assetPath('function'))};
const contexts = [];
const handler = wrapFunction({ handle: (_event, context) => void contexts.push(context) });
const lambdaContext = (i) => ({
  callbackWaitsForEmptyEventLoop: true, functionName: 'fn', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn', memoryLimitInMB: '256',
  awsRequestId: 'req-' + i, logGroupName: '/aws/lambda/fn', logStreamName: 's',
  getRemainingTimeInMillis: () => 1000,
});
for (let i = 0; i < 3; i++) await handler({}, lambdaContext(i));
const asPrototype = [0, 1].map((i) => Object.assign(Object.create(lambdaContext(i)), lambdaContext(i)));
writeFileSync(process.argv[2], JSON.stringify({
  copies: contexts.length,
  sameShape: %HaveSameMap(contexts[0], contexts[1]) && %HaveSameMap(contexts[1], contexts[2]),
  probeTellsApart: !%HaveSameMap(asPrototype[0], asPrototype[1]),
}));
`;

test('the context copy the logic gets has one hidden class across invocations', () => {
  const dir = tempDir('context-shape-');
  const script = path.join(dir, 'probe.mjs');
  const reportFile = path.join(dir, 'report.json');
  fs.writeFileSync(script, CONTEXT_PROBE);
  const env = { PATH: process.env.PATH!, AWS_REGION: 'us-east-1', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' };
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', script, reportFile], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the probe failed (${run.status}): ${run.stderr}`);
  expect(JSON.parse(fs.readFileSync(reportFile, 'utf8'))).toEqual({ copies: 3, sameShape: true, probeTellsApart: true });
});

describe.each([
  ['batch', () => ({ Records: [sqsRecord('a', JSON.stringify({ n: 1 })), sqsRecord('b', JSON.stringify({ n: 2 }))] })],
  ['stream', () => kinesisEvent(2)],
])('%s template: record loggers', (template, event) => {
  test('share one console, across records and invocations', async () => {
    process.env.BATCH_QUEUE_TYPE = 'STANDARD';
    process.env.STREAM_SOURCE_TYPE = 'KINESIS';
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const t = await importTemplate(template);
    const loggers: any[] = [];
    const logic = { processRecord: (_body: unknown, context: any) => void loggers.push(context.logger) };
    const handler = template === 'batch' ? t.wrapBatch(logic) : t.wrapStream(logic);
    for (let i = 0; i < 2; i++) {
      const response = await handler(event(), lambdaContext());
      expect(response.batchItemFailures).toEqual([]);
    }
    expect(loggers).toHaveLength(4);
    expect(new Set(loggers).size).toBe(4);
    const consoles = new Set(loggers.map((logger) => logger.console));
    expect(consoles.size).toBe(1);
    expect([...consoles][0]).toBeDefined();
    jest.restoreAllMocks();
  });
});
