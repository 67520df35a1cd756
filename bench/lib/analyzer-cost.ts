import { nowMs } from './events';
import { Summary, summarize } from './stats';
import { analyze, MeasuredPowerValue } from '../../src/power-tuning/contract/analyzer';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';

const POWER_VALUES = [128, 256, 512, 1024, 1536, 1769, 3008];

export interface AnalyzerCost {
  readonly invocations: number;
  readonly powerValues: number;
  readonly ms: Summary;
}

/**
 * Time for the analyzer's pure core (the code the tuner's analyzer and the report use) to
 * turn `invocations` REPORT results, spread over the default power values, into cost
 * figures per value and a recommendation.
 */
export function analyzerCost(invocations: number, rounds: number): AnalyzerCost {
  const perValue = Math.ceil(invocations / POWER_VALUES.length);
  // Deterministic pseudo-durations: faster with more memory, with jitter and outliers.
  const durations = POWER_VALUES.map((mb, v) =>
    Array.from({ length: perValue }, (_, i) => {
      const base = 4000 / (mb / 128) + 5;
      const jitter = ((i * 7919 + v * 104729) % 1000) / 100;
      return i % 97 === 0 ? base * 3 : base + jitter;
    }),
  );
  const prices = lambdaPrices('us-east-1', 'arm64', true);
  const samples: number[] = [];
  for (let r = 0; r < Math.max(rounds, 15); r++) {
    const t0 = nowMs();
    const measured: MeasuredPowerValue[] = POWER_VALUES.map((mb, v) => ({
      status: 'measured',
      powerMb: mb,
      invocations: perValue,
      coldStarts: 0,
      ...costFigures(prices, mb, durations[v].map(Math.ceil), durations[v], 0.2),
    }));
    const output = analyze(measured, 'balanced', 0.5);
    samples.push(nowMs() - t0);
    if (!output.recommendation) throw new Error('the analyzer returned no recommendation');
  }
  return { invocations: perValue * POWER_VALUES.length, powerValues: POWER_VALUES.length, ms: summarize(samples) };
}
