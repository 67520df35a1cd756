/**
 * The repeated-WARN writer of the template logger (src/core/runtime/shared/template-logger.ts)
 * and FailureLines, on the TypeScript source: the writer is taken where its line is
 * Powertools' line (test/handlers/template-log-lines.test.ts compares them on the bundled
 * assets) and declined wherever it could differ, which then goes through Logger.warn.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { OBSERVABILITY_ENV } from '../../src/core/contract/observability-env';
import { failureError, FailureLines, STACK_RELOG_INTERVAL_MS } from '../../src/core/runtime/shared/failure-lines';
import { createLogger, startInvocation } from '../../src/core/runtime/shared/logger';
import { repeatedWarning } from '../../src/core/runtime/shared/template-logger';
import { lambdaContext } from '../support/assets';

const saved = { ...process.env };
beforeEach(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_SERVICE_NAME = 'unit';
  delete process.env.POWERTOOLS_DEV;
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

function stderrLines(): { lines: any[] } {
  const captured = { lines: [] as any[] };
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    for (const text of String(chunk).split('\n')) if (text) captured.lines.push(JSON.parse(text));
    return true;
  });
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return captured;
}

function invocationLogger(env: Record<string, string> = {}): Logger {
  const logger = createLogger({ ...process.env, ...env });
  startInvocation(logger, lambdaContext({ requestId: 'req-u' }) as any);
  return logger;
}

test('a template logger writes the line itself, without Logger.warn', () => {
  const out = stderrLines();
  const logger = invocationLogger();
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const lines = repeatedWarning(logger, 'record failed')!;
  expect(lines).toBeDefined();
  expect(lines.write({ message_id: 'm-1', empty: '', none: null, error: { name: 'E', message: 'x', stack_logged_above: true } })).toBe(true);
  expect(warn).not.toHaveBeenCalled();
  expect(out.lines).toHaveLength(1);
  expect(Object.keys(out.lines[0])).toEqual([
    'level', 'message', 'timestamp', 'service', 'cold_start', 'function_arn', 'function_memory_size', 'function_name',
    'function_request_id', 'sampling_rate', 'message_id', 'error',
  ]);
  expect(out.lines[0]).toMatchObject({ level: 'WARN', message: 'record failed', service: 'unit', function_request_id: 'req-u', message_id: 'm-1' });
});

test.each([
  ['the level is above WARN', { POWERTOOLS_LOG_LEVEL: 'ERROR' }],
  ['log buffering holds WARN lines', { [OBSERVABILITY_ENV.logBufferAtLevel.name]: 'WARN' }],
])('there is no writer when %s', (_, env) => {
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
  expect(repeatedWarning(invocationLogger(), 'record failed')).toBeUndefined();
});

test('there is no writer in dev mode (Powertools indents its lines there)', () => {
  process.env.POWERTOOLS_DEV = 'true';
  expect(repeatedWarning(invocationLogger(), 'record failed')).toBeUndefined();
});

test('there is no writer for a logger with persistent keys (Powertools deep-merges them) or for any other Logger', () => {
  const logger = invocationLogger();
  logger.appendPersistentKeys({ tenant: { id: 't-1' } });
  expect(repeatedWarning(logger, 'record failed')).toBeUndefined();
  expect(repeatedWarning(new Logger(), 'record failed')).toBeUndefined();
});

test('buffering below WARN keeps the writer (WARN lines are printed at once)', () => {
  process.env[OBSERVABILITY_ENV.logBufferAtLevel.name] = 'DEBUG';
  expect(repeatedWarning(invocationLogger(), 'record failed')).toBeDefined();
});

class Custom {
  public readonly value = 1;
}
const cycle: Record<string, unknown> = {};
cycle.self = cycle;

test.each([
  ['an Error', { error: new Error('x') }],
  ['a BigInt', { count: 10n }],
  ['a Map', { seen: new Map([['a', 1]]) }],
  ['a class instance', { custom: new Custom() }],
  ['a cycle', { cycle }],
  ['a key of the logger', { service: 'other' }],
  ['a function', { fn: () => 1 }],
])('the writer declines fields holding %s, printing nothing', (_, fields) => {
  const out = stderrLines();
  const lines = repeatedWarning(invocationLogger(), 'record failed')!;
  expect(lines.write(fields)).toBe(false);
  expect(out.lines).toEqual([]);
});

test('FailureLines prints through Powertools what the writer declines, once per record', () => {
  const out = stderrLines();
  const logger = invocationLogger();
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const failures = new FailureLines(logger, 'record failed');
  const withBigInt = Object.assign(new Error('big'), { amount: 10n });
  failures.write(withBigInt, { message_id: 'm-1' });
  failures.write(new Error('plain'), { message_id: 'm-2' });
  failures.write(new TypeError('typed'), { message_id: 'm-3' });
  // The BigInt error goes through Powertools; the next two (a summary, a new name's stack) do not.
  expect(warn).toHaveBeenCalledTimes(1);
  expect(out.lines.map((l) => [l.message_id, l.error.stack_logged_above ?? false, typeof l.error.stack])).toEqual([
    ['m-1', false, 'string'],
    ['m-2', true, 'undefined'],
    ['m-3', false, 'string'],
  ]);
  expect(out.lines[0].error.amount).toBe('10');
});

describe('failureError: a logged stack stands for its name for a minute in this execution environment', () => {
  const named = (name: string) => Object.assign(new Error(`a ${name}`), { name });

  test('the first error of a name has its stack, later ones within the minute a summary, then the stack again', () => {
    const t0 = 1_900_000_000_000;
    const error = named('PolicyError');
    expect(failureError(error, t0)).toBe(error);
    expect(failureError(named('PolicyError'), t0 + STACK_RELOG_INTERVAL_MS - 1)).toEqual({ name: 'PolicyError', message: 'a PolicyError', stack_logged_above: true });
    expect(failureError(named('OtherPolicyError'), t0 + 1)).toBeInstanceOf(Error);
    const after = named('PolicyError');
    expect(failureError(after, t0 + STACK_RELOG_INTERVAL_MS)).toBe(after);
    expect(failureError(named('PolicyError'), t0 + STACK_RELOG_INTERVAL_MS + 1)).toMatchObject({ stack_logged_above: true });
  });

  test('names made up per record cannot grow the memory without bound: past 100 it starts over', () => {
    const t0 = 2_000_000_000_000;
    expect(failureError(named('Kept-0'), t0)).toBeInstanceOf(Error);
    expect(failureError(named('Kept-0'), t0 + 1)).toMatchObject({ stack_logged_above: true });
    for (let i = 1; i < 200; i++) failureError(named(`Kept-${i}`), t0 + 2);
    // Kept-0 was forgotten when the map filled up, so its next error logs the stack again.
    expect(failureError(named('Kept-0'), t0 + 3)).toBeInstanceOf(Error);
  });
});
