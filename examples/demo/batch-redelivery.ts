/**
 * Scenario 2: the example app's `OrderEvents` SqsBatchConsumer (standard queue,
 * maxReceiveCount 3) under the SQS redelivery simulator. Records that fail are reported in
 * `batchItemFailures`, come back after the visibility timeout and succeed; poison messages
 * fail every receive and land in the DLQ. Virtual time: the run takes as long as the template.
 */
import type { SQSEvent } from 'aws-lambda';
import { flakyOrders } from './flaky-orders';
import { digest } from './format';
import { LogRecord, LogTap } from './log-tap';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate, setEnv } from './templates';
import { seededRandom, SqsSimulator } from '../../test/support/sqs-simulator';

export interface BatchFacts {
  readonly sent: number;
  readonly processed: number;
  readonly invocations: number;
  readonly deliveries: number;
  readonly recordFailures: number;
  readonly flakyOrders: number;
  readonly deadLetters: { messageId: string; receiveCount: number; body: string }[];
  readonly poisonMessageIds: string[];
  readonly lost: number;
}

export interface BatchOptions {
  readonly orders?: number;
  /** Share of orders whose first receive fails. */
  readonly flakyRate?: number;
  /** Progress line every this many invocations. */
  readonly progressEvery?: number;
}

const FUNCTION_NAME = 'ServerlessPowertoolsExample-OrderEvents';
const MAX_RECEIVE_COUNT = 3;
const CORRELATION_ATTRIBUTE = 'correlationId';

/** Bodies that can never succeed: not an order, and not even JSON. */
const POISON_BODIES = ['{"sku":"pen","quantity":1}', '{"orderId":"order-broken","items":['];

export async function batchRedelivery(ctx: ScenarioContext, options: BatchOptions = {}): Promise<BatchFacts> {
  const { log, check } = ctx;
  const orderCount = options.orders ?? 300;
  const progressEvery = options.progressEvery ?? 10;
  const random = seededRandom(2025);

  // The variables SqsBatchConsumer sets for a standard queue without idempotency.
  const restoreEnv = setEnv({
    POWERTOOLS_SERVICE_NAME: 'OrderEvents',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    BATCH_QUEUE_TYPE: 'STANDARD',
    BATCH_CORRELATION_ID_ATTRIBUTE: CORRELATION_ATTRIBUTE,
    IDEMPOTENCY_TABLE_NAME: undefined,
  });
  const tap = new LogTap();
  try {
    const template = await loadTemplate(ctx.assetsDir, 'batch');
    const sim = new SqsSimulator({ maxReceiveCount: MAX_RECEIVE_COUNT, batchSize: 10, concurrency: 4, visibilityTimeoutSeconds: 60, random });

    const flaky = new Set<string>();
    const poisonIds: string[] = [];
    const poisonAt = new Set([Math.floor(orderCount / 5), Math.floor((orderCount * 2) / 3)]);
    for (let i = 1; i <= orderCount; i++) {
      const orderId = `order-${String(i).padStart(4, '0')}`;
      if (random() < (options.flakyRate ?? 0.1)) flaky.add(orderId);
      const body = JSON.stringify({ orderId, items: [{ sku: 'book', quantity: 1 + (i % 3), price: 12.5 }] });
      sim.send({ body, messageAttributes: { [CORRELATION_ATTRIBUTE]: `corr-${orderId}` } });
      if (poisonAt.has(i)) {
        const poison = POISON_BODIES[poisonIds.length];
        poisonIds.push(sim.send({ body: poison, messageAttributes: { [CORRELATION_ATTRIBUTE]: `corr-poison-${poisonIds.length + 1}` } }));
      }
    }
    const logic = flakyOrders(flaky);
    const handler = template.wrapBatch(logic.module);
    log(`  ${orderCount} orders + ${poisonIds.length} poison messages sent; ${flaky.size} orders hit an unavailable inventory service on their first receive`);
    log(`  standard queue: batchSize 10, 4 concurrent invocations, visibility timeout 60 s, maxReceiveCount ${MAX_RECEIVE_COUNT}`);

    let invocations = 0;
    let delivered = 0;
    let failed = 0;
    const consumer = async (event: SQSEvent) => {
      const n = ++invocations;
      const response = await handler(event, lambdaContext(FUNCTION_NAME, `req-batch-${String(n).padStart(4, '0')}`));
      delivered += event.Records.length;
      failed += response?.batchItemFailures?.length ?? 0;
      if (n % progressEvery === 0) log(`  … ${n} invocations: ${delivered} records delivered, ${failed} reported failed`);
      return response;
    };
    const result = await tap.around(() => sim.drain(consumer));
    log(
      `  drained: ${result.invocations} invocations, ${result.deliveries} deliveries, ${result.recordFailures} record failures, ` +
        `${result.deadLetters.length} in the DLQ, ${result.virtualSeconds} virtual seconds`,
    );
    for (const dead of result.deadLetters) log(`    DLQ ${dead.messageId} after ${dead.receiveCount} receives: ${dead.body}`);

    const failureLines = tap.logs.filter((l) => l.message === 'record failed; it returns to the queue');
    // The poison message's last failure: the receive after which SQS moves it to the DLQ.
    const poisonLine = failureLines.filter((l) => l.message_id === poisonIds[0]).pop();
    const acceptedLine = tap.logs.find((l) => l.message === 'order accepted');
    log(`  ${tap.logs.length} JSON log lines captured; two of them:`);
    if (acceptedLine) log(digest(acceptedLine, ['level', 'message', 'correlation_id', 'message_id', 'orderId', 'total']).join('\n'));
    if (poisonLine) log(digest(withShortError(poisonLine), ['level', 'message', 'correlation_id', 'message_id', 'receive_count', 'error']).join('\n'));

    // Every flaky order: failed on receive 1, retried on receive 2, accepted once.
    const retried = [...flaky].filter((id) => {
      const seen = logic.attempts.get(id) ?? [];
      return seen.length === 2 && seen[0] === 1 && seen[1] === 2 && logic.accepted.get(id) === 1;
    });
    check('failed records were retried and then processed', flaky.size > 0 && retried.length === flaky.size, `${retried.length}/${flaky.size} flaky orders: failed on receive 1, accepted on receive 2`);

    const dlqIds = result.deadLetters.map((d) => d.messageId).sort();
    const poisonInDlq = poisonIds.every((id) => result.deadLetters.some((d) => d.messageId === id && d.receiveCount === MAX_RECEIVE_COUNT));
    check(
      `the poison messages are in the DLQ after maxReceiveCount (${MAX_RECEIVE_COUNT}) receives`,
      poisonInDlq && dlqIds.join() === [...poisonIds].sort().join(),
      `DLQ: ${dlqIds.join(', ') || 'empty'}`,
    );
    const acceptedOnce = [...logic.accepted.values()].every((n) => n === 1);
    check(
      'every good order was accepted exactly once, and nothing was lost',
      logic.accepted.size === orderCount && acceptedOnce && result.lost.length === 0 && result.processed + result.deadLetters.length === result.sent,
      `${logic.accepted.size} accepted + ${result.deadLetters.length} dead letters = ${result.sent} sent, ${result.lost.length} lost`,
    );
    check(
      'failures were reported per record (partial batch responses), never as a whole failed batch',
      result.failedInvocations === 0 && result.recordFailures === flaky.size + poisonIds.length * MAX_RECEIVE_COUNT,
      `${result.recordFailures} record failures, ${result.failedInvocations} failed invocations`,
    );
    const correlated = failureLines.filter((l) => typeof l.correlation_id === 'string' && l.correlation_id.startsWith('corr-'));
    check(
      'every failure was logged with its message id and correlation id',
      failureLines.length === result.recordFailures && correlated.length === failureLines.length,
      `${correlated.length} WARN lines`,
    );
    return {
      sent: result.sent,
      processed: result.processed,
      invocations: result.invocations,
      deliveries: result.deliveries,
      recordFailures: result.recordFailures,
      flakyOrders: flaky.size,
      deadLetters: result.deadLetters.map((d) => ({ ...d })),
      poisonMessageIds: poisonIds,
      lost: result.lost.length,
    };
  } finally {
    tap.stop();
    restoreEnv();
  }
}

/** The error of a log line without its stack: the digest is for reading. */
function withShortError(line: LogRecord): LogRecord {
  const error = line.error;
  return error && typeof error === 'object' ? { ...line, error: { name: error.name, message: error.message } } : line;
}
