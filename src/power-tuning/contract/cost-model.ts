/**
 * The power-tuning cost model, one implementation shared by the tuner's Lambda handlers
 * (bundled into assets/tuner), the report command and the tests.
 *
 * With the request term off, every figure equals what AWS Lambda Power Tuning computes
 * for the same billed durations: the same price constants, `ceil(ms) × price per ms at
 * 128 MB × memory / 128`, and the same trimmed mean.
 */

/** Lambda's smallest memory size; duration prices are quoted per ms at this size. */
export const BASE_MEMORY_MB = 128;

/** Instruction set architectures Lambda bills differently. */
export type LambdaArchitecture = 'x86_64' | 'arm64';

/**
 * Duration price per ms of a 128 MB function, per architecture and region (`default`
 * for every region not listed). The values are the ones AWS Lambda Power Tuning uses, so
 * results compare one to one; China regions are priced in CNY, all others in USD.
 */
export const DURATION_PRICE_PER_MS_AT_128MB: Readonly<Record<LambdaArchitecture, Readonly<Record<string, number>>>> = {
  x86_64: {
    'default': 2.1e-9,
    'ap-east-1': 2.9e-9,
    'af-south-1': 2.8e-9,
    'me-south-1': 2.6e-9,
    'eu-south-1': 2.4e-9,
    'ap-northeast-3': 2.7e-9,
    'cn-north-1': 1.42e-8,
    'cn-northwest-1': 1.42e-8,
  },
  arm64: {
    default: 1.7e-9,
  },
};

/**
 * Price of one request (USD 0.20 per million), the term AWS Lambda Power Tuning leaves
 * out. It is the same for every memory size, so it never changes which memory is
 * cheapest on its own, but it does change the balanced score and the absolute cost.
 * China regions charge CNY 1.36 per million.
 */
export const REQUEST_PRICE: Readonly<Record<string, number>> = {
  'default': 2e-7,
  'cn-north-1': 1.36e-6,
  'cn-northwest-1': 1.36e-6,
};

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
    totalCost: totalDurationCost(prices.durationPerMsAt128Mb, memoryMb, billedDurationsMs) + prices.perRequest * billedDurationsMs.length,
  };
}
