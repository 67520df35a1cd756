/**
 * The batch and stream templates print their per-record failure lines (and, with them, the
 * first error's stack) from Powertools' attributes formatted once per invocation, not
 * through Logger.warn per line (bench/: ~15 µs a line). These tests run the bundled assets
 * and hold every line to the one Powertools' own Logger (the same 2.35 release, from
 * node_modules) prints for the same environment, context and fields: same keys in the same
 * order, same values, same stream (stderr), timestamps in the same format.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { sqsRecord } from './batch-support';
import { importTemplateCopy, lambdaContext, runWithEnv as run } from '../support/assets';

const BATCH_MESSAGE = 'record failed; it returns to the queue';
const STREAM_MESSAGE = 'record failed; Lambda retries the shard from this record';
const TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1';
const BASE_ENV = {
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_METRICS_NAMESPACE: 'LogLines',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
  _X_AMZN_TRACE_ID: TRACE_ID,
  BATCH_QUEUE_TYPE: 'STANDARD',
  STREAM_SOURCE_TYPE: 'KINESIS',
};

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ISO_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

/** A line with its timestamp checked against `format` and taken out, so the rest compares exactly. */
function withoutTimestamp(line: any, format: RegExp): any {
  expect(line.timestamp).toMatch(format);
  const { timestamp, ...rest } = line;
  return rest;
}

/** Errors the logic throws, by message id: plain, typed, with own keys, with a cause, a non-Error. */
function failingLogic() {
  const thrown = new Map<string, unknown>();
  const make: Record<string, () => unknown> = {
    plain: () => new Error('boom'),
    typed: () => new TypeError('cannot read orderId'),
    coded: () => Object.assign(new Error('throttled'), { code: 'Throttling', retryable: true, statusCode: 429 }),
    caused: () => new Error('save failed', { cause: new RangeError('too big') }),
    plain2: () => new Error('boom again'),
    text: () => 'a string, not an Error',
  };
  return {
    thrown,
    processRecord: (_body: unknown, context: { messageId: string }) => {
      const kind = context.messageId.replace(/(-bare)?-\d+$/, '');
      if (!make[kind]) return;
      const error = make[kind]();
      thrown.set(context.messageId, error);
      throw error;
    },
  };
}

/** Records with a correlation id, except `bare-` ones: no correlation id and an empty receive count (Powertools drops both). */
function batchOf(ids: string[]) {
  const Records = ids.map((id) => {
    if (!id.includes('bare')) return sqsRecord(id, JSON.stringify({ id }), { attributes: { correlationId: `c-${id}` } });
    const record = sqsRecord(id, JSON.stringify({ id }));
    (record.attributes as any).ApproximateReceiveCount = '';
    return record;
  });
  return { Records };
}
const IDS = ['ok-1', 'plain-1', 'typed-1', 'ok-2', 'plain-bare-1', 'coded-1', 'caused-1', 'plain2-1', 'text-1', 'typed-2'];

/**
 * Prints, through Powertools' Logger, the lines for the same failures in the same order, with
 * the template's rule: the stack with the first error of each name, a summary after.
 * `wrapped` stands for the NonErrorThrown the template made of a thrown non-Error.
 */
function printPowertoolsBatchLines(logger: Logger, ids: string[], thrown: Map<string, unknown>, wrapped: (raw: unknown) => Error): void {
  const named = new Set<string>();
  for (const id of ids) {
    if (!thrown.has(id)) continue;
    const raw = thrown.get(id);
    const error = raw instanceof Error ? raw : wrapped(raw);
    const first = !named.has(error.name);
    named.add(error.name);
    logger.warn(BATCH_MESSAGE, {
      message_id: id,
      correlation_id: id.includes('bare') ? undefined : `c-${id}`,
      receive_count: id.includes('bare') ? '' : '1',
      error: first ? error : { name: error.name, message: error.message, stack_logged_above: true },
    });
  }
}

describe('SqsBatchConsumer failure lines', () => {
  test.each([
    ['UTC', {}, ISO_UTC],
    ['a TZ with an offset', { TZ: 'Asia/Kolkata' }, ISO_OFFSET],
    ['a sampled invocation (DEBUG)', { POWERTOOLS_LOGGER_SAMPLE_RATE: '1' }, ISO_UTC],
    ['no trace id', { _X_AMZN_TRACE_ID: undefined }, ISO_UTC],
  ])('are the lines Powertools prints, with %s', async (_name, extra, format) => {
    const env = { ...BASE_ENV, ...extra };
    const logic = failingLogic();
    const context = lambdaContext({ requestId: 'req-1', functionName: 'orders-fn' });
    const { result, written } = await run(env, async () => {
      const template = await importTemplateCopy('batch');
      return template.wrapBatch(logic)(batchOf(IDS), context);
    });
    const failed = IDS.filter((id) => !id.startsWith('ok'));
    expect((result as any).batchItemFailures.map((f: any) => f.itemIdentifier)).toEqual(failed);

    const ours = written.filter((w) => w.line.message === BATCH_MESSAGE);
    expect(ours.map((w) => w.stream)).toEqual(failed.map(() => 'stderr'));
    // The template wraps the thrown string in a NonErrorThrown with a stack of its own: the
    // stand-in takes that stack and message from our line, so Powertools derives the rest.
    const textError = ours.find((w) => w.line.message_id === 'text-1')!.line.error;
    expect(textError).toMatchObject({ name: 'NonErrorThrown', thrown: 'a string, not an Error' });
    const wrapped = (raw: unknown) =>
      Object.assign(new Error(textError.message), { name: 'NonErrorThrown', thrown: raw, stack: textError.stack as string });

    const { written: printed } = await run(env, async () => {
      const logger = new Logger();
      logger.addContext(context as any);
      printPowertoolsBatchLines(logger, IDS, logic.thrown, wrapped);
    });
    // (A sampled Powertools logger first says so at DEBUG, on stdout.)
    const reference = printed.filter((w) => w.line.message === BATCH_MESSAGE).map((w) => w.line);
    expect(reference).toHaveLength(failed.length);
    expect(ours.map((w) => withoutTimestamp(w.line, format))).toEqual(reference.map((l) => withoutTimestamp(l, format)));
    // Same keys in the same order (toEqual ignores order).
    const asText = (line: any) => JSON.stringify(withoutTimestamp(line, format));
    expect(ours.map((w) => asText(w.line))).toEqual(reference.map(asText));
    // The first of each name carries the stack (formatted by Powertools' formatter); the rest a summary.
    expect(ours.filter((w) => typeof w.line.error.stack === 'string').map((w) => w.line.message_id)).toEqual(['plain-1', 'typed-1', 'text-1']);
    expect(ours.find((w) => w.line.message_id === 'coded-1')!.line.error).toMatchObject({ name: 'Error', stack_logged_above: true });
  });

  test('are not printed at all when the level is above WARN, as with Powertools', async () => {
    const logic = failingLogic();
    const { written } = await run({ ...BASE_ENV, POWERTOOLS_LOG_LEVEL: 'ERROR' }, async () => {
      const template = await importTemplateCopy('batch');
      return template.wrapBatch(logic)(batchOf(IDS), lambdaContext());
    });
    expect(written.filter((w) => w.line.level === 'WARN')).toEqual([]);
    expect(logic.thrown.size).toBe(8);
  });

  test('go through Powertools when buffering holds WARN back, and are printed when the batch fails', async () => {
    const logic = failingLogic();
    const context = lambdaContext({ requestId: 'req-b' });
    const { written } = await run({ ...BASE_ENV, LOG_BUFFER_AT_LEVEL: 'WARN', LOG_BUFFER_MAX_BYTES: '20480' }, async () => {
      const template = await importTemplateCopy('batch');
      return template.wrapBatch(logic)(batchOf(IDS), context);
    });
    const ours = written.filter((w) => w.line.message === BATCH_MESSAGE);
    expect(ours.map((w) => w.line.message_id)).toEqual(IDS.filter((id) => !id.startsWith('ok')));
    expect(ours.every((w) => w.line.function_request_id === 'req-b' && w.line.xray_trace_id === '1-5759e988-bd862e3fe1be46a994272793')).toBe(true);
  });

  test('take values only Powertools prints faithfully through Powertools (an Error nested in a cause)', async () => {
    const inner = Object.assign(new Error('inner'), { detail: 10n });
    const logic = {
      processRecord: () => {
        throw new Error('outer', { cause: { reason: inner } });
      },
    };
    const { written } = await run(BASE_ENV, async () => {
      const template = await importTemplateCopy('batch');
      return template.wrapBatch(logic)(batchOf(['x-1', 'x-2']), lambdaContext());
    });
    const ours = written.filter((w) => w.line.message === BATCH_MESSAGE);
    expect(ours).toHaveLength(2);
    // Powertools' replacer formats the nested Error and prints the BigInt as a string.
    expect(ours[0].line.error.cause.reason).toMatchObject({ name: 'Error', message: 'inner', detail: '10' });
    expect(ours[1].line.error).toEqual({ name: 'Error', message: 'outer', stack_logged_above: true });
  });
});

describe('StreamBatchConsumer failure line', () => {
  const seq = (n: number) => `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;
  const kinesisRecord = (n: number) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: `pk-${n}`,
      sequenceNumber: seq(n),
      data: Buffer.from(JSON.stringify({ n, correlationId: `corr-${n}` }), 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1607497475,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000003:${seq(n)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
  });

  test('is the line Powertools prints, with the stack', async () => {
    const error = Object.assign(new Error('shard poison'), { code: 'E_POISON' });
    const logic = {
      processRecord: (payload: { n: number }) => {
        if (payload.n === 2) throw error;
      },
    };
    const context = lambdaContext({ requestId: 'req-s' });
    const { result, written } = await run(BASE_ENV, async () => {
      const template = await importTemplateCopy('stream');
      return template.wrapStream(logic)({ Records: [1, 2, 3].map(kinesisRecord) }, context);
    });
    expect((result as any).batchItemFailures.map((f: any) => f.itemIdentifier)).toEqual([seq(2), seq(3)]);
    const ours = written.filter((w) => w.line.message === STREAM_MESSAGE);
    expect(ours.map((w) => w.stream)).toEqual(['stderr']);

    const { written: printed } = await run(BASE_ENV, async () => {
      const logger = new Logger();
      logger.addContext(context as any);
      logger.warn(STREAM_MESSAGE, {
        sequence_number: seq(2),
        event_id: `shardId-000000000003:${seq(2)}`,
        shard_id: 'shardId-000000000003',
        partition_key: 'pk-2',
        correlation_id: 'corr-2',
        error,
      });
    });
    const reference = printed.map((w) => w.line);
    expect(JSON.stringify(withoutTimestamp(ours[0].line, ISO_UTC))).toBe(JSON.stringify(withoutTimestamp(reference[0], ISO_UTC)));
    expect(ours[0].line.error).toMatchObject({ name: 'Error', message: 'shard poison', code: 'E_POISON', stack: error.stack });
  });
});
