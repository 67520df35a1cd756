import { analyze, MeasuredPowerValue, recommend, SkippedPowerValue, stepFunctionsCost } from '../../src/power-tuning/contract/analyzer';
import { costFigures, LambdaPrices } from '../../src/power-tuning/contract/cost-model';

// A round price keeps the hand computation below readable; the real table is cost-model.test.ts's.
const X86: LambdaPrices = { durationPerMsAt128Mb: 2.1e-9, perRequest: 0 };

/** A measured value whose every invocation billed `ms`. */
function measured(powerMb: number, ms: number): MeasuredPowerValue {
  const durations = Array(10).fill(ms);
  return { status: 'measured', powerMb, invocations: 10, coldStarts: 0, ...costFigures(X86, powerMb, durations, durations, 0.2) };
}

// Hand-computed fixture (price 2.1e-9 per ms at 128 MB):
//   128 MB, 400 ms: 400 × 2.1e-9 × 1 = 8.40e-7
//   256 MB, 180 ms: 180 × 2.1e-9 × 2 = 7.56e-7   ← cheapest
//   512 MB, 100 ms: 100 × 2.1e-9 × 4 = 8.40e-7
//  1024 MB,  60 ms:  60 × 2.1e-9 × 8 = 1.008e-6  ← fastest
// balanced, w = 0.5 (maxCost 1.008e-6, maxDuration 400):
//   128: 0.5 × 0.8333 + 0.5 × 1.00 = 0.9167
//   256: 0.5 × 0.7500 + 0.5 × 0.45 = 0.6000
//   512: 0.5 × 0.8333 + 0.5 × 0.25 = 0.5417   ← balanced
//  1024: 0.5 × 1.0000 + 0.5 × 0.15 = 0.5750
const FIXTURE = [measured(128, 400), measured(256, 180), measured(512, 100), measured(1024, 60)];

describe('strategies', () => {
  test('figures of the fixture', () => {
    const expected = [8.4e-7, 7.56e-7, 8.4e-7, 1.008e-6];
    FIXTURE.forEach((m, i) => expect(m.averageCost).toBeCloseTo(expected[i], 20));
    expect(FIXTURE.map((m) => m.averageDurationMs)).toEqual([400, 180, 100, 60]);
  });

  test('cost picks the cheapest, speed the fastest', () => {
    expect(recommend(FIXTURE, 'cost', 0.5)?.powerMb).toBe(256);
    expect(recommend(FIXTURE, 'speed', 0.5)?.powerMb).toBe(1024);
  });

  test('balanced minimizes w·cost/maxCost + (1−w)·duration/maxDuration', () => {
    const r = recommend(FIXTURE, 'balanced', 0.5);
    expect(r?.powerMb).toBe(512);
    expect(r?.balancedScore).toBeCloseTo(0.5 * (8.4e-7 / 1.008e-6) + 0.5 * (100 / 400), 12);
    // w = 0.8 leans to cost: 256 scores 0.8 × 0.75 + 0.2 × 0.45 = 0.69
    expect(recommend(FIXTURE, 'balanced', 0.8)?.powerMb).toBe(256);
    // the ends of the range are the other strategies
    expect(recommend(FIXTURE, 'balanced', 1)?.powerMb).toBe(256);
    expect(recommend(FIXTURE, 'balanced', 0)?.powerMb).toBe(1024);
  });

  test('ties go to the smaller memory, whatever the input order', () => {
    const a = { ...measured(512, 100), averageCost: 5e-7, averageDurationMs: 50 };
    const b = { ...measured(256, 100), averageCost: 5e-7, averageDurationMs: 50 };
    expect(recommend([a, b], 'cost', 0.5)?.powerMb).toBe(256);
    expect(recommend([a, b], 'speed', 0.5)?.powerMb).toBe(256);
    expect(recommend([a, b], 'balanced', 0.5)?.powerMb).toBe(256);
  });
});

describe('analyze', () => {
  const skipped: SkippedPowerValue = { status: 'skipped', powerMb: 128, reason: 'timeout: Task timed out after 3.00 seconds' };

  test('skipped values are listed with their reason and left out of the choice', () => {
    const out = analyze([FIXTURE[3], skipped, FIXTURE[1], FIXTURE[2]], 'cost', 0.5);
    expect(out.recommendation?.powerMb).toBe(256);
    expect(out.measured.map((m) => m.powerMb)).toEqual([256, 512, 1024]);
    expect(out.skipped).toEqual([skipped]);
    expect(out.totalCost).toBeCloseTo(FIXTURE.slice(1).reduce((s, m) => s + m.totalCost, 0), 20);
    expect(out.message).toBeUndefined();
  });

  test('every value skipped: no recommendation and a message naming each reason', () => {
    const out = analyze([skipped, { status: 'skipped', powerMb: 256, reason: 'invocation failed: Error: boom' }], 'speed', 0.5);
    expect(out.recommendation).toBeUndefined();
    expect(out.message).toBe(
      'Every power value failed, so there is no recommendation: 128 MB: timeout: Task timed out after 3.00 seconds; 256 MB: invocation failed: Error: boom.',
    );
  });

  test('skipped values\' invocations count in the total cost and the invocation count', () => {
    const partly: SkippedPowerValue = { status: 'skipped', powerMb: 128, reason: 'timeout: x', invocations: 3, totalCost: 5e-6 };
    const out = analyze([FIXTURE[1], partly], 'cost', 0.5);
    expect(out.totalCost).toBeCloseTo(FIXTURE[1].totalCost + 5e-6, 20);
    expect(out.invocations).toBe(13);
  });

  test('the anchor\'s cost tie-break differs: it takes the faster value, we take the smaller memory', () => {
    // Same average cost, 256 MB is faster. The anchor would pick 256; we pick 128 (documented).
    const slow = { ...measured(128, 200), averageCost: 4.2e-7 };
    const fast = { ...measured(256, 100), averageCost: 4.2e-7 };
    expect(recommend([fast, slow], 'cost', 0.5)?.powerMb).toBe(128);
  });
});

describe('cold-start tuning ranks by duration including init', () => {
  test('speed and balanced use duration + init when onlyColdStarts measured it', () => {
    // 256 MB bills less but initializes slowly; with init, 512 MB is faster.
    const slowInit = { ...measured(256, 50), averageColdStartDurationMs: 50 + 900 };
    const fastInit = { ...measured(512, 60), averageColdStartDurationMs: 60 + 300 };
    expect(recommend([slowInit, fastInit], 'speed', 0.5)?.powerMb).toBe(512);
    // Without the cold-start figure, billed duration decides.
    expect(recommend([measured(256, 50), measured(512, 60)], 'speed', 0.5)?.powerMb).toBe(256);
    // balanced, w = 0: pure duration, so it follows speed.
    expect(recommend([slowInit, fastInit], 'balanced', 0)?.powerMb).toBe(512);
  });
});

describe('Step Functions cost of the run', () => {
  test('transitions of today\'s definition x the Standard price (USD 0.025 per 1,000)', () => {
    const results = [FIXTURE[0], FIXTURE[1], { status: 'skipped' as const, powerMb: 3008, reason: 'the executor failed (States.Timeout): x' }];
    // 9 fixed + 3 ExecutePowerValue + 1 MarkSkipped + one publish call (PublishVersions, AllPublished)
    expect(stepFunctionsCost('eu-west-1', results, 3)).toEqual({ stateTransitions: 15, cost: 15 * 0.000025 });
    // 2 more states per version, priced in Sao Paulo (USD 0.0375 per 1,000)
    const perVersion = stepFunctionsCost('sa-east-1', results, 3, { statesPerVersion: 2 });
    expect(perVersion.stateTransitions).toBe(21);
    expect(perVersion.cost).toBeCloseTo(21 * 0.0000375, 15);
    // 60 versions take three publish calls of at most 25
    expect(stepFunctionsCost('eu-west-1', results, 60).stateTransitions).toBe(9 + 4 + 3 * 2);
  });

  test('the output carries it, and a dry run is flagged', () => {
    const sfn = stepFunctionsCost('us-east-1', FIXTURE, 4);
    const out = analyze(FIXTURE, 'cost', 0.5, undefined, { stepFunctions: sfn, dryRun: true });
    expect(out.stepFunctions).toEqual(sfn);
    expect(out.dryRun).toBe(true);
    expect(out.currency).toBe('USD');
    expect(analyze(FIXTURE, 'cost', 0.5).dryRun).toBeUndefined();
  });
});
