/**
 * What the faster record handlers of the bundled batch and stream templates must keep: the
 * logic's outcome decides the record's, whether it returns, throws, returns a promise or a
 * bare thenable, or rejects; every failed SQS record keeps its own WARN line; after a stream
 * failure the later records are reported without running and without a WARN line of their
 * own; a record whose logic used its logger gets the WARN line through that logger.
 */
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';

fileEnv({
  POWERTOOLS_SERVICE_NAME: 'throughput',
  POWERTOOLS_METRICS_NAMESPACE: 'ThroughputTest',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  BATCH_QUEUE_TYPE: 'STANDARD',
  STREAM_SOURCE_TYPE: 'KINESIS',
});

let batch: any;
let stream: any;
beforeAll(async () => {
  batch = await importTemplate('batch');
  stream = await importTemplate('stream');
});

/** A thenable that is not a Promise: the template must wait for it like `await` would. */
const thenable = (fail: boolean) => ({
  then(resolve: (v: unknown) => void, reject: (e: unknown) => void) {
    setTimeout(() => (fail ? reject(new RangeError('thenable rejected')) : resolve('done')), 1);
  },
});

type Outcome = 'return' | 'throw' | 'resolve' | 'reject' | 'thenable-ok' | 'thenable-fail';
const OUTCOMES: Outcome[] = ['return', 'throw', 'resolve', 'reject', 'thenable-ok', 'thenable-fail'];
const FAILING = new Set<Outcome>(['throw', 'reject', 'thenable-fail']);

function outcomeOf(kind: Outcome): unknown {
  switch (kind) {
    case 'return': return 'done';
    case 'throw': throw new TypeError('thrown synchronously');
    case 'resolve': return Promise.resolve('done');
    case 'reject': return Promise.reject(new SyntaxError('rejected'));
    case 'thenable-ok': return thenable(false);
    case 'thenable-fail': return thenable(true);
  }
}

describe('batch template', () => {
  test('each kind of outcome decides its record; each failed record has its own WARN line with its id', async () => {
    const handler = batch.wrapBatch({ processRecord: (body: { kind: Outcome }) => outcomeOf(body.kind) });
    const records = OUTCOMES.map((kind) => sqsRecord(kind, JSON.stringify({ kind })));
    const { result, lines } = await captureStdout(() => handler({ Records: records }, lambdaContext()));
    expect(failedIds(result)).toEqual(OUTCOMES.filter((k) => FAILING.has(k)));
    const warned = lines.filter((l) => l.level === 'WARN' && l.message === 'record failed; it returns to the queue');
    expect(warned.map((l) => l.message_id).sort()).toEqual([...FAILING].sort());
    expect(warned.find((l) => l.message_id === 'thenable-fail').error).toMatchObject({ name: 'RangeError', message: 'thenable rejected' });
  });

  test('with 50 % failing, every failed record has a WARN line and the stack is logged once per error name', async () => {
    const handler = batch.wrapBatch({
      processRecord: (body: { n: number }) => {
        // A name no other test of this file throws: a stack stands for its name for a minute.
        if (body.n % 2 === 0) throw Object.assign(new Error(`fail ${body.n}`), { name: 'HalfFailingError' });
      },
    });
    const records = Array.from({ length: 20 }, (_, n) => sqsRecord(`m-${n}`, JSON.stringify({ n })));
    const { result, lines } = await captureStdout(() => handler({ Records: records }, lambdaContext()));
    const failedExpected = records.filter((_, n) => n % 2 === 0).map((r) => r.messageId);
    expect(failedIds(result)).toEqual(failedExpected);
    const warned = lines.filter((l) => l.level === 'WARN');
    expect(warned.map((l) => l.message_id).sort()).toEqual([...failedExpected].sort());
    expect(warned.filter((l) => typeof l.error.stack === 'string')).toHaveLength(1);
    expect(warned.filter((l) => l.error.stack_logged_above === true)).toHaveLength(failedExpected.length - 1);
  });
});

const seq = (n: number) => `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;
const SHARD = 'shardId-000000000007';
function kinesisRecord(n: number, data: unknown) {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: `pk-${n}`,
      sequenceNumber: seq(n),
      data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1607497475,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${SHARD}:${seq(n)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
  };
}

describe('stream template', () => {
  test.each(OUTCOMES)('a record whose logic ends with "%s" decides the batch from there', async (kind) => {
    const ran: number[] = [];
    const handler = stream.wrapStream({
      processRecord: (payload: { n: number }) => {
        ran.push(payload.n);
        return payload.n === 2 ? outcomeOf(kind) : undefined;
      },
    });
    const records = [1, 2, 3, 4].map((n) => kinesisRecord(n, { n }));
    const { result, lines } = await captureStdout(() => handler({ Records: records }, lambdaContext()));
    const failing = FAILING.has(kind);
    expect(failedIds(result)).toEqual(failing ? [seq(2), seq(3), seq(4)] : []);
    expect(ran).toEqual(failing ? [1, 2] : [1, 2, 3, 4]);
    expect(lines.filter((l) => l.level === 'WARN')).toHaveLength(failing ? 1 : 0);
  });

  test("the failed record's WARN line carries its keys, without and with the logic's own logger", async () => {
    for (const useLogger of [false, true]) {
      const handler = stream.wrapStream({
        processRecord: (payload: { n: number; correlationId: string }, context: any) => {
          if (useLogger) context.logger.info('working');
          // A name of its own per round: a logged stack stands for its name for a minute.
          if (payload.n === 2) throw Object.assign(new Error('boom'), { name: `KeysError${useLogger ? 'WithLogger' : ''}` });
        },
      });
      const records = [1, 2, 3].map((n) => kinesisRecord(n, { n, correlationId: `corr-${n}` }));
      const { result, lines } = await captureStdout(() => handler({ Records: records }, lambdaContext()));
      expect(failedIds(result)).toEqual([seq(2), seq(3)]);
      const warnings = lines.filter((l) => l.level === 'WARN');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        message: 'record failed; Lambda retries the shard from this record',
        sequence_number: seq(2),
        event_id: `${SHARD}:${seq(2)}`,
        shard_id: SHARD,
        partition_key: 'pk-2',
        correlation_id: 'corr-2',
        error: { name: useLogger ? 'KeysErrorWithLogger' : 'KeysError', message: 'boom', stack: expect.stringContaining('boom') },
      });
      expect(lines.filter((l) => l.message === 'working')).toHaveLength(useLogger ? 2 : 0);
    }
  });
});

/** Logic that waits for `release()` on a `wait` record and throws on a `fail` one. */
function gatedLogic() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const processRecord = async (body: { wait?: boolean; fail?: boolean }) => {
    if (body.wait) await gate;
    if (body.fail) throw new Error('gated failure');
  };
  return { processRecord, release: () => release() };
}

describe('processors reused between invocations', () => {
  test('overlapping batch invocations of one handler keep their own failures; the next one starts clean', async () => {
    const { processRecord, release } = gatedLogic();
    const handler = batch.wrapBatch({ processRecord });
    const event = (prefix: string, records: object[]) => ({ Records: records.map((b, i) => sqsRecord(`${prefix}-${i}`, JSON.stringify(b))) });
    const { result } = await captureStdout(async () => {
      const first = handler(event('a', [{ id: 'a0', wait: true, fail: true }, { id: 'a1' }]), lambdaContext());
      const second = await handler(event('b', [{ id: 'b0' }, { id: 'b1', fail: true }]), lambdaContext());
      release();
      const third = await handler(event('c', [{ id: 'c0' }]), lambdaContext());
      return { first: await first, second, third };
    });
    expect(failedIds(result.first)).toEqual(['a-0']);
    expect(failedIds(result.second)).toEqual(['b-1']);
    expect(failedIds(result.third)).toEqual([]);
  });

  test('overlapping stream invocations of one handler keep their own failures', async () => {
    const { processRecord, release } = gatedLogic();
    const handler = stream.wrapStream({ processRecord });
    const { result } = await captureStdout(async () => {
      const first = handler({ Records: [kinesisRecord(1, { n: 1, wait: true, fail: true }), kinesisRecord(2, { n: 2 })] }, lambdaContext());
      const second = await handler({ Records: [kinesisRecord(3, { n: 3 }), kinesisRecord(4, { n: 4, fail: true })] }, lambdaContext());
      release();
      const third = await handler({ Records: [kinesisRecord(5, { n: 5 })] }, lambdaContext());
      return { first: await first, second, third };
    });
    expect(failedIds(result.first)).toEqual([seq(1), seq(2)]);
    expect(failedIds(result.second)).toEqual([seq(4)]);
    expect(failedIds(result.third)).toEqual([]);
  });
});
