/**
 * Runs the *bundled* batch template (assets/batch/index.mjs, what ships) against SQS-shaped
 * events: partial batch responses, malformed bodies, non-Error throws, full batch failure,
 * FIFO processing, correlation ids, EMF metrics and the entry contract.
 */
import { BatchProcessor, EventType, FullBatchFailureError, processPartialResponse } from '@aws-lambda-powertools/batch';
import { captureStdout, emfSum, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplate, importTemplateCopy, lambdaContext } from '../support/assets';

const ENV = {
  POWERTOOLS_SERVICE_NAME: 'orders-consumer',
  POWERTOOLS_METRICS_NAMESPACE: 'BatchTemplateTest',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  BATCH_QUEUE_TYPE: 'STANDARD',
  BATCH_CORRELATION_ID_ATTRIBUTE: 'correlationId',
};

let template: any;
fileEnv(ENV);
beforeAll(async () => {
  template = await importTemplate('batch');
});

const order = (id: string) => JSON.stringify({ orderId: id, items: [{ price: 2.5, quantity: 2 }, { price: 1, quantity: 1 }] });
const STANDARD = { fifo: false, skipGroupOnError: false, correlationIdAttribute: 'correlationId' };

describe('demo handler (standard queue)', () => {
  test('records valid orders, reports nothing failed, and publishes processed/failed metrics', async () => {
    const { result, lines } = await captureStdout(() =>
      template.handler({ Records: [sqsRecord('m1', order('o-1')), sqsRecord('m2', order('o-2'))] }, lambdaContext()),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const recorded = lines.filter((l) => l.message === 'order recorded');
    expect(recorded.map((l) => l.order)).toEqual([
      { orderId: 'o-1', itemCount: 2, total: 6 },
      { orderId: 'o-2', itemCount: 2, total: 6 },
    ]);
    expect(recorded[0].service).toBe('orders-consumer');
    expect(emfSum(lines, 'RecordsProcessed')).toBe(2);
    expect(emfSum(lines, 'RecordsFailed')).toBe(0);
    expect(emfSum(lines, 'OrdersRecorded')).toBe(2);
    const emf = lines.find((l) => l._aws);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('BatchTemplateTest');
    expect(emf._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  test('a malformed JSON body fails only that record and never counts as processed', async () => {
    const { result, lines } = await captureStdout(() =>
      template.handler({ Records: [sqsRecord('ok-1', order('o-1')), sqsRecord('bad', '{"orderId": "o-2",'), sqsRecord('ok-2', order('o-3'))] }, lambdaContext()),
    );
    expect(failedIds(result)).toEqual(['bad']);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(2);
    expect(emfSum(lines, 'RecordsFailed')).toBe(1);
    const warning = lines.find((l) => l.message === 'record failed; it returns to the queue');
    expect(warning).toMatchObject({ level: 'WARN', message_id: 'bad', error: { name: 'MalformedBodyError' } });
  });

  test('every failed record gets its WARN line; the stack with the first error of each name, again after a minute', async () => {
    // A fresh copy of the template: a new execution environment, where no stack was logged yet.
    const fresh = await importTemplateCopy('batch');
    const records = [sqsRecord('bad-1', '{'), sqsRecord('n-1', '42'), sqsRecord('bad-2', '{'), sqsRecord('n-2', '7'), sqsRecord('ok', order('o-1'))];
    const { result, lines } = await captureStdout(() => fresh.handler({ Records: records }, lambdaContext()));
    expect(failedIds(result)).toEqual(['bad-1', 'n-1', 'bad-2', 'n-2']);
    const warnings = lines.filter((l) => l.message === 'record failed; it returns to the queue');
    const byId = Object.fromEntries(warnings.map((w) => [w.message_id, w.error]));
    expect(Object.keys(byId).sort()).toEqual(['bad-1', 'bad-2', 'n-1', 'n-2']);
    expect(byId['bad-1']).toMatchObject({ name: 'MalformedBodyError', stack: expect.stringContaining('MalformedBodyError') });
    expect(byId['n-1']).toMatchObject({ name: 'TypeError', stack: expect.stringContaining('TypeError') });
    expect(byId['bad-2']).toEqual({ name: 'MalformedBodyError', message: expect.stringContaining('bad-2'), stack_logged_above: true });
    expect(byId['n-2']).toEqual({ name: 'TypeError', message: expect.stringContaining('number'), stack_logged_above: true });
    // The next invocation within the minute points at that stack (the same log stream holds it)...
    const next = await captureStdout(() => fresh.handler({ Records: [sqsRecord('bad-3', '{')] }, lambdaContext()));
    expect(next.lines.find((l) => l.message_id === 'bad-3').error).toMatchObject({ name: 'MalformedBodyError', stack_logged_above: true });
    // ...and once the minute has passed, logs it again.
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const again = await captureStdout(() => fresh.handler({ Records: [sqsRecord('bad-4', '{'), sqsRecord('bad-5', '{')] }, lambdaContext()));
      expect(again.lines.find((l) => l.message_id === 'bad-4').error.stack).toContain('MalformedBodyError');
      expect(again.lines.find((l) => l.message_id === 'bad-5').error).toMatchObject({ stack_logged_above: true });
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('valid JSON that is not an object fails the demo record (the logic rejects it)', async () => {
    const { result } = await captureStdout(() => template.handler({ Records: [sqsRecord('n', '42'), sqsRecord('a', '[1]'), sqsRecord('o', order('x'))] }));
    expect(failedIds(result)).toEqual(['n', 'a']);
  });

  test('the correlation id comes from the message attribute, per record', async () => {
    const { lines } = await captureStdout(() =>
      template.handler(
        {
          Records: [
            sqsRecord('c1', order('o-1'), { attributes: { correlationId: 'corr-1' } }),
            sqsRecord('c2', order('o-2'), { attributes: { correlationId: 'corr-2' } }),
            sqsRecord('c3', order('o-3')),
          ],
        },
        lambdaContext(),
      ),
    );
    const byMessage = Object.fromEntries(lines.filter((l) => l.message === 'order recorded').map((l) => [l.message_id, l.correlation_id]));
    expect(byMessage).toEqual({ c1: 'corr-1', c2: 'corr-2', c3: undefined });
  });

  test('an event without Records fails the whole invocation (nothing is deleted)', async () => {
    await expect(captureStdout(() => template.handler({ notRecords: [] }))).rejects.toThrow(/no Records array/);
  });
});

describe('full batch failure (Powertools #5624)', () => {
  test('Powertools 2.35 on its own: catching FullBatchFailureError and returning the response reports success', async () => {
    // Documents the upstream bug the template guards against. If this starts failing,
    // Powertools fixed #5624 and the guard is belt and braces only.
    const processor = new BatchProcessor(EventType.SQS);
    const records = [sqsRecord('a', 'x'), sqsRecord('b', 'y')];
    let caught: unknown;
    try {
      await processPartialResponse({ Records: records }, async () => {
        throw new Error('boom');
      }, processor);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FullBatchFailureError);
    expect(processor.response()).toEqual({ batchItemFailures: [] });
  });

  test('when every record fails, the template reports every record as failed', async () => {
    const records = [sqsRecord('f1', '{bad'), sqsRecord('f2', 'not json'), sqsRecord('f3', '7')];
    const { result, lines } = await captureStdout(() => template.handler({ Records: records }, lambdaContext()));
    expect(failedIds(result)).toEqual(['f1', 'f2', 'f3']);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(0);
    expect(emfSum(lines, 'RecordsFailed')).toBe(3);
  });

  test('a single-record batch that fails is reported, not swallowed', async () => {
    const { result } = await captureStdout(() => template.handler({ Records: [sqsRecord('only', '{')] }));
    expect(failedIds(result)).toEqual(['only']);
  });

  test.each([
    ['standard', STANDARD],
    ['FIFO', { ...STANDARD, fifo: true }],
  ])('%s: the processor itself reports a full batch failure (throwOnFullBatchFailure: false), not the catch-all', async (_queue, settings) => {
    // Without the option, processPartialResponse throws FullBatchFailureError and only the
    // template's catch-all reports the records, logging "batch processing failed".
    const handler = template.createBatchHandler(
      {
        bodyFormat: 'json',
        processRecord: () => {
          throw new Error('downstream unavailable');
        },
      },
      settings,
    );
    const records = [sqsRecord('p1', '{}', { groupId: 'G' }), sqsRecord('p2', '{}', { groupId: 'G' })];
    const { result, lines } = await captureStdout(() => handler({ Records: records }, lambdaContext()));
    expect(failedIds(result)).toEqual(['p1', 'p2']);
    expect(lines.filter((l) => l.level === 'ERROR')).toEqual([]);
    expect(lines.some((l) => /batch processing failed/.test(l.message ?? ''))).toBe(false);
  });

  test('every record failing in user logic (wrapped entry) is reported too', async () => {
    const handler = template.wrapBatch({
      processRecord: () => {
        throw new Error('downstream unavailable');
      },
    });
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('u1', '{}'), sqsRecord('u2', '{}')] }, lambdaContext()));
    expect(failedIds(result)).toEqual(['u1', 'u2']);
  });
});

describe('wrapped user logic (HandlerCode.fromEntry contract)', () => {
  test.each([
    ['a string', 'nope'],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { code: 42 }],
    ['a number', 7],
  ])('throwing %s fails only that record', async (_what, thrown) => {
    const handler = template.wrapBatch({
      processRecord: async (body: any) => {
        if (body.fail) throw thrown;
        return body;
      },
    });
    const { result, lines } = await captureStdout(() =>
      handler({ Records: [sqsRecord('good', '{"fail":false}'), sqsRecord('bad', '{"fail":true}'), sqsRecord('good2', '{}')] }, lambdaContext()),
    );
    expect(failedIds(result)).toEqual(['bad']);
    const warning = lines.find((l) => l.message_id === 'bad' && l.level === 'WARN');
    expect(warning.error.name).toBe('NonErrorThrown');
    expect(warning.error.message).toMatch(/non-Error value/);
  });

  test('the body is parsed JSON by default, and the context carries the record, ids and logger', async () => {
    const seen: any[] = [];
    const handler = template.wrapBatch({
      processRecord: (body: unknown, ctx: any) => {
        seen.push({ body, messageId: ctx.messageId, correlationId: ctx.correlationId, receiveCount: ctx.record.attributes.ApproximateReceiveCount });
        ctx.logger.info('user line');
        ctx.metrics.addMetric('UserMetric', 'Count', 1);
      },
    });
    const { result, lines } = await captureStdout(() =>
      handler({ Records: [sqsRecord('u1', '{"a":1}', { attributes: { correlationId: 'k-1' }, receiveCount: 2 })] }, lambdaContext()),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([{ body: { a: 1 }, messageId: 'u1', correlationId: 'k-1', receiveCount: '2' }]);
    expect(lines.find((l) => l.message === 'user line')).toMatchObject({ message_id: 'u1', correlation_id: 'k-1' });
    expect(emfSum(lines, 'UserMetric')).toBe(1);
  });

  test('bodyFormat "text" hands over the raw body, so non-JSON is not a failure', async () => {
    const bodies: unknown[] = [];
    const handler = template.wrapBatch({ bodyFormat: 'text', processRecord: (body: unknown) => void bodies.push(body) });
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('t1', 'plain text'), sqsRecord('t2', '{"a":1}')] }));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(bodies).toEqual(['plain text', '{"a":1}']);
  });

  test('a CommonJS-style module (exports under default) is accepted', async () => {
    const handler = template.wrapBatch({ default: { processRecord: () => undefined } });
    const { result } = await captureStdout(() => handler({ Records: [sqsRecord('d1', '{}')] }));
    expect(result).toEqual({ batchItemFailures: [] });
  });

  test.each([
    [{}, /the module must export a function "processRecord" \(export function processRecord\(body, context\).*\); it exports nothing/],
    [{ handler: () => undefined }, /must export a function "processRecord" .*; it exports handler/],
    [{ processRecord: 'not a function' }, /must export a function "processRecord" .*; it exports processRecord/],
    [{ processRecord: () => undefined, bodyFormat: 'xml' }, /"bodyFormat" must be "json" or "text", got "xml"/],
    [null, /must export a function "processRecord" .*; it exports nothing/],
  ])('an entry module without the contract fails at init with a clear error (%#)', (mod, message) => {
    expect(() => template.wrapBatch(mod)).toThrow(message);
  });
});

describe('FIFO queues (SqsFifoPartialProcessorAsync)', () => {
  const fifoRecords = () => [
    sqsRecord('a1', '{"ok":true}', { groupId: 'A' }),
    sqsRecord('a2', '{"ok":false}', { groupId: 'A' }),
    sqsRecord('b1', '{"ok":true}', { groupId: 'B' }),
    sqsRecord('a3', '{"ok":true}', { groupId: 'A' }),
    sqsRecord('b2', '{"ok":true}', { groupId: 'B' }),
  ];
  const logic = (calls: string[]) => ({
    bodyFormat: 'json',
    processRecord: (body: any, ctx: any) => {
      calls.push(ctx.messageId);
      if (!body.ok) throw new Error('rejected');
    },
  });

  test('stops at the first failure and fails every later record, in order', async () => {
    const calls: string[] = [];
    const handler = template.createBatchHandler(logic(calls), { ...STANDARD, fifo: true });
    const { result } = await captureStdout(() => handler({ Records: fifoRecords() }, lambdaContext()));
    expect(calls).toEqual(['a1', 'a2']);
    expect(failedIds(result)).toEqual(['a2', 'b1', 'a3', 'b2']);
  });

  test('skipGroupOnError keeps processing other groups and fails only the failed group', async () => {
    const calls: string[] = [];
    const handler = template.createBatchHandler(logic(calls), { ...STANDARD, fifo: true, skipGroupOnError: true });
    const { result } = await captureStdout(() => handler({ Records: fifoRecords() }, lambdaContext()));
    expect(calls).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(failedIds(result)).toEqual(['a2', 'a3']);
  });

  test('processes records one at a time in order (never in parallel)', async () => {
    const events: string[] = [];
    const handler = template.createBatchHandler(
      {
        bodyFormat: 'text',
        processRecord: async (_b: unknown, ctx: any) => {
          events.push(`start ${ctx.messageId}`);
          await new Promise((r) => setTimeout(r, 5));
          events.push(`end ${ctx.messageId}`);
        },
      },
      { ...STANDARD, fifo: true },
    );
    await captureStdout(() => handler({ Records: [sqsRecord('x1', 'a', { groupId: 'G' }), sqsRecord('x2', 'b', { groupId: 'G' })] }));
    expect(events).toEqual(['start x1', 'end x1', 'start x2', 'end x2']);
  });

  test('a FIFO batch whose first record fails reports every record (full batch failure)', async () => {
    const handler = template.createBatchHandler(logic([]), { ...STANDARD, fifo: true });
    const records = [sqsRecord('a2', '{"ok":false}', { groupId: 'A' }), sqsRecord('a3', '{"ok":true}', { groupId: 'A' })];
    const { result } = await captureStdout(() => handler({ Records: records }));
    expect(failedIds(result)).toEqual(['a2', 'a3']);
  });
});

describe('settings from the environment', () => {
  test.each([
    [{}, { fifo: false, skipGroupOnError: false, processInParallel: true, correlationIdAttribute: 'correlationId', idempotency: undefined }],
    [
      { BATCH_QUEUE_TYPE: 'FIFO', BATCH_SKIP_GROUP_ON_ERROR: 'true', BATCH_CORRELATION_ID_ATTRIBUTE: 'traceId' },
      { fifo: true, skipGroupOnError: true, processInParallel: true, correlationIdAttribute: 'traceId', idempotency: undefined },
    ],
    [
      { IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_EVENT_KEY_JMESPATH: 'body | orderId', IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '600' },
      { fifo: false, skipGroupOnError: false, processInParallel: true, correlationIdAttribute: 'correlationId', idempotency: { tableName: 't', keyJmesPath: 'body | orderId', expiresAfterSeconds: 600 } },
    ],
    [{ IDEMPOTENCY_TABLE_NAME: 't' }, expect.objectContaining({ idempotency: { tableName: 't', keyJmesPath: 'messageId', expiresAfterSeconds: 3600 } })],
    [
      { IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_SORT_KEY_ATTR: 'sk', IDEMPOTENCY_STATIC_PK_VALUE: 'orders' },
      expect.objectContaining({ idempotency: { tableName: 't', keyJmesPath: 'messageId', expiresAfterSeconds: 3600, sortKeyAttr: 'sk', staticPkValue: 'orders' } }),
    ],
    [{ BATCH_PROCESS_IN_PARALLEL: 'false' }, expect.objectContaining({ processInParallel: false })],
  ])('reads %j', (env, expected) => {
    expect(template.readSettings(env)).toEqual(expected);
  });

  test.each([
    [{ BATCH_QUEUE_TYPE: 'KINESIS' }, /SqsBatchConsumer template: BATCH_QUEUE_TYPE must be one of STANDARD, FIFO, got "KINESIS"\. The construct sets it from `fifo/],
    [{ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_EXPIRES_AFTER_SECONDS: 'soon' }, /IDEMPOTENCY_EXPIRES_AFTER_SECONDS must be a whole number/],
    [{ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_SORT_KEY_ATTR: 'sk' }, /IDEMPOTENCY_STATIC_PK_VALUE is not set although IDEMPOTENCY_SORT_KEY_ATTR is/],
    [{ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_STATIC_PK_VALUE: 'orders' }, /IDEMPOTENCY_STATIC_PK_VALUE only applies with IDEMPOTENCY_SORT_KEY_ATTR/],
  ])('rejects %j at init', (env, message) => {
    expect(() => template.readSettings(env)).toThrow(message);
  });
});
