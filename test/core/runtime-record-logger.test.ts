/**
 * The record logger (src/core/runtime/shared/record-logger.ts): `context.logger` of a batch or
 * stream record prints through the template's logger with the record's keys, without a
 * Powertools child per record. Every line must be the line a Powertools child with those
 * persistent keys prints; anything beyond logging turns it into that child.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLogger, startInvocation } from '../../src/core/runtime/shared/logger';
import { recordChild, recordLogger } from '../../src/core/runtime/shared/record-logger';
import { TemplateLogger } from '../../src/core/runtime/shared/template-logger';
import { lambdaContext } from '../support/assets';

const saved = { ...process.env };
beforeEach(() => {
  process.env = { ...saved, POWERTOOLS_SERVICE_NAME: 'records', POWERTOOLS_LOG_LEVEL: 'INFO', AWS_LAMBDA_FUNCTION_NAME: 'fn' };
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_LOGGER_SAMPLE_RATE;
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

const KEYS = { message_id: 'm-1', correlation_id: 'c-1' };

/** Every line `use` prints (stdout and stderr, in order), timestamps and error locations masked. */
function printed(use: () => void): any[] {
  const lines: string[] = [];
  const capture = (chunk: any) => (lines.push(String(chunk)), true);
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    use();
  } finally {
    jest.restoreAllMocks();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((line) => {
      const parsed = JSON.parse(line);
      if (parsed.error?.stack) parsed.error = { ...parsed.error, stack: 'S', location: 'L' };
      return { ...parsed, timestamp: 'T' };
    });
}

/** The same calls on the record logger and on a Powertools child of the same parent. */
function bothWays(calls: (logger: Logger) => void): { ours: any[]; child: any[] } {
  const parent = createLogger();
  startInvocation(parent, lambdaContext({ requestId: 'req-records' }) as any);
  return {
    ours: printed(() => calls(recordLogger(parent, KEYS))),
    child: printed(() => calls(parent.createChild({ persistentKeys: { ...KEYS } }))),
  };
}

test.each<[string, (logger: Logger) => void]>([
  ['a message', (l) => l.info('order received')],
  ['extra fields', (l) => l.info('order received', { orderId: 'o-1', total: 6 }, { items: [1, 2] })],
  ['a field named like a record key', (l) => l.warn('replaced', { message_id: 'mine' })],
  ['a message object with its own keys', (l) => l.info({ message: 'as object', correlation_id: 'c-2', step: 1 })],
  ['an error', (l) => l.error('failed', new TypeError('bad input'))],
  ['a string extra', (l) => l.warn('with extra', 'some text')],
  ...['level', 'message', 'sampling_rate', 'service', 'timestamp'].map((key): [string, (logger: Logger) => void] => [
    `reserved key ${key} in the fields (dropped, with Powertools' warning)`,
    (l) => l.info('reserved', { [key]: 'nope', ok: true }),
  ]),
  ['a reserved key in a message object', (l) => l.info({ message: 'm', service: 'nope' } as any)],
  ['a line below the level (printed by neither)', (l) => l.debug('hidden')],
  ['every level', (l) => (l.info('i'), l.warn('w'), l.error('e'), l.critical('c'))],
])('%s: the line a Powertools child prints', (_, calls) => {
  const { ours, child } = bothWays(calls);
  expect(ours).toEqual(child);
});

test('the lines carry the record keys right after the logger keys, and a failing comparison is seen', () => {
  const { ours, child } = bothWays((l) => l.info('order received', { orderId: 'o-1' }));
  expect(Object.keys(ours[0]).slice(-3)).toEqual(['message_id', 'correlation_id', 'orderId']);
  // The parent's own line, without the record keys, is not what a child prints: the comparison can fail.
  const parent = createLogger();
  startInvocation(parent, lambdaContext({ requestId: 'req-records' }) as any);
  expect(printed(() => parent.info('order received', { orderId: 'o-1' }))).not.toEqual(child);
});

test('appendKeys makes the child: later lines carry the keys, as a child\'s do, and the child is what a failure flushes', () => {
  const { ours, child } = bothWays((l) => {
    l.info('before');
    l.appendKeys({ step: 'charged', nested: { a: 1 } });
    l.info('after', { more: true });
  });
  expect(ours).toEqual(child);
  expect(ours[1]).toMatchObject({ step: 'charged', nested: { a: 1 }, message_id: 'm-1' });

  const parent = createLogger();
  const logger = recordLogger(parent, KEYS);
  expect(recordChild(logger)).toBeUndefined();
  logger.appendKeys({ step: 'x' });
  const made = recordChild(logger);
  expect(made).toBeInstanceOf(TemplateLogger);
  expect(made).not.toBe(parent);
  expect(logger.getLevelName()).toBe('INFO');
});

test('flushing a record logger that made no child does nothing and makes none', () => {
  const logger = recordLogger(createLogger(), KEYS);
  logger.flushBuffer();
  logger.clearBuffer();
  expect(recordChild(logger)).toBeUndefined();
  expect(logger).toBeInstanceOf(Logger);
});

test.each([
  ['a sampling rate', { POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5' }],
  ['log buffering', { LOG_BUFFER_AT_LEVEL: 'DEBUG' }],
])('with %s the record logger is a Powertools child from the start (children follow the invocation)', (_, env) => {
  Object.assign(process.env, env);
  const parent = createLogger();
  const logger = recordLogger(parent, KEYS);
  expect(recordChild(logger)).toBe(logger);
  expect(logger).toBeInstanceOf(TemplateLogger);
});

test('a logger not made by createLogger gets a Powertools child', () => {
  const parent = new Logger();
  const logger = recordLogger(parent, KEYS);
  expect(recordChild(logger)).toBe(logger);
  expect(printed(() => logger.info('x'))[0]).toMatchObject({ message: 'x', ...KEYS });
});

test.each<[string, (logger: Logger) => void]>([
  ['an Error as the message', (l) => l.error(new Error('boom') as any)],
  ['a class instance whose message is a getter', (l) => l.info(new (class Message { public get message() { return 'from a getter'; } })() as any)],
])('%s: the line a Powertools child prints', (_, calls) => {
  const { ours, child } = bothWays(calls);
  expect(ours).toEqual(child);
  expect(ours[0].message).toBeDefined();
});

test('no message at all throws as a Powertools child does', () => {
  const parent = createLogger();
  for (const input of [undefined, null]) {
    const childError = (() => {
      try {
        parent.createChild({ persistentKeys: { ...KEYS } }).info(input as any);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(childError).toBeInstanceOf(TypeError);
    expect(() => printed(() => recordLogger(parent, KEYS).info(input as any))).toThrow(TypeError);
  }
});

test('a spy or a decorator on a level method sees each call once, and its restore holds', () => {
  const parent = createLogger();
  startInvocation(parent, lambdaContext({ requestId: 'req-records' }) as any);
  const logger = recordLogger(parent, KEYS);
  const spy = jest.spyOn(logger, 'info');
  const spied = printed(() => logger.info('spied', { n: 1 }));
  expect(spy).toHaveBeenCalledTimes(1);
  expect(spied).toHaveLength(1);
  expect(spied[0]).toMatchObject({ message: 'spied', n: 1, ...KEYS });
  spy.mockRestore();
  expect(printed(() => logger.info('restored'))).toHaveLength(1);

  const decorated = recordLogger(parent, KEYS);
  const original = decorated.info.bind(decorated);
  const seen: string[] = [];
  decorated.info = ((message: string, ...extra: any[]) => (seen.push(message), original(message, ...extra))) as any;
  const lines = printed(() => decorated.info('decorated'));
  expect(seen).toEqual(['decorated']);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ message: 'decorated', ...KEYS });
});

test('a member read twice is the same function', () => {
  const logger = recordLogger(createLogger(), KEYS);
  expect(logger.info).toBe(logger.info);
  expect(logger.appendKeys).toBe(logger.appendKeys);
  expect(() => Object.defineProperty(logger, 'fixed', { value: 1 })).not.toThrow();
  expect((logger as any).fixed).toBe(1);
});
