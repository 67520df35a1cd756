import { Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BufferedLogLevel, IdempotentFunction, ObservableApi, PowerTunedFunction, PowertoolsFunction, PowertoolsLogLevel, SqsBatchConsumer, StreamBatchConsumer } from '../../src';
import { createTestStack } from '../support/app';

function functionProps(stack: Stack, fn: PowertoolsFunction): any {
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(fn.function.node.defaultChild as any)].Properties;
}

describe('tracing and log buffering props', () => {
  test('defaults: active tracing, Powertools tracing on (no variable), no buffering, Lambda filters at logLevel', () => {
    const stack = createTestStack();
    const props = functionProps(stack, new PowertoolsFunction(stack, 'Fn'));
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(Object.keys(props.Environment.Variables).filter((k) => /TRACE|LOG_BUFFER/.test(k))).toEqual([]);
    expect(props.LoggingConfig.ApplicationLogLevel).toBe('INFO');
  });

  test('tracing: false turns the Powertools Tracer off and keeps Lambda active tracing', () => {
    const stack = createTestStack();
    const props = functionProps(stack, new PowertoolsFunction(stack, 'Fn', { tracing: false }));
    expect(props.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  test('logBuffering sets the buffer variables and opens Lambda\'s filter to DEBUG while Powertools keeps logLevel', () => {
    const stack = createTestStack();
    const fn = new PowertoolsFunction(stack, 'Fn', {
      logLevel: PowertoolsLogLevel.WARN,
      logBuffering: { maxBufferSize: Size.kibibytes(64), bufferAtLevel: BufferedLogLevel.INFO },
    });
    const props = functionProps(stack, fn);
    expect(props.Environment.Variables).toMatchObject({ LOG_BUFFER_MAX_BYTES: '65536', LOG_BUFFER_AT_LEVEL: 'INFO', POWERTOOLS_LOG_LEVEL: 'WARN' });
    expect(props.LoggingConfig.ApplicationLogLevel).toBe('DEBUG');
  });

  test('logBuffering: {} uses Powertools\' defaults (20 KiB, DEBUG)', () => {
    const stack = createTestStack();
    const props = functionProps(stack, new PowertoolsFunction(stack, 'Fn', { logBuffering: {} }));
    expect(props.Environment.Variables).toMatchObject({ LOG_BUFFER_MAX_BYTES: '20480', LOG_BUFFER_AT_LEVEL: 'DEBUG' });
  });

  test.each([
    ['IdempotentFunction', (s: Stack) => new IdempotentFunction(s, 'C', { tracing: false, logBuffering: {} }).handler],
    ['SqsBatchConsumer', (s: Stack) => new SqsBatchConsumer(s, 'C', { tracing: false, logBuffering: {} }).handler],
    ['StreamBatchConsumer', (s: Stack) => new StreamBatchConsumer(s, 'C', { tracing: false, logBuffering: {} }).handler],
    ['ObservableApi', (s: Stack) => new ObservableApi(s, 'C', { tracing: false, logBuffering: {} }).handler],
    ['PowerTunedFunction', (s: Stack) => new PowerTunedFunction(s, 'C', { tracing: false, logBuffering: {} }).handler],
  ])('%s passes both to its function', (_name, build) => {
    const stack = createTestStack();
    const props = functionProps(stack, build(stack));
    expect(props.Environment.Variables).toMatchObject({ POWERTOOLS_TRACE_ENABLED: 'false', LOG_BUFFER_MAX_BYTES: '20480' });
    expect(props.LoggingConfig.ApplicationLogLevel).toBe('DEBUG');
  });

  test.each([
    [Size.bytes(512), '512 bytes'],
    [Size.mebibytes(11), '11534336 bytes'],
  ])('a buffer size of %s fails synth naming the prop and the range', (size, shown) => {
    const stack = createTestStack();
    expect(() => new PowertoolsFunction(stack, 'Fn', { logBuffering: { maxBufferSize: size } })).toThrow(
      `PowertoolsFunction TestStack/Fn: invalid \`logBuffering.maxBufferSize\` (got "${shown}"). Use a size from Size.kibibytes(1) to Size.mebibytes(10)`,
    );
  });

  test('bufferAtLevel ERROR fails synth: ERROR lines are never buffered', () => {
    const stack = createTestStack();
    expect(() => new PowertoolsFunction(stack, 'Fn', { logBuffering: { bufferAtLevel: 'ERROR' as BufferedLogLevel } })).toThrow(
      'invalid `logBuffering.bufferAtLevel` (got "ERROR"). Use BufferedLogLevel.DEBUG, INFO or WARN',
    );
  });

  test('the buffer variables cannot be set through environment: they need the prop\'s log filter', () => {
    const stack = createTestStack();
    expect(() => new PowertoolsFunction(stack, 'Fn', { environment: { LOG_BUFFER_MAX_BYTES: '100' } })).toThrow(
      'invalid `environment.LOG_BUFFER_MAX_BYTES` (got "100"). Variables starting with LOG_BUFFER_ configure the construct\'s template',
    );
  });
});
