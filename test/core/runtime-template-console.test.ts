/**
 * The console of template loggers (src/core/runtime/shared/template-logger.ts): one Console on
 * stdout/stderr for every template logger and its children, where Powertools makes one per
 * logger (whose patched `trace` kept each per-record child alive through the next young
 * collections: bench/, memory). The lines must stay Powertools' lines.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLogger, startInvocation } from '../../src/core/runtime/shared/logger';
import { TemplateLogger } from '../../src/core/runtime/shared/template-logger';
import { lambdaContext } from '../support/assets';

const saved = { ...process.env };
beforeEach(() => {
  process.env = { ...saved, POWERTOOLS_SERVICE_NAME: 'console-test', POWERTOOLS_LOG_LEVEL: 'DEBUG', AWS_LAMBDA_FUNCTION_NAME: 'fn' };
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_LOGGER_SAMPLE_RATE;
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

const consoleOf = (logger: Logger): unknown => (logger as unknown as { console: unknown }).console;

function captured(): { stdout: string[]; stderr: string[] } {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (out.stdout.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (out.stderr.push(String(chunk)), true));
  return out;
}

test.each([
  ['without sampling', {}],
  ['with a sampling rate (children follow the invocation)', { POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5' }],
])('a template logger and its children, %s, write through one console', (_, env) => {
  Object.assign(process.env, env);
  const parent = createLogger();
  const child = parent.createChild({ persistentKeys: { message_id: 'm-1' } });
  const grandchild = child.createChild({ persistentKeys: { step: 'two' } });
  expect(child).toBeInstanceOf(TemplateLogger);
  expect(grandchild).toBeInstanceOf(TemplateLogger);
  expect(consoleOf(child)).toBe(consoleOf(parent));
  expect(consoleOf(grandchild)).toBe(consoleOf(parent));
  expect(consoleOf(createLogger())).toBe(consoleOf(parent));
  // Powertools' own loggers each get a Console of their own: what the check above tells apart.
  const plain = new Logger();
  expect(consoleOf(plain.createChild())).not.toBe(consoleOf(plain));
  expect(consoleOf(plain)).not.toBe(consoleOf(parent));
});

test('a child line through the shared console is the line a Powertools child prints', () => {
  const context = lambdaContext({ requestId: 'req-console' }) as any;
  const lines = (make: () => Logger) => {
    const out = captured();
    const parent = make();
    startInvocation(parent, context);
    const child = parent.createChild({ persistentKeys: { message_id: 'm-7' } });
    child.info('order recorded', { order: { id: 'o-1', total: 6 } });
    child.warn('slow');
    child.error('failed', new TypeError('bad input'));
    jest.restoreAllMocks();
    const parse = (text: string) => text.split('\n').filter(Boolean).map((line) => ({ ...JSON.parse(line), timestamp: 'T' }));
    return { stdout: out.stdout.flatMap(parse), stderr: out.stderr.flatMap(parse) };
  };
  const ours = lines(() => createLogger());
  const powertools = lines(() => new Logger());
  expect(ours.stdout.map((l) => l.message)).toEqual(['order recorded']);
  expect(ours.stderr.map((l) => l.message)).toEqual(['slow', 'failed']);
  // The error's location and stack differ by the line that threw; the rest is Powertools' line.
  const withoutStack = (l: any) => (l.error ? { ...l, error: { ...l.error, stack: 'S', location: 'L' } } : l);
  expect(ours.stdout).toEqual(powertools.stdout);
  expect(ours.stderr.map(withoutStack)).toEqual(powertools.stderr.map(withoutStack));
});

test('trace prints like log, on stdout and without a stack, as Powertools patches it', () => {
  const logger = createLogger();
  const out = captured();
  (consoleOf(logger) as Console).trace('plain line');
  expect(out.stdout).toEqual(['plain line\n']);
  expect(out.stderr).toEqual([]);
});

test('dev mode keeps Powertools\' console: the global one, indented lines', () => {
  process.env.POWERTOOLS_DEV = 'true';
  const logger = createLogger();
  expect(consoleOf(logger)).toBe(console);
  expect(consoleOf(logger.createChild())).toBe(console);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  logger.info('dev line');
  expect(info).toHaveBeenCalledTimes(1);
  expect(String(info.mock.calls[0][0])).toContain('\n    "message": "dev line"');
});

test('a logger made after process.stdout was replaced writes to the replacement, as a Powertools Logger would', () => {
  const before = consoleOf(createLogger());
  const original = process.stdout;
  const written: string[] = [];
  const replacement = Object.create(original, { write: { value: (chunk: any) => (written.push(String(chunk)), true) } });
  Object.defineProperty(process, 'stdout', { value: replacement, configurable: true, writable: true });
  try {
    const logger = createLogger();
    expect(consoleOf(logger)).not.toBe(before);
    logger.info('to the replacement');
    expect(consoleOf(logger.createChild())).toBe(consoleOf(logger));
  } finally {
    Object.defineProperty(process, 'stdout', { value: original, configurable: true, writable: true });
  }
  expect(written.join('')).toContain('"message":"to the replacement"');
});
