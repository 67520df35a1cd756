import { DEFAULT_TUNING_CONFIG, fieldProblems, resolveTuningConfig, TuningInputError, weightedSchedule } from '../../src/power-tuning/contract/tuning-input';

describe('execution input', () => {
  test('an empty input takes the defaults', () => {
    expect(resolveTuningConfig({}, DEFAULT_TUNING_CONFIG)).toEqual(DEFAULT_TUNING_CONFIG);
    expect(resolveTuningConfig(undefined, DEFAULT_TUNING_CONFIG)).toEqual(DEFAULT_TUNING_CONFIG);
    expect(DEFAULT_TUNING_CONFIG.powerValues).toEqual([128, 256, 512, 1024, 1536, 1769, 3008]);
    expect(DEFAULT_TUNING_CONFIG.num).toBe(10);
    expect(DEFAULT_TUNING_CONFIG.discardTopBottom).toBe(0.2);
  });

  test('any field can be overridden per execution', () => {
    const config = resolveTuningConfig(
      { powerValues: [256, 512], num: 5, strategy: 'balanced', balancedWeight: 0.3, payload: { a: 1 }, parallelInvocation: true, onlyColdStarts: true, discardTopBottom: 0, includeRequestCost: false },
      DEFAULT_TUNING_CONFIG,
    );
    expect(config).toMatchObject({ powerValues: [256, 512], num: 5, strategy: 'balanced', balancedWeight: 0.3, payload: { a: 1 }, parallelInvocation: true, onlyColdStarts: true, discardTopBottom: 0, includeRequestCost: false });
  });

  test.each([
    [{ powerValues: [] }, /powerValues must be a non-empty list/],
    [{ powerValues: [512, 256] }, /sorted ascending without duplicates/],
    [{ powerValues: [128, 128] }, /sorted ascending without duplicates/],
    [{ powerValues: [64, 20000] }, /from 128 to 10240; \[64,20000\] are not/],
    [{ num: 4 }, /num must be a whole number from 5/],
    [{ num: 7.5 }, /num must be a whole number/],
    [{ strategy: 'cheap' }, /strategy must be one of cost, speed, balanced \(got "cheap"\)/],
    [{ balancedWeight: 1.5 }, /balancedWeight must be a number from 0/],
    [{ discardTopBottom: 0.5 }, /discardTopBottom must be a fraction from 0 to 0.4/],
    [{ sleepBetweenRunsMs: -1 }, /sleepBetweenRunsMs must be a whole number/],
    [{ parallelInvocation: 'yes' }, /parallelInvocation must be true or false/],
    [{ parallelInvocation: true, sleepBetweenRunsMs: 100 }, /sleepBetweenRunsMs only applies to serial invocations/],
    [{ lambdaARN: 'arn:aws:lambda:us-east-1:1:function:other' }, /lambdaARN is not accepted: this tuner only tunes the function it was deployed with/],
    [{ nums: 5 }, /Unknown input "nums"/],
    [{ onDeploy: 'yes' }, /onDeploy must be true or false \(got "yes"\)/],
    ['a string', /must be a JSON object/],
  ])('%j is rejected', (input, message) => {
    expect(() => resolveTuningConfig(input, DEFAULT_TUNING_CONFIG)).toThrow(TuningInputError);
    expect(() => resolveTuningConfig(input, DEFAULT_TUNING_CONFIG)).toThrow(message);
  });
});

describe('the on-deploy flag and problem wording', () => {
  test('onDeploy is accepted and is not part of the configuration', () => {
    expect(resolveTuningConfig({ onDeploy: true, num: 5 }, DEFAULT_TUNING_CONFIG)).toEqual({ ...DEFAULT_TUNING_CONFIG, num: 5 });
  });

  test('problems carry the value for execution inputs, and leave it out for construct props', () => {
    expect(fieldProblems('powerValues', [])).toEqual(['powerValues must be a non-empty list of memory sizes in MB (got []).']);
    expect(fieldProblems('powerValues', [], { withValue: false })).toEqual(['powerValues must be a non-empty list of memory sizes in MB.']);
    expect(fieldProblems('num', 2, { withValue: false })).toEqual(['num must be a whole number from 5 to 1000.']);
    expect(fieldProblems('payload', undefined, { withValue: false })).toEqual(['payload must be JSON.']);
  });
});

describe('run options in the execution input', () => {
  const withS3 = { ...DEFAULT_TUNING_CONFIG, payloadS3: 's3://my-bucket/tuning/payload.json' };

  test('weighted payloads, dry run, allowed exceptions and sampling are accepted', () => {
    const config = resolveTuningConfig(
      {
        payloads: [{ payload: { a: 1 }, weight: 0.7 }, { payload: '{"b":2}', weight: 0.3 }],
        dryRun: true,
        allowedExceptions: ['ValidationError'],
        sampling: { mode: 'adaptive', minInvocations: 5, confidence: 0.9 },
      },
      DEFAULT_TUNING_CONFIG,
    );
    expect(config).toMatchObject({ dryRun: true, allowedExceptions: ['ValidationError'], sampling: { mode: 'adaptive', minInvocations: 5, confidence: 0.9 } });
    expect(config.payloads).toHaveLength(2);
  });

  test('a string payload must be JSON text, since it is sent as-is', () => {
    expect(resolveTuningConfig({ payload: '{"a":1}' }, DEFAULT_TUNING_CONFIG).payload).toBe('{"a":1}');
    expect(() => resolveTuningConfig({ payload: 'hello' }, DEFAULT_TUNING_CONFIG)).toThrow(
      /payload is a string, so it is sent as-is and must be JSON text \(got "hello"\); to send a JSON string, quote it: "\\"hello\\""/,
    );
  });

  test('a payload source in the input replaces the defaults\' source', () => {
    const config = resolveTuningConfig({ payload: { x: 1 } }, withS3);
    expect(config.payloadS3).toBeUndefined();
    expect(config.payload).toEqual({ x: 1 });
    // the granted object may be named again
    expect(resolveTuningConfig({ payloadS3: withS3.payloadS3 }, withS3).payloadS3).toBe(withS3.payloadS3);
  });

  test.each([
    [{ payloads: [{ payload: {}, weight: 0.6 }, { payload: {}, weight: 0.3 }] }, /payloads weights must sum to 1 \(got 0.6 \+ 0.3 = 0.9\)/],
    [{ payloads: [{ payload: {}, weight: 0 }] }, /payloads\[0\]\.weight must be a fraction above 0/],
    [{ payloads: [{ weight: 1 }] }, /payloads\[0\] must be an object with "payload" and "weight"/],
    [{ payloads: [] }, /payloads must be a list of 1 to 100/],
    [{ payloads: [{ payload: {}, weight: 0.99 }, { payload: {}, weight: 0.01 }] }, /With num 10, payloads #2 \(weight 0.01\) would never be invoked/],
    [{ payload: {}, payloads: [{ payload: {}, weight: 1 }] }, /Give one payload source, not payload and payloads/],
    [{ payloadS3: 'https://my-bucket.s3.amazonaws.com/p.json' }, /payloadS3 must be an s3:\/\/bucket\/key URL of one object/],
    [{ payloadS3: 's3://my-bucket/' }, /payloadS3 must be an s3:\/\/bucket\/key URL/],
    [{ payloadS3: 's3://other-bucket/p.json' }, /payloadS3 needs a read grant: set the payloadS3 prop/],
    [{ allowedExceptions: 'ValidationError' }, /allowedExceptions must be a list of at most 50 error types/],
    [{ allowedExceptions: ['ok', 42, ''] }, /allowedExceptions must hold error type names \(strings such as "ValidationError"\); \[42,""\] are not/],
    [{ dryRun: 'yes' }, /dryRun must be true or false/],
    [{ sampling: 'adaptive' }, /sampling must be \{"mode":"fixed"\} or/],
    [{ sampling: { mode: 'smart' } }, /sampling.mode must be "fixed" or "adaptive"/],
    [{ sampling: { mode: 'adaptive', minInvocations: 12 } }, /sampling.minInvocations \(12\) is above num \(10\): lower minInvocations or raise num/],
    [{ sampling: { mode: 'adaptive', confidence: 1.5 } }, /sampling.confidence must be a number from 0.5 to 0.999/],
    [{ sampling: { mode: 'fixed', minInvocations: 5 } }, /minInvocations and confidence only apply to \{"mode":"adaptive"\}/],
    [{ preProcessorARN: 'arn:aws:lambda:us-east-1:1:function:p' }, /preProcessorARN is not accepted in the execution input.*set the preProcessor prop/],
    [{ postProcessor: 'p' }, /postProcessor is not accepted in the execution input/],
  ])('%j is rejected at run start', (input, message) => {
    expect(() => resolveTuningConfig(input, DEFAULT_TUNING_CONFIG)).toThrow(TuningInputError);
    expect(() => resolveTuningConfig(input, DEFAULT_TUNING_CONFIG)).toThrow(message);
  });

  test('payloadS3 may only name the object the construct granted', () => {
    expect(() => resolveTuningConfig({ payloadS3: 's3://my-bucket/other.json' }, withS3)).toThrow(
      /payloadS3 may only be s3:\/\/my-bucket\/tuning\/payload.json, the object the tuner was granted/,
    );
  });
});

describe('weighted schedule', () => {
  test('every prefix keeps the mix, and the counts follow the weights', () => {
    const order = weightedSchedule([0.7, 0.3], 10);
    expect(order.filter((i) => i === 1)).toHaveLength(3);
    // the first three invocations already include the lighter payload
    expect(order.slice(0, 3)).toContain(1);
    expect(weightedSchedule([0.5, 0.25, 0.25], 4).sort()).toEqual([0, 0, 1, 2]);
  });
});
