import { CostFigures } from './cost-model';
import { StrategyName } from './tuning-input';

/** One power value that was measured. */
export interface MeasuredPowerValue extends CostFigures {
  readonly status: 'measured';
  readonly powerMb: number;
  /** Invocations whose REPORT record was read. */
  readonly invocations: number;
  /** Invocations that were cold starts (their REPORT record has an init duration). */
  readonly coldStarts: number;
}

/** One power value that was not measured, with why. */
export interface SkippedPowerValue {
  readonly status: 'skipped';
  readonly powerMb: number;
  readonly reason: string;
}

/** What the executor returns for one power value. */
export type PowerValueResult = MeasuredPowerValue | SkippedPowerValue;

/** The recommended power value. */
export interface Recommendation {
  readonly powerMb: number;
  readonly averageCost: number;
  readonly averageDurationMs: number;
  /** The balanced score (lower is better); present for the balanced strategy. */
  readonly balancedScore?: number;
}

/** The machine-readable result of a tuning run: the execution output and the report's input. */
export interface TuningOutput {
  readonly strategy: StrategyName;
  readonly balancedWeight: number;
  /** Absent when every power value was skipped. */
  readonly recommendation?: Recommendation;
  /** Measured power values, by ascending memory. */
  readonly measured: MeasuredPowerValue[];
  /** Skipped power values with their reasons, by ascending memory. */
  readonly skipped: SkippedPowerValue[];
  /** Total cost of every invocation of the run. */
  readonly totalCost: number;
  /** Set when there is no recommendation: why. */
  readonly message?: string;
  /** What was tuned and how it was priced. */
  readonly context?: TuningContext;
}

/** Facts about the run the figures depend on. */
export interface TuningContext {
  readonly functionName: string;
  readonly region: string;
  readonly architecture: string;
  readonly num: number;
  readonly discardTopBottom: number;
  readonly includeRequestCost: boolean;
  readonly durationPricePerMsAt128Mb: number;
  readonly requestPrice: number;
}

/**
 * Picks the power value the strategy prefers. Every strategy breaks ties by the smaller
 * memory (AWS Lambda Power Tuning breaks a cost tie by the faster value instead).
 * - cost: minimum average cost;
 * - speed: minimum average (billed) duration;
 * - balanced: minimum `w × cost / maxCost + (1 − w) × duration / maxDuration`.
 * Undefined when nothing was measured.
 */
export function recommend(measured: readonly MeasuredPowerValue[], strategy: StrategyName, balancedWeight: number): Recommendation | undefined {
  if (measured.length === 0) return undefined;
  const score = scorer(measured, strategy, balancedWeight);
  const best = [...measured].sort((a, b) => score(a) - score(b) || a.powerMb - b.powerMb)[0];
  return {
    powerMb: best.powerMb,
    averageCost: best.averageCost,
    averageDurationMs: best.averageDurationMs,
    balancedScore: strategy === 'balanced' ? score(best) : undefined,
  };
}

function scorer(measured: readonly MeasuredPowerValue[], strategy: StrategyName, w: number): (v: MeasuredPowerValue) => number {
  switch (strategy) {
    case 'cost':
      return (v) => v.averageCost;
    case 'speed':
      return (v) => v.averageDurationMs;
    case 'balanced': {
      // A zero maximum (free, instant invocations) would divide by zero; 1 keeps the score finite.
      const maxCost = Math.max(...measured.map((v) => v.averageCost)) || 1;
      const maxDuration = Math.max(...measured.map((v) => v.averageDurationMs)) || 1;
      return (v) => (w * v.averageCost) / maxCost + ((1 - w) * v.averageDurationMs) / maxDuration;
    }
  }
}

/** Turns the executor's per-value results into the run's output. */
export function analyze(
  results: readonly PowerValueResult[],
  strategy: StrategyName,
  balancedWeight: number,
  context?: TuningContext,
): TuningOutput {
  const byMemory = [...results].sort((a, b) => a.powerMb - b.powerMb);
  const measured = byMemory.filter((r): r is MeasuredPowerValue => r.status === 'measured');
  const skipped = byMemory.filter((r): r is SkippedPowerValue => r.status !== 'measured');
  const recommendation = recommend(measured, strategy, balancedWeight);
  const message = recommendation
    ? undefined
    : `Every power value failed, so there is no recommendation: ${skipped.map((s) => `${s.powerMb} MB: ${s.reason}`).join('; ') || 'no power value was run'}.`;
  return {
    strategy,
    balancedWeight,
    recommendation,
    measured,
    skipped,
    totalCost: measured.reduce((sum, v) => sum + v.totalCost, 0),
    message,
    context,
  };
}
