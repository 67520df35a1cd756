import { analyze, MeasuredPowerValue, recommend, SkippedPowerValue } from '../../src/power-tuning/contract/analyzer';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';

const X86 = lambdaPrices('us-east-1', 'x86_64', false);

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

  test('the anchor\'s cost tie-break differs: it takes the faster value, we take the smaller memory', () => {
    // Same average cost, 256 MB is faster. The anchor would pick 256; we pick 128 (documented).
    const slow = { ...measured(128, 200), averageCost: 4.2e-7 };
    const fast = { ...measured(256, 100), averageCost: 4.2e-7 };
    expect(recommend([fast, slow], 'cost', 0.5)?.powerMb).toBe(128);
  });
});
