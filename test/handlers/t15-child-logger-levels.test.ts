/**
 * The per-record child loggers of the bundled batch and stream templates (`context.logger`)
 * filter like the invocation's logger, in the environments the construct writes:
 * - `logSamplingRate`: Lambda's application log filter is opened to DEBUG
 *   (AWS_LAMBDA_LOG_LEVEL=DEBUG) and POWERTOOLS_LOG_LEVEL stays the configured level. A
 *   sampled invocation logs DEBUG in its child loggers too; an unsampled one logs nothing
 *   below POWERTOOLS_LOG_LEVEL, although Lambda's filter would let DEBUG through (the fix of
 *   063d1d5, which child loggers must keep).
 * - `logLevel: WARN`: child loggers drop INFO, with Lambda's filter at WARN (no sampling) and
 *   at DEBUG (log buffering opens it).
 * Each environment gets fresh copies of the assets: the templates make their logger at import.
 *
 * Powertools draws the sample as `randomInt(0, 100) / 100 <= rate`, so a draw of 0 samples any
 * positive rate: unseeded, an "unsampled" test would be sampled about 1 % of the time per draw.
 * The draws are therefore scripted (`draws`), 99 (not sampled below rate 1) when none is left.
 */
import { captureStdout, failedIds, sqsRecord } from './batch-support';
import { fileEnv, importTemplateCopy, lambdaContext } from '../support/assets';

let traceIds = 0;

// The builtin the bundled assets reach through process.getBuiltinModule('node:crypto').
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('crypto');
let draws: number[] = [];
beforeEach(() => {
  draws = [];
  jest.spyOn(nodeCrypto, 'randomInt').mockImplementation(() => draws.shift() ?? 99);
});
afterEach(() => jest.restoreAllMocks());

const base = { POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_METRICS_DISABLED: 'true', STREAM_SOURCE_TYPE: 'KINESIS' };
const SAMPLED_ENV = { ...base, AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_LOGGER_SAMPLE_RATE: '1' };
// Never drawn (1 in a billion), yet a valid rate: the construct writes the same variables as for any rate.
const UNSAMPLED_ENV = { ...SAMPLED_ENV, POWERTOOLS_LOGGER_SAMPLE_RATE: '0.000000001' };
const WARN_ENV = { ...base, AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'WARN' };
const WARN_BUFFERED_ENV = { ...base, AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'WARN', LOG_BUFFER_MAX_BYTES: '20480', LOG_BUFFER_AT_LEVEL: 'DEBUG' };

function kinesisRecord(n: number, data: unknown) {
  const sequenceNumber = `49590338271490256608559692538361571095921575989136580${n}`;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: `pk-${n}`,
      sequenceNumber,
      data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1607497475,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000003:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
  };
}

/** Logic that writes one line at each level through the record's child logger; `fail` fails the record. */
const logEveryLevel = async (body: { n: number; fail?: boolean }, context: any) => {
  context.logger.debug('record debug', { n: body.n });
  context.logger.info('record info', { n: body.n });
  context.logger.warn('record warn', { n: body.n });
  if (body.fail) throw new Error('declined');
};

const LOGIC_MESSAGES = new Set(['record debug', 'record info', 'record warn']);

/** The two templates with per-record child loggers: how to wrap the logic, and a batch of `bodies`. */
const TEMPLATES = {
  batch: {
    wrap: (m: any) => m.wrapBatch({ processRecord: logEveryLevel }),
    event: (bodies: object[], invocation: number) => ({ Records: bodies.map((b, i) => sqsRecord(`m${invocation}-${i}`, JSON.stringify(b))) }),
    // The key each child logger adds (so a line is known to come from a record's logger).
    childKey: 'message_id',
  },
  stream: {
    wrap: (m: any) => m.wrapStream({ processRecord: logEveryLevel }),
    event: (bodies: object[], invocation: number) => ({ Records: bodies.map((b, i) => kinesisRecord(invocation * 10 + i, b)) }),
    childKey: 'sequence_number',
  },
} as const;

type TemplateName = keyof typeof TEMPLATES;

/** Invokes the wrapped template `times` times (a new trace id each, as Lambda sets it) and returns the child loggers' lines per invocation. */
async function childLines(name: TemplateName, bodies: object[], times: number, firstInvocationDraws: number[] = []): Promise<any[][]> {
  const t = TEMPLATES[name];
  // Imported with output captured: a sampled logger announces its DEBUG level at init.
  const handler = t.wrap((await captureStdout(() => importTemplateCopy(name))).result);
  draws = [...firstInvocationDraws]; // the draws at init (the invocation's logger) were 99: not sampled
  const out: any[][] = [];
  for (let i = 1; i <= times; i++) {
    process.env._X_AMZN_TRACE_ID = `Root=1-6759e988-${String(++traceIds).padStart(24, '0')};Parent=53995c3f42cd8ad8;Sampled=0`;
    const { result, lines } = await captureStdout(() => handler(t.event(bodies, i), lambdaContext()));
    const failing = bodies.filter((b: any) => b.fail).length;
    expect(failedIds(result)).toHaveLength(failing);
    out.push(lines.filter((l) => !l._aws && t.childKey in l && LOGIC_MESSAGES.has(l.message)));
  }
  return out;
}

const levelsOf = (lines: any[]) => lines.map((l) => `${l.level} ${l.message}`).sort();

describe.each(Object.keys(TEMPLATES) as TemplateName[])('%s record loggers', (name) => {
  describe('logSamplingRate, a sampled invocation', () => {
    fileEnv(SAMPLED_ENV);
    test('logs DEBUG in every record logger, on the first invocation and on later ones (re-drawn)', async () => {
      const invocations = await childLines(name, [{ n: 1 }, { n: 2 }], 2);
      for (const lines of invocations) {
        expect(levelsOf(lines)).toEqual(['DEBUG record debug', 'DEBUG record debug', 'INFO record info', 'INFO record info', 'WARN record warn', 'WARN record warn']);
      }
    });
  });

  describe('logSamplingRate, an invocation that is not sampled', () => {
    fileEnv(UNSAMPLED_ENV);
    test('logs only from POWERTOOLS_LOG_LEVEL (WARN) up in record loggers, although Lambda lets DEBUG through', async () => {
      const invocations = await childLines(name, [{ n: 1 }, { n: 2 }], 2);
      for (const lines of invocations) expect(levelsOf(lines)).toEqual(['WARN record warn', 'WARN record warn']);
    });

    // KNOWN BUG, reported for src/core/runtime/shared/logger.ts (not changed here): Powertools'
    // createChild hands the child the sample rate; a child drawing again would sample records
    // of an unsampled invocation on their own (>= 1 % each). Record loggers follow their invocation.
    test('a record logger follows its invocation\'s draw instead of drawing its own', async () => {
      // The invocation is not sampled (its draw at init was 99); the first record's logger draws 0.
      const [lines] = await childLines(name, [{ n: 1 }, { n: 2 }], 1, [0]);
      expect(levelsOf(lines)).toEqual(['WARN record warn', 'WARN record warn']);
    });
  });

  describe('logLevel WARN', () => {
    fileEnv(WARN_ENV);
    test('record loggers drop DEBUG and INFO and keep WARN', async () => {
      const [lines] = await childLines(name, [{ n: 1 }, { n: 2 }], 1);
      expect(levelsOf(lines)).toEqual(['WARN record warn', 'WARN record warn']);
    });
  });

  describe('logLevel WARN with log buffering (Lambda filter at DEBUG)', () => {
    fileEnv(WARN_BUFFERED_ENV);
    test('record loggers drop INFO whether the record succeeds or fails; a failure flushes only its buffered DEBUG line', async () => {
      const [lines] = await childLines(name, [{ n: 1 }, { n: 2, fail: true }], 1);
      expect(lines.filter((l) => l.level === 'INFO')).toEqual([]);
      expect(levelsOf(lines)).toEqual(['DEBUG record debug', 'WARN record warn', 'WARN record warn']);
      expect(lines.find((l) => l.level === 'DEBUG')).toMatchObject({ n: 2 });
    });
  });
});
