import { MeasuredPowerValue, recommend } from '../../src/power-tuning/contract/analyzer';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';
import { ADAPTIVE_DEFAULTS, nextRound, Sample, SamplerOptions } from '../../src/power-tuning/contract/sampling';
import { StrategyName } from '../../src/power-tuning/contract/tuning-input';

const POWER_VALUES = [128, 256, 512, 1024, 1536, 1769, 3008];
const STRATEGIES: StrategyName[] = ['cost', 'speed', 'balanced'];
const DISCARD = 0.2;
const PRICES = lambdaPrices('us-east-1', 'arm64', true);

/** A seeded PRNG (Park–Miller, MINSTD): the same seed gives the same durations on every machine. */
function rng(seed: number): () => number {
  const m = 2147483647;
  let state = (seed % (m - 1)) + 1;
  return () => {
    state = (state * 48271) % m;
    return (state - 1) / (m - 1);
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** CPU-bound work of `cpuMs` at one full vCPU (1769 MB) plus `ioMs` that memory does not speed up. */
function expectedMs(mb: number, cpuMs: number, ioMs: number): number {
  return cpuMs * Math.max(1, 1769 / mb) + ioMs;
}

/** A synthetic duration distribution: the i-th invocation's measured ms at a memory size. */
export interface Scenario {
  readonly name: string;
  readonly describe: string;
  readonly draw: (mb: number, i: number, random: () => number) => number;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'noisy',
    describe: 'CPU-bound 150 ms at 1769 MB + 30 ms I/O, log-normal noise (sigma 0.25)',
    draw: (mb, _i, r) => expectedMs(mb, 150, 30) * Math.exp(0.25 * normal(r)),
  },
  {
    name: 'bimodal',
    describe: 'as noisy with sigma 0.1, and 25 % of invocations miss a cache (x2.5)',
    draw: (mb, _i, r) => expectedMs(mb, 150, 30) * Math.exp(0.1 * normal(r)) * (r() < 0.25 ? 2.5 : 1),
  },
  {
    name: 'cold starts',
    describe: 'as noisy with sigma 0.1, the first invocation of each value adds 600 ms of init',
    draw: (mb, i, r) => expectedMs(mb, 150, 30) * Math.exp(0.1 * normal(r)) + (i === 0 ? 600 : 0),
  },
  {
    name: 'nearly flat',
    describe: 'I/O-bound: 8 ms CPU + 120 ms I/O, noise sigma 0.15 (speed and balanced barely change with memory)',
    draw: (mb, _i, r) => expectedMs(mb, 8, 120) * Math.exp(0.15 * normal(r)),
  },
];

export interface AdaptiveRow {
  readonly scenario: string;
  readonly strategy: StrategyName;
  readonly trials: number;
  /** Adaptive invocations / exhaustive invocations. */
  readonly invocationShare: number;
  /** How often adaptive picks what the exhaustive sweep over the same invocations picks. */
  readonly agreement: number;
  /** How often two exhaustive sweeps over independent invocations agree: the noise floor. */
  readonly exhaustiveSelfAgreement: number;
  /** Mean relative excess of the adaptive pick's strategy figure over the exhaustive pick's, by the exhaustive figures. */
  readonly meanRegret: number;
}

export interface AdaptiveBench {
  readonly num: number;
  readonly minInvocations: number;
  readonly confidence: number;
  readonly rows: AdaptiveRow[];
}

type Streams = Map<number, Sample[]>;

function streams(scenario: Scenario, num: number, random: () => number): Streams {
  return new Map(
    POWER_VALUES.map((mb) => [
      mb,
      Array.from({ length: num }, (_, i) => {
        const ms = scenario.draw(mb, i, random);
        return { billedDurationMs: Math.ceil(ms), durationMs: ms };
      }),
    ]),
  );
}

function figures(samples: Streams): MeasuredPowerValue[] {
  return [...samples.entries()].map(([mb, list]) => ({
    status: 'measured',
    powerMb: mb,
    invocations: list.length,
    coldStarts: 0,
    ...costFigures(PRICES, mb, list.map((s) => s.billedDurationMs), list.map((s) => s.durationMs), DISCARD),
  }));
}

/** Runs the sampler over prefixes of the streams, as the executor runs it over invocations. */
function adaptive(all: Streams, options: SamplerOptions): Streams {
  const seen: Streams = new Map(POWER_VALUES.map((mb) => [mb, []]));
  for (;;) {
    const { next } = nextRound(seen, options);
    if (next.length === 0) return seen;
    for (const mb of next) seen.get(mb)!.push(all.get(mb)![seen.get(mb)!.length]);
  }
}

function strategyFigure(m: MeasuredPowerValue, strategy: StrategyName, all: MeasuredPowerValue[], w: number): number {
  if (strategy === 'cost') return m.averageCost;
  if (strategy === 'speed') return m.averageDurationMs;
  const maxCost = Math.max(...all.map((v) => v.averageCost));
  const maxDuration = Math.max(...all.map((v) => v.averageDurationMs));
  return (w * m.averageCost) / maxCost + ((1 - w) * m.averageDurationMs) / maxDuration;
}

/**
 * Adaptive against exhaustive sampling on synthetic distributions: for each trial, one set
 * of `num` invocations per value; the exhaustive sweep uses all of them, the adaptive one
 * a prefix of each, chosen by the sampler. Seeded, so every run gives the same table.
 */
export function adaptiveSamplingBench(trials: number, num = 30, sampling: { minInvocations?: number; confidence?: number } = {}): AdaptiveBench {
  const minInvocations = sampling.minInvocations ?? ADAPTIVE_DEFAULTS.minInvocations;
  const confidence = sampling.confidence ?? ADAPTIVE_DEFAULTS.confidence;
  const rows: AdaptiveRow[] = [];
  SCENARIOS.forEach((scenario, si) => {
    for (const strategy of STRATEGIES) {
      const random = rng(1000 * (si + 1) + STRATEGIES.indexOf(strategy));
      const options: SamplerOptions = {
        num, minInvocations, confidence, discardTopBottom: DISCARD, strategy, balancedWeight: 0.5, prices: PRICES, onlyColdStarts: false,
      };
      let used = 0;
      let agree = 0;
      let selfAgree = 0;
      let regret = 0;
      for (let t = 0; t < trials; t++) {
        const all = streams(scenario, num, random);
        const exhaustive = figures(all);
        const pickAll = recommend(exhaustive, strategy, 0.5)!.powerMb;
        const sampled = adaptive(all, options);
        used += [...sampled.values()].reduce((n, list) => n + list.length, 0);
        const pickAdaptive = recommend(figures(sampled), strategy, 0.5)!.powerMb;
        if (pickAdaptive === pickAll) agree++;
        const byMb = (mb: number) => exhaustive.find((m) => m.powerMb === mb)!;
        const best = strategyFigure(byMb(pickAll), strategy, exhaustive, 0.5);
        regret += strategyFigure(byMb(pickAdaptive), strategy, exhaustive, 0.5) / best - 1;
        if (recommend(figures(streams(scenario, num, random)), strategy, 0.5)!.powerMb === pickAll) selfAgree++;
      }
      rows.push({
        scenario: scenario.name,
        strategy,
        trials,
        invocationShare: used / (trials * num * POWER_VALUES.length),
        agreement: agree / trials,
        exhaustiveSelfAgreement: selfAgree / trials,
        meanRegret: regret / trials,
      });
    }
  });
  return { num, minInvocations, confidence, rows };
}
