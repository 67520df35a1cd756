/**
 * Adaptive sampling: stop invoking a power value once the evidence separates it from the
 * best candidate, instead of always invoking every value `num` times.
 *
 * Every value first gets `minInvocations`. After each round, each value still sampled gets
 * a confidence interval on the trimmed mean of what the strategy compares (cost, duration,
 * or the balanced score of each invocation), from the winsorized variance (Tukey and
 * McLaughlin's standard error of a trimmed mean, Student t quantile). A value whose
 * interval lies entirely above the best candidate's stops; sampling ends when only the
 * best is left or every value reached `num`. The same trimming as the analyzer's is used,
 * so what the interval describes is what the recommendation compares.
 *
 * Pure and dependency-free: the executor runs it against real invocations, the bench
 * against synthetic distributions.
 */
import { durationCost, LambdaPrices, trimmedMean } from './cost-model';
import type { StrategyName } from './tuning-input';

/** How many invocations each power value gets. */
export interface SamplingConfig {
  /** `fixed`: every value `num` times (the exhaustive sweep); `adaptive`: stop early once separated. */
  readonly mode: 'fixed' | 'adaptive';
  /** Adaptive only: invocations every value gets before any may stop. */
  readonly minInvocations?: number;
  /** Adaptive only: two-sided confidence of each interval, e.g. 0.95. */
  readonly confidence?: number;
}

export const FIXED_SAMPLING: SamplingConfig = { mode: 'fixed' };

export const ADAPTIVE_DEFAULTS = { minInvocations: 5, confidence: 0.95 };

export const SAMPLING_LIMITS = { minMinInvocations: 3, minConfidence: 0.5, maxConfidence: 0.999 };

/** One invocation as the sampler sees it. */
export interface Sample {
  readonly billedDurationMs: number;
  readonly durationMs: number;
  readonly initDurationMs?: number;
}

/** What the sampler needs to know about the run. */
export interface SamplerOptions {
  readonly num: number;
  readonly minInvocations: number;
  readonly confidence: number;
  readonly discardTopBottom: number;
  readonly strategy: StrategyName;
  readonly balancedWeight: number;
  readonly prices: LambdaPrices;
  readonly onlyColdStarts: boolean;
}

/** The sampler's decision after a round. */
export interface SamplingDecision {
  /** Power values to invoke once more, ascending. Empty: sampling is over. */
  readonly next: number[];
  /** Values that stopped before `num`, with why. */
  readonly stopped: Record<number, string>;
}

/** The problems with a sampling configuration (empty when fine), given the run's `num`. */
export function samplingProblems(value: unknown, num: number, name = 'sampling'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${name} must be {"mode":"fixed"} or {"mode":"adaptive","minInvocations":5,"confidence":0.95} (got ${JSON.stringify(value)}).`];
  }
  const s = value as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !['mode', 'minInvocations', 'confidence'].includes(k));
  if (unknown.length > 0) return [`${name} has unknown keys ${unknown.join(', ')}; it takes mode, minInvocations and confidence.`];
  if (s.mode === 'fixed') {
    return s.minInvocations !== undefined || s.confidence !== undefined
      ? [`${name}: minInvocations and confidence only apply to {"mode":"adaptive"}.`]
      : [];
  }
  if (s.mode !== 'adaptive') return [`${name}.mode must be "fixed" or "adaptive" (got ${JSON.stringify(s.mode)}).`];
  const problems: string[] = [];
  const min = s.minInvocations ?? ADAPTIVE_DEFAULTS.minInvocations;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < SAMPLING_LIMITS.minMinInvocations) {
    problems.push(`${name}.minInvocations must be a whole number of at least ${SAMPLING_LIMITS.minMinInvocations} (got ${JSON.stringify(min)}).`);
  } else if (min > num) {
    problems.push(`${name}.minInvocations (${min}) is above num (${num}): lower minInvocations or raise num.`);
  }
  const c = s.confidence ?? ADAPTIVE_DEFAULTS.confidence;
  if (typeof c !== 'number' || !(c >= SAMPLING_LIMITS.minConfidence && c <= SAMPLING_LIMITS.maxConfidence)) {
    problems.push(`${name}.confidence must be a number from ${SAMPLING_LIMITS.minConfidence} to ${SAMPLING_LIMITS.maxConfidence} (got ${JSON.stringify(c)}).`);
  }
  return problems;
}

/**
 * Decides which power values get another invocation, from every value's samples so far.
 * Values that already failed are left out by the caller.
 */
export function nextRound(samples: ReadonlyMap<number, readonly Sample[]>, options: SamplerOptions): SamplingDecision {
  const values = [...samples.keys()].sort((a, b) => a - b);
  const below = values.filter((mb) => samples.get(mb)!.length < options.minInvocations);
  if (below.length > 0) return { next: below, stopped: {} };
  const metric = metricOf(samples, options);
  const intervals = new Map(values.map((mb) => [mb, interval(metric(mb), options)]));
  const best = values.reduce((a, b) => (intervals.get(b)!.mean < intervals.get(a)!.mean ? b : a));
  const bestUpper = intervals.get(best)!.upper;
  const stopped: Record<number, string> = {};
  const open: number[] = [];
  for (const mb of values) {
    const n = samples.get(mb)!.length;
    if (mb === best) continue;
    if (intervals.get(mb)!.lower > bestUpper) {
      if (n < options.num) stopped[mb] = `separated from ${best} MB after ${n} invocations`;
    } else if (n < options.num) {
      open.push(mb);
    }
  }
  // The best keeps being sampled while anything may still beat it.
  const next = open.length > 0 && samples.get(best)!.length < options.num ? [...open, best].sort((a, b) => a - b) : open;
  if (next.length === 0 && samples.get(best)!.length < options.num) stopped[best] = `the best candidate, separated from every other value after ${samples.get(best)!.length} invocations`;
  return { next, stopped };
}

/** Per-invocation figures of what the strategy compares, for each value. */
function metricOf(samples: ReadonlyMap<number, readonly Sample[]>, o: SamplerOptions): (mb: number) => number[] {
  const duration = (s: Sample) => (o.onlyColdStarts ? s.durationMs + (s.initDurationMs ?? 0) : s.billedDurationMs);
  const cost = (mb: number, s: Sample) => durationCost(o.prices.durationPerMsAt128Mb, mb, s.billedDurationMs) + o.prices.perRequest;
  if (o.strategy === 'speed') return (mb) => samples.get(mb)!.map(duration);
  if (o.strategy === 'cost') return (mb) => samples.get(mb)!.map((s) => cost(mb, s));
  // Balanced: normalized by the largest averages so far, as the analyzer normalizes.
  const means = [...samples.entries()].map(([mb, list]) => ({
    cost: trimmedMean(list.map((s) => cost(mb, s)), o.discardTopBottom),
    duration: trimmedMean(list.map(duration), o.discardTopBottom),
  }));
  const maxCost = Math.max(...means.map((m) => m.cost)) || 1;
  const maxDuration = Math.max(...means.map((m) => m.duration)) || 1;
  const w = o.balancedWeight;
  return (mb) => samples.get(mb)!.map((s) => (w * cost(mb, s)) / maxCost + ((1 - w) * duration(s)) / maxDuration);
}

export interface Interval {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
}

/** Confidence interval of the trimmed mean (Tukey–McLaughlin standard error, Student t). */
export function interval(values: readonly number[], o: Pick<SamplerOptions, 'discardTopBottom' | 'confidence'>): Interval {
  const n = values.length;
  const mean = trimmedMean(values, o.discardTopBottom);
  const g = Math.floor(n * o.discardTopBottom);
  const df = n - 2 * g - 1;
  if (n < 2 || df < 1) return { mean, lower: -Infinity, upper: Infinity };
  const sorted = [...values].sort((a, b) => a - b);
  const winsorized = sorted.map((_, i) => sorted[Math.min(Math.max(i, g), n - g - 1)]);
  const wMean = winsorized.reduce((a, b) => a + b, 0) / n;
  const wVar = winsorized.reduce((a, b) => a + (b - wMean) ** 2, 0) / (n - 1);
  const se = Math.sqrt(wVar) / ((1 - (2 * g) / n) * Math.sqrt(n));
  const half = studentT((1 + o.confidence) / 2, df) * se;
  return { mean, lower: mean - half, upper: mean + half };
}

/** Quantile of Student's t (Cornish–Fisher expansion around the normal quantile; within 1 % for df ≥ 2). */
export function studentT(p: number, df: number): number {
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** Quantile of the standard normal distribution (Acklam's rational approximation). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  const numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q;
  return numerator / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
