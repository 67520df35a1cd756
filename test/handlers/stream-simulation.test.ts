/**
 * The *bundled* stream template under the shard simulator (Lambda's documented retry
 * semantics for Kinesis with ReportBatchItemFailures, bisect and retryAttempts 3): 10 000
 * records over 4 shards, 10 % transient failures, 1 % poison, 2 % of invocations timing out
 * after their work. Nothing may be lost, per-key order must hold, every poison record must
 * reach the on-failure destination while its shard moves on. (The idempotent run, which must
 * also show 0 duplicate side effects, is in stream-idempotency.test.ts against dynalite.)
 */
import { captureStdout } from './batch-support';
import { ShardSimulator } from './shard-simulator';
import { simulate, streamSimLogic } from './stream-sim-logic';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { seededRandom } from '../support/sqs-simulator';

fileEnv({
  POWERTOOLS_SERVICE_NAME: 'sim',
  POWERTOOLS_METRICS_NAMESPACE: 'StreamSimulation',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  STREAM_SOURCE_TYPE: 'KINESIS',
});

let template: any;
beforeAll(async () => {
  template = await importTemplate('stream');
});

describe('shard simulation (Kinesis, 4 shards, no idempotency)', () => {
  test('10 000 records: 0 lost, per-key order kept, every poison in the destination, every shard moves on', async () => {
    const started = Date.now();
    const logic = streamSimLogic();
    const handler = template.wrapStream(logic.module);
    const run = () => simulate((event) => handler(event, lambdaContext()), logic, { records: 10_000, timeoutRate: 0.02, seed: 13 });
    const { result } = await captureStdout(run);
    const { facts } = result;
    console.log(`stream shard simulation, no idempotency (${Date.now() - started} ms):\n${JSON.stringify(facts, null, 2)}`);

    expect(facts.sent).toBe(10_000);
    expect(facts.transient).toBe(1000);
    expect(facts.poison).toBe(100);
    expect(facts.lost).toBe(0);
    expect(facts.processed + facts.goodRecordsInDestination + facts.poison).toBe(10_000);
    expect(facts.poisonInDestination).toBe(100);
    expect(facts.everyShardFinished).toBe(true);
    // Every poison record except one in its shard's last records is followed by processed records.
    expect(facts.poisonShardMovedOn).toBeGreaterThanOrEqual(96);
    expect(facts.keysOutOfOrder).toBe(0);
    // Each destination message covers the records of one batch given up on, never more than a batch.
    expect(result.sim.destination.every((b) => b.batchSize >= 1 && b.batchSize <= 100 && b.sequenceNumbers.length === b.batchSize)).toBe(true);
    // Without idempotency, a batch retried after a timeout repeats its side effects: the reason it exists.
    expect(facts.timeouts).toBeGreaterThan(0);
    expect(facts.duplicateSideEffects).toBeGreaterThan(0);
  }, 120_000);

  test('without timeouts nothing runs twice: a record after a failure is never run before the retry', async () => {
    const logic = streamSimLogic();
    const handler = template.wrapStream(logic.module);
    const run = () => simulate((event) => handler(event, lambdaContext()), logic, { records: 2000, timeoutRate: 0, seed: 5 });
    const { result } = await captureStdout(run);
    expect(result.facts.lost).toBe(0);
    expect(result.facts.duplicateSideEffects).toBe(0);
    expect(result.facts.keysOutOfOrder).toBe(0);
    expect(result.facts.poisonInDestination).toBe(result.facts.poison);
  });

  test('the checks catch a consumer that swallows failures, and one that reports only the failed record', async () => {
    // Reporting success for a failed record checkpoints past it: it is neither processed nor in the destination.
    const swallowing = streamSimLogic();
    const swallow = async (event: any) => {
      for (const r of event.Records) {
        const payload = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
        await swallowing.module.processRecord(payload, { eventId: r.eventID }).catch(() => undefined);
      }
      return { batchItemFailures: [] };
    };
    const lossy = await simulate(swallow, swallowing, { records: 500, timeoutRate: 0, seed: 2 });
    expect(lossy.facts.lost).toBeGreaterThan(0);
    expect(lossy.facts.poisonInDestination).toBe(0);

    // Running every record and reporting only the failed ones (the SQS way) re-runs the
    // records after a failure when Lambda retries from it: duplicates, which the template avoids.
    const eager = streamSimLogic();
    const onlyFailed = async (event: any) => {
      const failed: { itemIdentifier: string }[] = [];
      for (const r of event.Records) {
        const payload = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
        await eager.module.processRecord(payload, { eventId: r.eventID }).catch(() => failed.push({ itemIdentifier: r.kinesis.sequenceNumber }));
      }
      return { batchItemFailures: failed };
    };
    const repeated = await simulate(onlyFailed, eager, { records: 2000, timeoutRate: 0, seed: 5 });
    expect(repeated.facts.duplicateSideEffects).toBeGreaterThan(0);
  });

  test('a handler that throws every time sends each record to the destination exactly once, after bisecting to single records', async () => {
    const sim = new ShardSimulator({ shards: 2, batchSize: 8, retryAttempts: 2, random: seededRandom(1) });
    for (let i = 0; i < 20; i++) sim.put(`k${i}`, { i });
    let calls = 0;
    const result = await sim.drain(async () => {
      calls++;
      throw new Error('down');
    });
    const given = result.destination.flatMap((b) => b.sequenceNumbers);
    expect(given).toHaveLength(20);
    expect(new Set(given).size).toBe(20);
    expect(result.destination.every((b) => b.batchSize === 1)).toBe(true);
    expect(result.everyShardFinished).toBe(true);
    // Each single record: 1 attempt + 2 retries.
    expect(calls).toBe(result.bisections + 20 * 3);
  });
});
