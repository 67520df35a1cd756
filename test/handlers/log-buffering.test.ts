/**
 * Log buffering in the bundled templates, with the environment the `logBuffering` prop gives
 * a function: LOG_BUFFER_* set, POWERTOOLS_LOG_LEVEL=INFO, and Lambda's application log filter
 * opened to DEBUG (AWS_LAMBDA_LOG_LEVEL=DEBUG). DEBUG lines wait per invocation (per X-Ray trace
 * id) and are written only when it fails; Lambda's DEBUG floor never makes the template log
 * DEBUG on a success.
 */
import { restEvent } from './api-events';
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';

fileEnv({
  POWERTOOLS_SERVICE_NAME: 'orders',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
  LOG_BUFFER_MAX_BYTES: '20480',
  LOG_BUFFER_AT_LEVEL: 'DEBUG',
  STREAM_SOURCE_TYPE: 'KINESIS',
});

let batch: any;
let api: any;
let invocation = 0;
beforeAll(async () => {
  [batch, api] = await Promise.all([importTemplate('batch'), importTemplate('api')]);
});

/** One invocation under a trace id of its own, as Lambda sets it. */
function invoke<T>(run: () => Promise<T>) {
  process.env._X_AMZN_TRACE_ID = `Root=1-6759e988-${String(++invocation).padStart(24, '0')};Parent=53995c3f42cd8ad8;Sampled=0`;
  return captureStdout<T>(run);
}

const debugLines = (lines: any[]) => lines.filter((l) => l.level === 'DEBUG');

describe('SqsBatchConsumer', () => {
  const handler = () =>
    batch.wrapBatch({
      processRecord: (body: { fail?: boolean; step: string }, context: any) => {
        context.logger.debug('working on it', { step: body.step });
        context.logger.info('record seen');
        if (body.fail) throw new Error('payment declined');
      },
    });

  test('a batch that succeeds writes its INFO lines and none of its DEBUG lines', async () => {
    const { result, lines } = await invoke(() => handler()({ Records: [sqsRecord('a', '{"step":"a1"}'), sqsRecord('b', '{"step":"b1"}')] }, lambdaContext()));
    expect(failedIds(result)).toEqual([]);
    expect(lines.filter((l) => l.message === 'record seen')).toHaveLength(2);
    expect(debugLines(lines)).toEqual([]);
  });

  test('a failed record writes its own DEBUG lines (before its WARN line), not those of the records that succeeded', async () => {
    const event = { Records: [sqsRecord('ok', '{"step":"fine"}'), sqsRecord('bad', '{"step":"charge","fail":true}')] };
    const { result, lines } = await invoke(() => handler()(event, lambdaContext()));
    expect(failedIds(result)).toEqual(['bad']);
    expect(debugLines(lines)).toEqual([expect.objectContaining({ message: 'working on it', step: 'charge', message_id: 'bad' })]);
    const debugAt = lines.findIndex((l) => l.level === 'DEBUG');
    const warnAt = lines.findIndex((l) => l.level === 'WARN' && l.message_id === 'bad');
    expect(debugAt).toBeGreaterThanOrEqual(0);
    expect(debugAt).toBeLessThan(warnAt);
  });

  test('nothing buffered leaks into the next invocation', async () => {
    const { lines } = await invoke(() => handler()({ Records: [sqsRecord('c', '{"step":"c1"}')] }, lambdaContext()));
    expect(debugLines(lines)).toEqual([]);
  });
});

describe('ObservableApi', () => {
  const handler = () =>
    api.wrapApi({
      routes: {
        'GET /ok': (request: any) => {
          request.logger.debug('looked it up', { cache: 'miss' });
          return { ok: true };
        },
        'GET /boom': (request: any) => {
          request.logger.debug('about to call the bank', { attempt: 1 });
          throw new Error('bank unreachable');
        },
        'GET /missing': (request: any) => {
          request.logger.debug('not found');
          throw Object.assign(new Error('no such order'), { statusCode: 404 });
        },
      },
    });

  test.each([
    ['/ok', 200, []],
    ['/missing', 404, []],
    ['/boom', 500, ['about to call the bank']],
  ])('GET %s (%d) writes DEBUG lines %j', async (path, status, messages) => {
    const { result, lines } = await invoke<any>(() => handler()(restEvent({ method: 'GET', path, requestId: `r${path}` }), lambdaContext()));
    expect(result.statusCode).toBe(status);
    const written = debugLines(lines).map((l) => l.message);
    if (status < 500) expect(written).toEqual([]);
    // A 5xx also flushes what Powertools' router logged at DEBUG about the error.
    else expect(written).toEqual(expect.arrayContaining(messages));
    if (status === 500) expect(debugLines(lines)[0]).toMatchObject({ correlation_id: 'r/boom', attempt: 1 });
  });
});
