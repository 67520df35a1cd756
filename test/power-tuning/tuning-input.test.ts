import { DEFAULT_TUNING_CONFIG, fieldProblems, resolveTuningConfig, TuningInputError } from '../../src/power-tuning/contract/tuning-input';

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
