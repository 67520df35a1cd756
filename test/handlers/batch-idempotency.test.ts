/**
 * Per-record idempotency of the *bundled* batch template against a real DynamoDB-compatible
 * server (dynalite on 127.0.0.1): duplicates are skipped, failures release their key, body
 * keys work, and the redelivery simulation shows 0 duplicate side effects.
 */
import { duplicateSideEffects, messageBodies, simLogic } from './batch-sim-logic';
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { importTemplate, lambdaContext } from '../support/assets';
import { idempotencyTestEnv } from '../support/idempotency-env';
import { seededRandom, SqsSimulator } from '../support/sqs-simulator';

const TABLE = 'batch-idempotency';
/** The shared layout: partition key `id` holds a static value, the hashed key goes into `sk`. */
const SORT_KEY_TABLE = 'batch-idempotency-shared';
/**
 * Messages in the idempotent simulation. Every delivery costs 2+ HTTP calls to dynalite
 * (run in a child process, so it works on the second core); 10 000 messages take about
 * 30 s on two cores. BATCH_IDEMPOTENT_SIM_MESSAGES overrides it for quick local runs.
 */
const SIM_MESSAGES = Number(process.env.BATCH_IDEMPOTENT_SIM_MESSAGES ?? 10_000);
// A guard against a hang, not a timing check: a loaded CI machine runs this 5–8× slower.
const SIM_TIMEOUT_MS = 900_000;

const ddb = idempotencyTestEnv({
  ownProcess: true,
  env: {
    AWS_LAMBDA_FUNCTION_NAME: 'orders-consumer',
    POWERTOOLS_SERVICE_NAME: 'idem',
    POWERTOOLS_METRICS_NAMESPACE: 'BatchIdempotency',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    BATCH_QUEUE_TYPE: 'STANDARD',
    IDEMPOTENCY_TABLE_NAME: TABLE,
    IDEMPOTENCY_EVENT_KEY_JMESPATH: 'messageId',
    IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
  },
  tables: [{ name: TABLE }, { name: SORT_KEY_TABLE, sortKey: 'sk' }],
});
let template: any;

beforeAll(async () => {
  template = await importTemplate('batch');
});

async function itemCount(prefix: string): Promise<number> {
  return (await ddb.items(TABLE)).filter((i) => i.id?.S?.startsWith(prefix)).length;
}

/** A logic module counting runs per message id / order id. */
function counting(failFirst = new Set<string>(), runMs = 2) {
  const runs = new Map<string, number>();
  return {
    runs,
    module: {
      processRecord: async (body: any, ctx: any) => {
        const key = body?.orderId ?? ctx.messageId;
        runs.set(key, (runs.get(key) ?? 0) + 1);
        if (failFirst.delete(key)) throw new Error(`first attempt of ${key} fails`);
        await new Promise((r) => setTimeout(r, runMs));
        return { done: key };
      },
    },
  };
}

describe('per-record idempotency (message id key)', () => {
  test('a message delivered again after success is not processed again, and is reported as success', async () => {
    const logic = counting();
    const handler = template.wrapBatch(logic.module);
    const event = { Records: [sqsRecord('dup-1', '{"a":1}'), sqsRecord('dup-2', '{"a":2}')] };
    const first = await captureStdout(() => handler(event, lambdaContext()));
    const second = await captureStdout(() => handler(event, lambdaContext()));
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(logic.runs)).toEqual({ 'dup-1': 1, 'dup-2': 1 });
    expect(await itemCount('orders-consumer#record#')).toBeGreaterThanOrEqual(2);
  });

  test('two copies in flight at once: one runs, the other fails as in progress and is retried later', async () => {
    // The run outlasts the second copy's conditional write by far, even on a loaded machine,
    // so the second copy always finds the first in progress.
    const logic = counting(new Set(), 1000);
    const handler = template.wrapBatch(logic.module);
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('same', '{}'), sqsRecord('same', '{}')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['same']);
    expect(logic.runs.get('same')).toBe(1);
    const retry = await captureStdout(() => handler({ Records: [sqsRecord('same', '{}')] }, lambdaContext()));
    expect(retry.result).toEqual({ batchItemFailures: [] });
    expect(logic.runs.get('same')).toBe(1);
  });

  test('a failed record releases its key, so the redelivery runs the logic again', async () => {
    const logic = counting(new Set(['retry-me']));
    const handler = template.wrapBatch(logic.module);
    const first = await captureStdout(() => handler({ Records: [sqsRecord('retry-me', '{}')] }, lambdaContext()));
    expect(failedIds(first.result)).toEqual(['retry-me']);
    const second = await captureStdout(() => handler({ Records: [sqsRecord('retry-me', '{}')] }, lambdaContext()));
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(logic.runs.get('retry-me')).toBe(2);
  });

  test('a malformed body fails before any idempotency record is written', async () => {
    const logic = counting();
    const handler = template.wrapBatch(logic.module);
    const before = await itemCount('orders-consumer#record#');
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('broken', '{oops')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['broken']);
    expect(await itemCount('orders-consumer#record#')).toBe(before);
    expect(logic.runs.size).toBe(0);
  });
});

describe('per-record idempotency (body key)', () => {
  const settings = (keyJmesPath: string) => ({
    fifo: false,
    skipGroupOnError: false,
    correlationIdAttribute: 'correlationId',
    idempotency: { tableName: TABLE, keyJmesPath, expiresAfterSeconds: 3600 },
  });

  test('the same orderId under two message ids runs once', async () => {
    const logic = counting();
    const handler = template.createBatchHandler({ bodyFormat: 'json', processRecord: logic.module.processRecord }, settings('body | orderId'));
    const first = await captureStdout(() => handler({ Records: [sqsRecord('m-a', '{"orderId":"o-77"}')] }, lambdaContext()));
    const second = await captureStdout(() => handler({ Records: [sqsRecord('m-b', '{"orderId":"o-77","resent":true}')] }, lambdaContext()));
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(logic.runs.get('o-77')).toBe(1);
  });

  test('a record without the configured key fails instead of running unprotected', async () => {
    const logic = counting();
    const handler = template.createBatchHandler({ bodyFormat: 'json', processRecord: logic.module.processRecord }, settings('body | orderId'));
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('no-key', '{"other":1}'), sqsRecord('has-key', '{"orderId":"o-78"}')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['no-key']);
    expect(logic.runs.get('o-78')).toBe(1);
    expect(logic.runs.has('no-key')).toBe(false);
  });
});

describe('shared sort-key table (IDEMPOTENCY_SORT_KEY_ATTR / IDEMPOTENCY_STATIC_PK_VALUE)', () => {
  test('records are keyed by the static partition value and the hashed key in the sort key; duplicates are skipped', async () => {
    const logic = counting();
    // Settings read from the variables the construct writes for IdempotencyTable({ sortKeyName: 'sk' }).
    const settings = template.readSettings({
      IDEMPOTENCY_TABLE_NAME: SORT_KEY_TABLE,
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'messageId',
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
      IDEMPOTENCY_SORT_KEY_ATTR: 'sk',
      IDEMPOTENCY_STATIC_PK_VALUE: 'orders-consumer',
    });
    const handler = template.createBatchHandler({ bodyFormat: 'json', processRecord: logic.module.processRecord }, settings);
    const event = { Records: [sqsRecord('sk-1', '{}'), sqsRecord('sk-2', '{}')] };
    const first = await captureStdout(() => handler(event, lambdaContext()));
    const second = await captureStdout(() => handler(event, lambdaContext()));
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(second.result).toEqual({ batchItemFailures: [] });
    expect(Object.fromEntries(logic.runs)).toEqual({ 'sk-1': 1, 'sk-2': 1 });
    const items = await ddb.items(SORT_KEY_TABLE);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.id.S).toBe('orders-consumer');
      expect(item.sk.S).toMatch(/^orders-consumer#record#[A-Za-z0-9+/=]+$/);
      expect(item.status.S).toBe('COMPLETED');
    }
  });

  test('the same settings without the sort key fail every record against the sort-key table (what the synth check prevents)', async () => {
    const logic = counting();
    const handler = template.createBatchHandler(
      { bodyFormat: 'json', processRecord: logic.module.processRecord },
      template.readSettings({ IDEMPOTENCY_TABLE_NAME: SORT_KEY_TABLE }),
    );
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('no-sk-1', '{}'), sqsRecord('no-sk-2', '{}')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['no-sk-1', 'no-sk-2']);
    expect(logic.runs.size).toBe(0);
  });
});

describe('loading the idempotency layer', () => {
  test('a failed load fails that invocation only; the next invocation loads it again', async () => {
    const logic = counting();
    let reads = 0;
    const idempotency = {
      // The first read fails, as a transient init error would.
      get tableName(): string {
        reads += 1;
        if (reads === 1) throw new Error('transient init failure');
        return TABLE;
      },
      keyJmesPath: 'messageId',
      expiresAfterSeconds: 3600,
    };
    const handler = template.createBatchHandler(
      { bodyFormat: 'json', processRecord: logic.module.processRecord },
      { fifo: false, skipGroupOnError: false, correlationIdAttribute: 'correlationId', idempotency },
    );
    await expect(captureStdout(() => handler({ Records: [sqsRecord('load-1', '{}')] }, lambdaContext()))).rejects.toThrow('transient init failure');
    expect(logic.runs.size).toBe(0);
    const retry = await captureStdout(() => handler({ Records: [sqsRecord('load-1', '{}')] }, lambdaContext()));
    expect(retry.result).toEqual({ batchItemFailures: [] });
    expect(logic.runs.get('load-1')).toBe(1);
    // Loaded once, then cached: a third invocation builds nothing new.
    const readsAfterLoad = reads;
    await captureStdout(() => handler({ Records: [sqsRecord('load-2', '{}')] }, lambdaContext()));
    expect(reads).toBe(readsAfterLoad);
  });
});

describe('redelivery simulation with idempotency (dynalite)', () => {
  test(`${SIM_MESSAGES} messages, 10% transient, 1% poison, 5% duplicates: 0 lost, poison in DLQ, 0 duplicate side effects`, async () => {
    const started = Date.now();
    const logic = simLogic();
    const handler = template.wrapBatch(logic.module);
    const sim = new SqsSimulator({ maxReceiveCount: 3, batchSize: 10, concurrency: 8, duplicateRate: 0.05, random: seededRandom(2024) });
    const kinds = new Map<string, string>();
    for (const { body, kind } of messageBodies({ messages: SIM_MESSAGES, transientRate: 0.1, poisonRate: 0.01 })) {
      kinds.set(sim.send({ body }), kind);
    }
    const { result } = await captureStdout(() => sim.drain((event) => handler(event, lambdaContext())));

    const poisonIds = [...kinds].filter(([, k]) => k === 'poison').map(([id]) => id);
    const dlqIds = new Set(result.deadLetters.map((d) => d.messageId));
    const counts = {
      sent: result.sent,
      poison: poisonIds.length,
      processed: result.processed,
      deadLetterCopies: result.deadLetters.length,
      deadLetterMessages: dlqIds.size,
      nonPoisonInDlq: [...dlqIds].filter((id) => kinds.get(id) !== 'poison').length,
      lost: result.lost.length,
      duplicatesInjected: result.duplicatesInjected,
      sideEffects: [...logic.sideEffects.values()].reduce((a, b) => a + b, 0),
      duplicateSideEffects: duplicateSideEffects(logic.sideEffects),
      invocations: result.invocations,
      deliveries: result.deliveries,
      recordFailures: result.recordFailures,
      wallMs: Date.now() - started,
    };
    console.log(`batch simulation, standard queue, idempotency on (dynalite):\n${JSON.stringify(counts, null, 2)}`);

    expect(result.lost).toEqual([]);
    expect(poisonIds.every((id) => dlqIds.has(id))).toBe(true);
    expect(counts.nonPoisonInDlq).toBe(0);
    expect(result.duplicatesInjected).toBeGreaterThan(0);
    expect(counts.duplicateSideEffects).toBe(0);
    // Every non-poison message had its side effect exactly once.
    expect(counts.sideEffects).toBe(SIM_MESSAGES - poisonIds.length);
  }, SIM_TIMEOUT_MS);
});
