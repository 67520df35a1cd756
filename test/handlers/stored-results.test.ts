/**
 * Results that are not plain JSON, in the *bundled* idempotent and batch templates against
 * dynalite: a retry after the in-progress deadline must never run the side effect again.
 */
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { importTemplate, lambdaContext } from '../support/assets';
import { LOCAL_AWS_ENV } from '../support/dynalite';
import { idempotencyTestEnv } from '../support/idempotency-env';

/** The Lambda timeout of the first attempt; a retry comes after it, when an INPROGRESS record no longer blocks. */
const DEADLINE_MS = 150;
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

let idempotent: any;
let batch: any;
let tables = 0;
const local = idempotencyTestEnv({ env: { AWS_LAMBDA_FUNCTION_NAME: 'results-fn', POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' } });

beforeAll(async () => {
  idempotent = await importTemplate('idempotent');
  batch = await importTemplate('batch');
});

class Money {
  constructor(public readonly cents: number, public readonly currency = 'EUR') {}
}

const circular = () => {
  const node: { [key: string]: unknown } = { id: 'n-1' };
  node.self = node;
  return node;
};

/** Results JSON can represent, and what JSON.parse(JSON.stringify(result)) makes of them. */
const NORMALIZED: [string, () => unknown, unknown][] = [
  ['an undefined property', () => ({ ok: true, note: undefined }), { ok: true }],
  ['a Date', () => ({ at: new Date(0) }), { at: '1970-01-01T00:00:00.000Z' }],
  ['a class instance', () => ({ price: new Money(500) }), { price: { cents: 500, currency: 'EUR' } }],
  ['NaN and a function property', () => ({ n: NaN, f: () => 1 }), { n: null }],
];

/** Results that cannot be stored as they are, nor as JSON would return them. */
const UNSTORABLE: [string, () => unknown, RegExp][] = [
  ['a BigInt', () => ({ total: BigInt(10) }), /BigInt/],
  ['a circular object', circular, /circular/i],
  ['a function', () => () => 'hi', /function/],
  ['an integer past 2^53', () => ({ id: 2 ** 60 }), /1152921504606847000/],
];

async function status(table: string): Promise<string[]> {
  const items = await local.items(table);
  return items.map((item) => item.status.S!);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls, waits past the first call's deadline (when an INPROGRESS record stops blocking a
 * retry), and calls again. Whatever the outcomes, the side effect ran once and the record
 * is COMPLETED.
 */
async function callTwice<T>(call: () => Promise<T>, table: string, sideEffects: () => number): Promise<[T, T]> {
  const first = await call();
  await sleep(DEADLINE_MS + 50);
  const retry = await call();
  expect(sideEffects()).toBe(1);
  expect(await status(table)).toEqual(['COMPLETED']);
  return [first, retry];
}

/** A call's outcome, so that a rejection does not end the test before the side effects are counted. */
const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value, error: undefined }), (error) => ({ value: undefined, error }));

describe('idempotent template: results that are not plain JSON', () => {
  /** Builds the handler around logic that counts its side effects; returns `callTwice` for it. */
  async function setUp(result: () => unknown) {
    const table = await local.createTable(`results-${++tables}`);
    let sideEffects = 0;
    const logic = async () => {
      sideEffects++;
      return result();
    };
    const handler = idempotent.createIdempotentHandler(
      logic,
      {
        tableName: table,
        eventKeyJmesPath: 'orderId',
        expiresAfterSeconds: 3600,
        throwOnNoIdempotencyKey: true,
        useLocalCache: false,
        maxLocalCacheSize: 10,
        clientConfig: { endpoint: local.server.endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: CREDENTIALS, maxAttempts: 1 },
      },
      { metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined } },
    );
    const invoke = () => settle(captureStdout(() => handler({ orderId: 'o-1' }, lambdaContext({ remainingMs: DEADLINE_MS }))));
    return () => callTwice(invoke, table, () => sideEffects);
  }

  test.each(NORMALIZED)('%s: stored as JSON returns it; the first call and the retry return that same value', async (_name, result, json) => {
    const [first, retry] = await (await setUp(result))();
    expect(first.value?.result).toStrictEqual(json);
    expect(retry.value?.result).toStrictEqual(json);
  });

  test.each(UNSTORABLE)('%s: the invocation fails, and so does every retry, without running the side effect again', async (_name, result, reason) => {
    const [first, retry] = await (await setUp(result))();
    const error = { name: 'UnstorableResultError', message: expect.stringMatching(reason) };
    expect(first.error).toMatchObject(error);
    expect(retry.error).toMatchObject(error);
  });
});

describe('batch template, per-record idempotency: results that are not plain JSON', () => {
  /** Builds the handler around logic that counts its side effects; returns `callTwice` for it. */
  async function setUp(result: () => unknown) {
    const table = await local.createTable(`batch-results-${++tables}`);
    let sideEffects = 0;
    const processRecord = async () => {
      sideEffects++;
      return result();
    };
    const settings = { fifo: false, skipGroupOnError: false, correlationIdAttribute: 'correlationId', idempotency: { tableName: table, keyJmesPath: 'messageId', expiresAfterSeconds: 3600 } };
    const handler = batch.createBatchHandler({ bodyFormat: 'json', processRecord }, settings);
    const deliver = () => captureStdout(() => handler({ Records: [sqsRecord('m-1', '{}')] }, lambdaContext({ remainingMs: DEADLINE_MS })));
    return () => callTwice(deliver, table, () => sideEffects);
  }

  test.each(NORMALIZED)('%s: the record succeeds and its redelivery is a replay', async (_name, result) => {
    const [first, redelivery] = await (await setUp(result))();
    expect(failedIds(first.result)).toEqual([]);
    expect(failedIds(redelivery.result)).toEqual([]);
  });

  test.each(UNSTORABLE)('%s: the record fails, and so does every redelivery, without running the side effect again', async (_name, result, reason) => {
    const [first, redelivery] = await (await setUp(result))();
    expect(failedIds(first.result)).toEqual(['m-1']);
    expect(failedIds(redelivery.result)).toEqual(['m-1']);
    const warned = redelivery.lines.find((line) => line.message === 'record failed; it returns to the queue');
    expect(warned.error).toMatchObject({ name: 'UnstorableResultError', message: expect.stringMatching(reason) });
  });
});
