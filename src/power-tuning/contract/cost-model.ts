/**
 * The power-tuning cost model, one implementation shared by the tuner's Lambda handlers
 * (bundled into assets/tuner), the report command and the tests.
 *
 * Per-ms prices are derived from the published per-GB-second prices, not rounded: a
 * 128 MB function billed for 1 ms uses 0.125 GB × 0.001 s. The formulas are AWS Lambda
 * Power Tuning's (`ceil(ms) × price per ms at 128 MB × memory / 128`, the same trimmed
 * mean); its price table rounds to two digits (2.1e-9 for x86_64, 1.7e-9 for arm64),
 * 1 to 2 % above the published prices, so our costs are that much lower than its.
 */

/** Lambda's smallest memory size; duration prices are quoted per ms at this size. */
export const BASE_MEMORY_MB = 128;

/** Instruction set architectures Lambda bills differently. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

/**
 * Published on-demand duration prices in USD per GB-second, first pricing tier, per
 * architecture and region (`default`: every region not listed, which all charge the
 * US East price).
 *
 * Sources, checked on 2026-12-01: https://aws.amazon.com/lambda/pricing/ (US East:
 * x86_64 0.0000166667, arm64 0.0000133334 per GB-second); the regions that charge more
 * (af-south-1, ap-east-1, eu-south-1, me-south-1, me-central-1), as transcribed from that
 * page in artillery's `lib/platform/aws-lambda/prices.js`, and each within the rounding
 * of AWS Lambda Power Tuning's per-ms table. Regions we could not check against two
 * sources are not listed and fall back to the default: ap-northeast-3 (the anchor has
 * 2.7e-9 per ms) and the China regions (priced in CNY). A region's price scales every
 * power value alike, so a fallback changes absolute costs, never the recommendation.
 *
 * Tiered pricing: above 6 billion GB-seconds a month (x86_64; 7.5 billion for arm64) an
 * account pays about 10 % less, and above 15 billion about 20 % less. A tuning run is
 * priced at the first tier; the report says so.
 */
export const DURATION_PRICE_PER_GB_SECOND: Readonly<Record<LambdaArchitecture, Readonly<Record<string, number>>>> = {
  x86_64: {
    'default': 0.0000166667,
    'af-south-1': 0.0000221,
    'ap-east-1': 0.00002292,
    'eu-south-1': 0.0000195172,
    'me-south-1': 0.0000206667,
    'me-central-1': 0.0000206667,
  },
  arm64: {
    'default': 0.0000133334,
    'af-south-1': 0.00001768,
    'ap-east-1': 0.0000183,
    'eu-south-1': 0.0000156138,
    'me-south-1': 0.0000165334,
    'me-central-1': 0.0000165334,
  },
};

/** The per-ms price of a 128 MB function from a per-GB-second price: × 0.125 GB × 0.001 s. */
export function perMsPriceAt128Mb(pricePerGbSecond: number): number {
  return (pricePerGbSecond * (BASE_MEMORY_MB / 1024)) / 1000;
}

/** Duration price per ms of a 128 MB function, derived from the table above. */
export const DURATION_PRICE_PER_MS_AT_128MB: Readonly<Record<LambdaArchitecture, Readonly<Record<string, number>>>> = {
  x86_64: perMsTable(DURATION_PRICE_PER_GB_SECOND.x86_64),
  arm64: perMsTable(DURATION_PRICE_PER_GB_SECOND.arm64),
};

function perMsTable(perGbSecond: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(perGbSecond).map(([region, price]) => [region, perMsPriceAt128Mb(price)]));
}

/**
 * Price of one request: USD 0.20 per million in every listed region
 * (https://aws.amazon.com/lambda/pricing/). It is the same for every memory size, so it
 * never changes which memory is cheapest on its own, but it does change the balanced
 * score and the absolute cost.
 */
export const REQUEST_PRICE: Readonly<Record<string, number>> = {
  default: 2e-7,
};

/**
 * Step Functions Standard workflows: USD per state transition, per region
 * (https://aws.amazon.com/step-functions/pricing/, "State transitions pricing table",
 * checked on 2026-12-01; USD 0.025 per 1,000 unless listed). The 4,000 free transitions a
 * month are not subtracted: other state machines of the account may use them.
 */
export const STATE_TRANSITION_PRICE: Readonly<Record<string, number>> = {
  'default': 0.025 / 1000,
  'us-west-1': 0.0279 / 1000,
  'sa-east-1': 0.0375 / 1000,
  'us-gov-east-1': 0.03 / 1000,
  'us-gov-west-1': 0.03 / 1000,
  'eu-west-3': 0.0297 / 1000,
  'ap-northeast-2': 0.0271 / 1000,
  'ap-south-1': 0.0285 / 1000,
};

/** The currency every listed price is in. */
export const PRICE_CURRENCY = 'USD';

/** The Step Functions cost of a number of state transitions in a region. */
export function stateTransitionsCost(region: string, transitions: number): number {
  return transitions * (STATE_TRANSITION_PRICE[region] ?? STATE_TRANSITION_PRICE.default);
}

/** The prices one tuning run uses. */
export interface LambdaPrices {
  /** Duration price per ms at 128 MB. */
  readonly durationPerMsAt128Mb: number;
  /** Price of one request; 0 when the request term is off. */
  readonly perRequest: number;
}

/** The prices for a region and architecture; `includeRequestCost: false` drops the request term. */
export function lambdaPrices(region: string, architecture: string, includeRequestCost: boolean): LambdaPrices {
  const table = DURATION_PRICE_PER_MS_AT_128MB[architecture as LambdaArchitecture];
  if (!table) {
    throw new Error(`Unsupported Lambda architecture "${architecture}": expected "x86_64" or "arm64".`);
  }
  return {
    durationPerMsAt128Mb: table[region] ?? table.default,
    perRequest: includeRequestCost ? REQUEST_PRICE[region] ?? REQUEST_PRICE.default : 0,
  };
}

/** Whether a region has its own duration price (false: it is priced at the default). */
export function regionIsPriced(region: string, architecture: string): boolean {
  return region in (DURATION_PRICE_PER_GB_SECOND[architecture as LambdaArchitecture] ?? {});
}

/**
 * Duration cost of one invocation: `ceil(billed ms) × price per ms at 128 MB × memory / 128`
 * (AWS Lambda Power Tuning's `computePrice`).
 */
export function durationCost(pricePerMsAt128Mb: number, memoryMb: number, billedDurationMs: number): number {
  return Math.ceil(billedDurationMs) * pricePerMsAt128Mb * (memoryMb / BASE_MEMORY_MB);
}

/** Duration cost of a list of invocations, summed (AWS Lambda Power Tuning's `computeTotalCost`). */
export function totalDurationCost(pricePerMsAt128Mb: number, memoryMb: number, billedDurationsMs: readonly number[]): number {
  return billedDurationsMs.map((ms) => durationCost(pricePerMsAt128Mb, memoryMb, ms)).reduce((a, b) => a + b, 0);
}

/**
 * Mean after discarding `floor(n × discardTopBottom)` values at each end of the sorted
 * list (AWS Lambda Power Tuning's `computeAverageDuration`). The input is not modified.
 * An empty list averages to 0.
 */
export function trimmedMean(values: readonly number[], discardTopBottom: number): number {
  if (values.length === 0) return 0;
  const discard = Math.floor(values.length * discardTopBottom);
  const kept = [...values].sort((a, b) => a - b).slice(discard, values.length - discard);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** Cost and duration figures of one power value, from its invocations. */
export interface CostFigures {
  /** Trimmed mean of the billed durations (what the strategies compare as "duration"). */
  readonly averageDurationMs: number;
  /** Trimmed mean of the measured (unbilled) durations. */
  readonly averageMeasuredDurationMs: number;
  /** Duration cost at the average billed duration (AWS Lambda Power Tuning's `averagePrice`). */
  readonly averageDurationCost: number;
  /** The request term of one invocation (0 when off). */
  readonly requestCost: number;
  /** `averageDurationCost + requestCost`: what the strategies compare as "cost". */
  readonly averageCost: number;
  /** Cost of every invocation of the run, request terms included (AWS Lambda Power Tuning's `totalCost` when the term is off). */
  readonly totalCost: number;
}

/** The figures for one power value from its billed and measured durations. */
export function costFigures(
  prices: LambdaPrices,
  memoryMb: number,
  billedDurationsMs: readonly number[],
  measuredDurationsMs: readonly number[],
  discardTopBottom: number,
): CostFigures {
  const averageDurationMs = trimmedMean(billedDurationsMs, discardTopBottom);
  const averageDurationCost = durationCost(prices.durationPerMsAt128Mb, memoryMb, averageDurationMs);
  return {
    averageDurationMs,
    averageMeasuredDurationMs: trimmedMean(measuredDurationsMs, discardTopBottom),
    averageDurationCost,
    requestCost: prices.perRequest,
    averageCost: averageDurationCost + prices.perRequest,
    totalCost: invocationsCost(prices, memoryMb, billedDurationsMs),
  };
}

/**
 * What a list of invocations cost, request terms included: also for a power value that was
 * skipped after some invocations ran, since those were billed all the same.
 */
export function invocationsCost(prices: LambdaPrices, memoryMb: number, billedDurationsMs: readonly number[]): number {
  return totalDurationCost(prices.durationPerMsAt128Mb, memoryMb, billedDurationsMs) + prices.perRequest * billedDurationsMs.length;
}
