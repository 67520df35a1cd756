import {
  costFigures,
  DURATION_PRICE_PER_GB_SECOND,
  durationCost,
  invocationsCost,
  lambdaPrices,
  perMsPriceAt128Mb,
  regionIsPriced,
  stateTransitionsCost,
  totalDurationCost,
  trimmedMean,
} from '../../src/power-tuning/contract/cost-model';

// The anchor (AWS Lambda Power Tuning) computes, for billed durations d at memory m:
//   averageDuration = trimmed mean of d (floor(n × discard) dropped at each end of the sorted list)
//   averagePrice    = ceil(averageDuration) × basePrice × (m / 128)
//   totalCost       = Σ ceil(d_i) × basePrice × (m / 128)
// with basePrice 2.1e-9 (x86_64 default), 1.7e-9 (arm64). The expectations below are
// worked out by hand from those formulas.
const BILLED = [10, 12, 11, 100, 9, 13, 12, 11, 10, 8];

// Published prices (https://aws.amazon.com/lambda/pricing/), per GB-second, first tier:
// x86_64 0.0000166667, arm64 0.0000133334. Per ms at 128 MB: × 0.125 GB × 0.001 s.
const X86_PER_MS = 0.0000166667 / 8000; // 2.0833375e-9
const ARM_PER_MS = 0.0000133334 / 8000; // 1.666675e-9

describe('prices', () => {
  test('per-ms prices are derived from the per-GB-second prices, per architecture', () => {
    expect(perMsPriceAt128Mb(0.0000166667)).toBeCloseTo(2.0833375e-9, 20);
    expect(lambdaPrices('us-east-1', 'x86_64', false)).toEqual({ durationPerMsAt128Mb: X86_PER_MS, perRequest: 0 });
    expect(lambdaPrices('us-east-1', 'arm64', false)).toEqual({ durationPerMsAt128Mb: ARM_PER_MS, perRequest: 0 });
    // The anchor's rounded table (2.1e-9, 1.7e-9) is 0.8 % and 2 % above the published prices.
    expect(2.1e-9 / X86_PER_MS).toBeCloseTo(1.008, 3);
    expect(1.7e-9 / ARM_PER_MS).toBeCloseTo(1.02, 3);
  });

  test('the regions that charge more, each for both architectures', () => {
    expect(lambdaPrices('af-south-1', 'x86_64', false).durationPerMsAt128Mb).toBeCloseTo(0.0000221 / 8000, 20);
    expect(lambdaPrices('ap-east-1', 'arm64', false).durationPerMsAt128Mb).toBeCloseTo(0.0000183 / 8000, 20);
    expect(lambdaPrices('eu-south-1', 'x86_64', false).durationPerMsAt128Mb).toBeCloseTo(0.0000195172 / 8000, 20);
    for (const region of Object.keys(DURATION_PRICE_PER_GB_SECOND.x86_64)) {
      // every listed region is priced for both architectures, and arm64 is cheaper
      expect(DURATION_PRICE_PER_GB_SECOND.arm64[region]).toBeLessThan(DURATION_PRICE_PER_GB_SECOND.x86_64[region]);
    }
    expect(regionIsPriced('me-central-1', 'arm64')).toBe(true);
    // unlisted regions, Osaka and China included, fall back to the default
    expect(regionIsPriced('ap-northeast-3', 'x86_64')).toBe(false);
    expect(lambdaPrices('cn-north-1', 'x86_64', false).durationPerMsAt128Mb).toBe(X86_PER_MS);
  });

  test('the request term is separate: 0.20 USD per million, 0 when off', () => {
    expect(lambdaPrices('eu-west-1', 'arm64', true).perRequest).toBe(2e-7);
    expect(lambdaPrices('eu-west-1', 'arm64', false).perRequest).toBe(0);
  });

  test('Step Functions Standard: per state transition, per region', () => {
    expect(stateTransitionsCost('us-east-1', 1000)).toBeCloseTo(0.025, 12);
    expect(stateTransitionsCost('eu-west-3', 1000)).toBeCloseTo(0.0297, 12);
    expect(stateTransitionsCost('xx-unknown-1', 40)).toBeCloseTo(0.001, 12);
  });

  test('an unknown architecture is a clear error', () => {
    expect(() => lambdaPrices('us-east-1', 'mips', true)).toThrow(/Unsupported Lambda architecture "mips"/);
  });
});

describe('trimmed mean (the anchor\'s computeAverageDuration)', () => {
  test('drops floor(n × fraction) values at each end', () => {
    // sorted: 8 9 | 10 10 11 11 12 12 | 13 100 → 66 / 6
    expect(trimmedMean(BILLED, 0.2)).toBe(11);
    // floor(10 × 0.4) = 4 each side → 11 11 → 11
    expect(trimmedMean(BILLED, 0.4)).toBe(11);
    // nothing dropped: 196 / 10
    expect(trimmedMean(BILLED, 0)).toBe(19.6);
    // 5 values × 0.2 = 1 each side: 2 3 4 → 3
    expect(trimmedMean([5, 1, 4, 2, 3], 0.2)).toBe(3);
    // 4 values × 0.2 = 0.8 → nothing dropped
    expect(trimmedMean([1, 2, 3, 10], 0.2)).toBe(4);
  });

  test('does not reorder its input, and an empty list averages to 0', () => {
    const input = [3, 1, 2];
    trimmedMean(input, 0.2);
    expect(input).toEqual([3, 1, 2]);
    expect(trimmedMean([], 0.2)).toBe(0);
  });
});

describe('cost (the anchor\'s computePrice and computeTotalCost)', () => {
  test('ceil(ms) × price at 128 MB × memory / 128', () => {
    expect(durationCost(2.1e-9, 256, 11)).toBe(11 * 2.1e-9 * 2);
    expect(durationCost(2.1e-9, 256, 11)).toBeCloseTo(4.62e-8, 20);
    // 10.2 ms bills as 11
    expect(durationCost(2.1e-9, 256, 10.2)).toBe(durationCost(2.1e-9, 256, 11));
    expect(durationCost(1.7e-9, 1024, 100)).toBeCloseTo(100 * 1.7e-9 * 8, 20);
  });

  test('total is the sum of every invocation\'s cost', () => {
    // Σ billed = 196 → 196 × 2.1e-9 × 2 = 8.232e-7
    expect(totalDurationCost(2.1e-9, 256, BILLED)).toBeCloseTo(8.232e-7, 20);
    expect(totalDurationCost(2.1e-9, 256, BILLED)).toBe(BILLED.map((d) => Math.ceil(d) * 2.1e-9 * (256 / 128)).reduce((a, b) => a + b, 0));
    expect(totalDurationCost(2.1e-9, 256, [])).toBe(0);
  });
});

describe('figures of one power value', () => {
  const measured = BILLED.map((b) => b - 0.4);

  test('with the request term off and the anchor\'s price they equal its averagePrice, averageDuration and totalCost exactly', () => {
    const f = costFigures({ durationPerMsAt128Mb: 2.1e-9, perRequest: 0 }, 256, BILLED, measured, 0.2);
    expect(f.averageDurationMs).toBe(11);
    expect(f.averageDurationCost).toBe(Math.ceil(11) * 2.1e-9 * (256 / 128));
    expect(f.averageCost).toBe(f.averageDurationCost);
    expect(f.requestCost).toBe(0);
    expect(f.totalCost).toBe(BILLED.map((d) => Math.ceil(d) * 2.1e-9 * (256 / 128)).reduce((a, b) => a + b, 0));
    expect(f.averageMeasuredDurationMs).toBeCloseTo(10.6, 10);
  });

  test('with the request term on, it is added per invocation and nothing else changes', () => {
    const off = costFigures(lambdaPrices('eu-west-1', 'arm64', false), 1024, BILLED, measured, 0.2);
    const on = costFigures(lambdaPrices('eu-west-1', 'arm64', true), 1024, BILLED, measured, 0.2);
    expect(on.averageDurationCost).toBe(off.averageDurationCost);
    expect(on.averageCost).toBeCloseTo(off.averageCost + 2e-7, 20);
    expect(on.totalCost).toBeCloseTo(off.totalCost + 10 * 2e-7, 20);
    // arm64, 1024 MB, 11 ms: 11 × 1.666675e-9 × 8 = 1.466674e-7
    expect(off.averageCost).toBeCloseTo(1.466674e-7, 18);
  });

  test('invocations of a skipped value cost what they billed, request terms included', () => {
    const prices = lambdaPrices('eu-west-1', 'arm64', true);
    // 13 + 10 billed ms at 512 MB: 23 × 1.666675e-9 × 4, plus 2 requests
    expect(invocationsCost(prices, 512, [12.2, 10])).toBeCloseTo(23 * ARM_PER_MS * 4 + 2 * 2e-7, 18);
    expect(invocationsCost(prices, 512, [])).toBe(0);
  });
});
