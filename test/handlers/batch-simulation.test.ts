/**
 * The bundled batch template under the SQS redelivery simulator: 10 000 messages, 10%
 * transient failures, 1% poison, 5% duplicate deliveries, maxReceiveCount 3. Nothing may be
 * lost and every poison message must end in the DLQ. (The idempotent run, which must also
 * show 0 duplicate side effects, is in batch-idempotency.test.ts against dynalite.)
 */
import { duplicateSideEffects, messageBodies, simLogic } from './batch-sim-logic';
import { captureStdout, emfSum } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';
import { seededRandom, SqsSimulator } from '../support/sqs-simulator';

const ENV = {
  POWERTOOLS_SERVICE_NAME: 'sim',
  POWERTOOLS_METRICS_NAMESPACE: 'BatchSimulation',
  // Failures are expected by the thousand here; only errors would be worth printing.
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  BATCH_QUEUE_TYPE: 'STANDARD',
};

let template: any;
fileEnv(ENV);
beforeAll(async () => {
  template = await importTemplate('batch');
});

describe('redelivery simulation (standard queue, no idempotency)', () => {
  test('10 000 messages: 0 lost, every poison message in the DLQ, nothing else there', async () => {
    const started = Date.now();
    const logic = simLogic();
    const handler = template.wrapBatch(logic.module);
    const sim = new SqsSimulator({ maxReceiveCount: 3, batchSize: 10, concurrency: 4, duplicateRate: 0.05, random: seededRandom(42) });
    const kinds = new Map<string, string>();
    for (const { body, kind } of messageBodies({ messages: 10_000, transientRate: 0.1, poisonRate: 0.01 })) {
      kinds.set(sim.send({ body }), kind);
    }

    const { result, lines } = await captureStdout(() => sim.drain((event) => handler(event, lambdaContext())));

    const poisonIds = [...kinds].filter(([, k]) => k === 'poison').map(([id]) => id);
    const dlqIds = new Set(result.deadLetters.map((d) => d.messageId));
    const nonPoisonInDlq = [...dlqIds].filter((id) => kinds.get(id) !== 'poison');
    const counts = {
      sent: result.sent,
      transient: [...kinds.values()].filter((k) => k === 'transient').length,
      poison: poisonIds.length,
      processed: result.processed,
      deadLetterCopies: result.deadLetters.length,
      deadLetterMessages: dlqIds.size,
      lost: result.lost.length,
      duplicatesInjected: result.duplicatesInjected,
      duplicateSideEffects: duplicateSideEffects(logic.sideEffects),
      invocations: result.invocations,
      deliveries: result.deliveries,
      recordFailures: result.recordFailures,
      failedInvocations: result.failedInvocations,
      emfRecordsProcessed: emfSum(lines, 'RecordsProcessed'),
      emfRecordsFailed: emfSum(lines, 'RecordsFailed'),
      wallMs: Date.now() - started,
    };
    console.log(`batch simulation, standard queue, no idempotency:\n${JSON.stringify(counts, null, 2)}`);

    expect(result.sent).toBe(10_000);
    expect(counts.transient).toBe(1000);
    expect(counts.poison).toBe(100);
    expect(result.lost).toEqual([]);
    expect(poisonIds.every((id) => dlqIds.has(id))).toBe(true);
    expect(nonPoisonInDlq).toEqual([]);
    expect(result.processed).toBe(10_000 - 100);
    // No batch ever failed as a whole: every failure was reported per record.
    expect(result.failedInvocations).toBe(0);
    // Poison copies are received exactly maxReceiveCount times before the DLQ.
    expect(result.deadLetters.every((d) => d.receiveCount === 3)).toBe(true);
    // EMF agrees with what the simulator saw.
    expect(counts.emfRecordsFailed).toBe(result.recordFailures);
    expect(counts.emfRecordsProcessed).toBe(result.deliveries - result.recordFailures);
    // Without idempotency, duplicate deliveries do repeat side effects: the reason it exists.
    expect(result.duplicatesInjected).toBeGreaterThan(300);
    expect(counts.duplicateSideEffects).toBeGreaterThan(0);
  });

  test('the poison-in-DLQ check catches a consumer that swallows failures', async () => {
    // Guards the assertions: a consumer reporting success for failed records deletes them,
    // so they never reach the DLQ; the template reports them and they do.
    const sim = new SqsSimulator({ maxReceiveCount: 3, random: seededRandom(1) });
    for (let n = 0; n < 50; n++) sim.send({ body: JSON.stringify({ n, kind: n % 10 === 0 ? 'poison' : 'ok' }) });
    const swallowing = async (event: any) => {
      void event;
      return { batchItemFailures: [] };
    };
    const result = await sim.drain(swallowing);
    expect(result.deadLetters).toEqual([]); // the poison messages silently vanished

    const honest = new SqsSimulator({ maxReceiveCount: 3, random: seededRandom(1) });
    for (let n = 0; n < 50; n++) honest.send({ body: JSON.stringify({ n, kind: n % 10 === 0 ? 'poison' : 'ok' }) });
    const logic = simLogic();
    const { result: good } = await captureStdout(() => honest.drain(template.wrapBatch(logic.module)));
    expect(good.deadLetters.map((d) => JSON.parse(d.body).n).sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40]);
  });

  test('an invocation that throws fails its whole batch; the messages come back and are not lost', async () => {
    const sim = new SqsSimulator({ maxReceiveCount: 3, batchSize: 5, random: seededRandom(7) });
    for (let n = 0; n < 20; n++) sim.send({ body: '{}' });
    let calls = 0;
    const flaky = async (event: any) => {
      calls++;
      if (calls === 1) throw new Error('crash');
      return { batchItemFailures: event.Records.length > 0 ? [{ itemIdentifier: 'not-in-batch' }] : [] };
    };
    // The second kind of bad response (unknown id) also fails the batch, as Lambda does.
    const result = await sim.drain(flaky, 30);
    expect(result.failedInvocations).toBeGreaterThan(1);
    expect(result.lost).toEqual([]);
    expect(result.deadLetters).toHaveLength(20);
  });

  test('FIFO: group order is kept across redeliveries, poison goes to the DLQ, nothing is lost', async () => {
    const fifoHandler = template.createBatchHandler(
      {
        bodyFormat: 'json',
        processRecord: async (body: any) => {
          seen.push(body);
          if (body.poison) throw new Error('poison');
          if (body.transient && !retried.has(body.key)) {
            retried.add(body.key);
            throw new Error('transient');
          }
          done.push(body.key);
        },
      },
      { fifo: true, skipGroupOnError: true, correlationIdAttribute: 'correlationId' },
    );
    const seen: any[] = [];
    const done: string[] = [];
    const retried = new Set<string>();
    const sim = new SqsSimulator({ maxReceiveCount: 3, fifo: true, concurrency: 3, random: seededRandom(3) });
    for (let i = 0; i < 200; i++) {
      const group = `g${i % 5}`;
      sim.send({ groupId: group, body: JSON.stringify({ key: `${group}-${i}`, group, i, transient: i % 7 === 0, poison: i === 42 }) });
    }
    const { result } = await captureStdout(() => sim.drain((event) => fifoHandler(event, lambdaContext())));
    expect(result.lost).toEqual([]);
    const dead = result.deadLetters.map((d) => JSON.parse(d.body));
    expect(dead.map((b) => b.i)).toContain(42);
    // Real FIFO behaviour: messages of the poison's group that rode in its batches were
    // failed with it every time (order must hold), so their receive counts rose too and
    // they may follow it to the DLQ. No other group is affected.
    expect(dead.every((b) => b.group === 'g2' && b.i >= 42)).toBe(true);
    expect(result.processed + dead.length).toBe(200);
    console.log(`FIFO simulation: ${result.processed} processed, DLQ ${JSON.stringify(dead.map((b) => b.i))} (poison is 42)`);
    // Within each group, successful processing happened in send order.
    for (let g = 0; g < 5; g++) {
      const order = done.filter((k) => k.startsWith(`g${g}-`)).map((k) => Number(k.split('-')[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(seen.filter((b) => b.i === 42)).toHaveLength(3);
  });
});
