/**
 * The batch and stream templates write their per-batch counts (RecordsProcessed,
 * RecordsFailed) as one EMF line of their own (src/core/runtime/shared/template-metrics.ts),
 * not through Powertools' metric stores. On the bundled assets: the line is what Powertools'
 * Metrics (the same 2.35 release, from node_modules) serializes for the same counts and
 * environment; the logic's own metrics stay Powertools' lines; nothing the logic sets leaks
 * into the counts or into the next invocation; disabled metrics print nothing.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { sqsRecord } from './batch-support';
import { BATCH_METRICS } from '../../src/batch/contract';
import { STREAM_METRICS } from '../../src/stream/contract';
import { importTemplateCopy, lambdaContext, runWithEnv } from '../support/assets';

const BASE_ENV: Record<string, string | undefined> = {
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'TemplateMetrics',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_DEV: undefined,
  POWERTOOLS_METRICS_DISABLED: undefined,
  BATCH_QUEUE_TYPE: 'STANDARD',
  STREAM_SOURCE_TYPE: 'KINESIS',
};

/** Runs `fn` under `env` (restored after) and returns the EMF lines it printed on stdout. */
async function emfLines(env: Record<string, string | undefined>, fn: () => Promise<unknown>): Promise<any[]> {
  const { written } = await runWithEnv(env, fn);
  return written.filter((w) => w.stream === 'stdout' && w.line._aws).map((w) => w.line);
}

/** What Powertools' Metrics serializes for the counts under `env`, without the timestamp. */
async function powertoolsCounts(env: Record<string, string | undefined>, counts: [string, number][]): Promise<any> {
  let serialized: any;
  await emfLines(env, async () => {
    const metrics = new Metrics();
    for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
    serialized = metrics.serializeMetrics();
  });
  return withoutTimestamp(serialized);
}

function withoutTimestamp(line: any): any {
  expect(typeof line._aws.Timestamp).toBe('number');
  expect(Math.abs(line._aws.Timestamp - Date.now())).toBeLessThan(60_000);
  return { ...line, _aws: { ...line._aws, Timestamp: 0 } };
}

const counted = (lines: any[], name: string) => lines.filter((l) => name in l);
const batch = (n: number, failing: number[] = []) => ({
  Records: Array.from({ length: n }, (_, i) => sqsRecord(`m-${i}`, JSON.stringify({ fail: failing.includes(i) }))),
});
const failOnFlag = (body: { fail: boolean }) => {
  if (body.fail) throw new Error('fail');
};

describe('SqsBatchConsumer per-batch counts', () => {
  test.each([
    ['the construct sets namespace and service', {}],
    ['neither is set (Powertools defaults)', { POWERTOOLS_SERVICE_NAME: undefined, POWERTOOLS_METRICS_NAMESPACE: undefined }],
  ])('are the EMF line Powertools writes for them, when %s', async (_, extra) => {
    const env = { ...BASE_ENV, ...extra };
    const lines = await emfLines(env, async () => {
      const template = await importTemplateCopy('batch');
      await template.wrapBatch({ processRecord: failOnFlag })(batch(5, [1, 3]), lambdaContext());
    });
    const ours = counted(lines, BATCH_METRICS.processed);
    expect(ours).toHaveLength(1);
    const expected = await powertoolsCounts(env, [
      [BATCH_METRICS.processed, 3],
      [BATCH_METRICS.failed, 2],
    ]);
    // Same keys in the same order, same values.
    expect(JSON.stringify(withoutTimestamp(ours[0]))).toBe(JSON.stringify(expected));
  });

  test("keep the logic's metrics on Powertools' own line, and out of the counts' dimensions", async () => {
    const logic = {
      processRecord: (_body: unknown, context: { metrics: Metrics }) => {
        context.metrics.addDimension('tenant', 't-1');
        context.metrics.addMetadata('order', 'o-1');
        context.metrics.addMetric('OrdersSeen', MetricUnit.Count, 1);
      },
    };
    const lines = await emfLines(BASE_ENV, async () => {
      const template = await importTemplateCopy('batch');
      await template.wrapBatch(logic)(batch(2), lambdaContext());
    });
    const [counts] = counted(lines, BATCH_METRICS.processed);
    expect(counts._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(counts).not.toHaveProperty('tenant');
    expect(counts).not.toHaveProperty('order');
    const [own] = counted(lines, 'OrdersSeen');
    expect(own).toMatchObject({ service: 'orders', tenant: 't-1', order: 'o-1', OrdersSeen: [1, 1] });
    expect(own._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'tenant']]);
    expect(own).not.toHaveProperty(BATCH_METRICS.processed);
  });

  test('drop dimensions and metadata the logic set without a metric, as Powertools would at publish', async () => {
    let invocation = 0;
    const logic = {
      processRecord: (_body: unknown, context: { metrics: Metrics }) => {
        if (invocation === 0) {
          context.metrics.addDimension('tenant', 't-1');
          context.metrics.addMetadata('order', 'o-1');
        } else {
          context.metrics.addMetric('OrdersSeen', MetricUnit.Count, 1);
        }
      },
    };
    const lines = await emfLines(BASE_ENV, async () => {
      const template = await importTemplateCopy('batch');
      const handler = template.wrapBatch(logic);
      await handler(batch(1), lambdaContext());
      invocation = 1;
      await handler(batch(1), lambdaContext());
    });
    const [own] = counted(lines, 'OrdersSeen');
    expect(own).not.toHaveProperty('tenant');
    expect(own).not.toHaveProperty('order');
    expect(own._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(counted(lines, BATCH_METRICS.processed)).toHaveLength(2);
  });

  test.each([
    ['POWERTOOLS_METRICS_DISABLED=true', { POWERTOOLS_METRICS_DISABLED: 'true' }],
    ['dev mode', { POWERTOOLS_DEV: 'true' }],
  ])('print nothing, like the logic metrics, with %s', async (_, extra) => {
    const logic = {
      processRecord: (_body: unknown, context: { metrics: Metrics }) => context.metrics.addMetric('OrdersSeen', MetricUnit.Count, 1),
    };
    const lines = await emfLines({ ...BASE_ENV, ...extra }, async () => {
      const template = await importTemplateCopy('batch');
      await template.wrapBatch(logic)(batch(2, [0]), lambdaContext());
    });
    expect(lines).toEqual([]);
  });
});

describe('StreamBatchConsumer per-batch counts', () => {
  test('are the EMF line Powertools writes for them', async () => {
    const record = (n: number) => ({
      kinesis: { partitionKey: 'pk', sequenceNumber: String(1000 + n), data: Buffer.from(JSON.stringify({ n })).toString('base64'), kinesisSchemaVersion: '1.0', approximateArrivalTimestamp: 1 },
      eventSource: 'aws:kinesis',
      eventID: `shardId-000000000001:${1000 + n}`,
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      awsRegion: 'us-east-1',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/r',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
    });
    const lines = await emfLines(BASE_ENV, async () => {
      const template = await importTemplateCopy('stream');
      const logic = {
        processRecord: (payload: { n: number }) => {
          if (payload.n === 3) throw new Error('poison');
        },
      };
      await template.wrapStream(logic)({ Records: [1, 2, 3, 4].map(record) }, lambdaContext());
    });
    const ours = counted(lines, STREAM_METRICS.processed);
    expect(ours).toHaveLength(1);
    const expected = await powertoolsCounts(BASE_ENV, [
      [STREAM_METRICS.processed, 2],
      [STREAM_METRICS.failed, 2],
    ]);
    expect(JSON.stringify(withoutTimestamp(ours[0]))).toBe(JSON.stringify(expected));
  });
});
