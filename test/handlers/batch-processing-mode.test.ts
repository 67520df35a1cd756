/**
 * The bundled batch template's processing-mode switch (BATCH_PROCESS_IN_PARALLEL, from
 * SqsBatchConsumer's `processInParallel`): concurrent by default, one record at a time in
 * batch order with `false`; failures are reported per record either way.
 */
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplate } from '../support/assets';

fileEnv({ POWERTOOLS_SERVICE_NAME: 'mode', POWERTOOLS_METRICS_NAMESPACE: 'BatchMode', POWERTOOLS_LOG_LEVEL: 'ERROR', BATCH_QUEUE_TYPE: 'STANDARD' });

let template: any;
beforeAll(async () => {
  template = await importTemplate('batch');
});

const STANDARD = { fifo: false, skipGroupOnError: false, correlationIdAttribute: 'correlationId' };

/** Logic that records how many records run at once and the order they finish in; `fail` bodies throw. */
function probe() {
  const state = { running: 0, maxRunning: 0, finished: [] as number[] };
  const logic = {
    bodyFormat: 'json',
    processRecord: async (body: { n: number; fail?: boolean; delayMs: number }) => {
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      // Later records finish sooner: concurrent processing reorders completion, sequential cannot.
      await new Promise((resolve) => setTimeout(resolve, body.delayMs));
      state.running--;
      state.finished.push(body.n);
      if (body.fail) throw new Error(`record ${body.n} fails`);
    },
  };
  return { state, logic };
}

const records = (count: number, failing: number[] = []) =>
  Array.from({ length: count }, (_, i) => sqsRecord(`m${i}`, JSON.stringify({ n: i, fail: failing.includes(i), delayMs: (count - i) * 3 })));

test('processInParallel false: one record at a time, in batch order; each failure reported on its own', async () => {
  const { state, logic } = probe();
  const handler = template.createBatchHandler(logic, { ...STANDARD, processInParallel: false });
  const { result } = await captureStdout(() => handler({ Records: records(5, [1, 3]) }));
  expect(state.maxRunning).toBe(1);
  expect(state.finished).toEqual([0, 1, 2, 3, 4]);
  // Unlike a stream, a queue keeps going after a failure: only the failed records return.
  expect(failedIds(result)).toEqual(['m1', 'm3']);
});

test('the default (processInParallel true) runs the records concurrently', async () => {
  const { state, logic } = probe();
  const handler = template.createBatchHandler(logic, { ...STANDARD, processInParallel: true });
  const { result } = await captureStdout(() => handler({ Records: records(5, [1]) }));
  expect(state.maxRunning).toBe(5);
  expect(state.finished).toEqual([4, 3, 2, 1, 0]);
  expect(failedIds(result)).toEqual(['m1']);
});

test('the environment switches it: BATCH_PROCESS_IN_PARALLEL false, true, unset, and anything else fails the init', () => {
  expect(template.readSettings({ BATCH_PROCESS_IN_PARALLEL: 'false' }).processInParallel).toBe(false);
  expect(template.readSettings({ BATCH_PROCESS_IN_PARALLEL: 'true' }).processInParallel).toBe(true);
  expect(template.readSettings({}).processInParallel).toBe(true);
  expect(() => template.readSettings({ BATCH_PROCESS_IN_PARALLEL: 'sometimes' })).toThrow(/BATCH_PROCESS_IN_PARALLEL/);
});

test('every record failing is still reported in full when sequential (never an empty response)', async () => {
  const { logic } = probe();
  const handler = template.createBatchHandler(logic, { ...STANDARD, processInParallel: false });
  const { result } = await captureStdout(() => handler({ Records: records(3, [0, 1, 2]) }));
  expect(failedIds(result)).toEqual(['m0', 'm1', 'm2']);
});
