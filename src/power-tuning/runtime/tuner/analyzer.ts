import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TuningPlan } from './plan';
import { analyze, PowerValueResult, TuningOutput } from '../../contract/analyzer';
import { lambdaPrices } from '../../contract/cost-model';

export interface AnalyzerDeps {
  /** Needed only when `parameterName` is set. */
  readonly ssm?: Pick<SSMClient, 'send'>;
  /** SSM parameter that receives a summary of each successful run. */
  readonly parameterName?: string;
}

export interface AnalyzerEvent {
  readonly plan: TuningPlan;
  readonly results: PowerValueResult[];
}

/** SSM standard parameters hold at most 4 KB. */
const MAX_PARAMETER_CHARS = 4096;

/**
 * Picks the recommendation with the run's strategy and, when configured, writes a
 * summary to the SSM parameter for pipelines. It never changes the function: applying
 * the recommendation is a code change (`memorySizeMb`), so CloudFormation stays the
 * source of truth. With nothing measured, the output has a `message` and no
 * recommendation, and the state machine fails the run with that message.
 */
export function createAnalyzer(deps: AnalyzerDeps): (event: AnalyzerEvent) => Promise<TuningOutput> {
  return async (event) => {
    if (!event?.plan?.config || !Array.isArray(event.results)) {
      throw new Error(`The analyzer needs { plan, results } from the state machine (got keys ${Object.keys(event ?? {}).join(', ')}).`);
    }
    const { config, function: fn } = event.plan;
    const prices = lambdaPrices(fn.region, fn.architecture, config.includeRequestCost);
    const output = analyze(event.results, config.strategy, config.balancedWeight, {
      functionName: fn.name,
      region: fn.region,
      architecture: fn.architecture,
      num: config.num,
      discardTopBottom: config.discardTopBottom,
      includeRequestCost: config.includeRequestCost,
      durationPricePerMsAt128Mb: prices.durationPerMsAt128Mb,
      requestPrice: prices.perRequest,
    });
    if (output.recommendation && deps.parameterName && deps.ssm) {
      await deps.ssm.send(
        new PutParameterCommand({ Name: deps.parameterName, Value: parameterValue(output), Type: 'String', Overwrite: true }),
      );
    }
    return output;
  };
}

/** The full output when it fits a standard parameter, otherwise the recommendation and the per-value figures that matter. */
export function parameterValue(output: TuningOutput): string {
  const full = JSON.stringify(output);
  if (full.length <= MAX_PARAMETER_CHARS) return full;
  const compact = JSON.stringify({
    strategy: output.strategy,
    balancedWeight: output.balancedWeight,
    recommendation: output.recommendation,
    measured: output.measured.map((m) => ({ powerMb: m.powerMb, averageCost: m.averageCost, averageDurationMs: m.averageDurationMs })),
    skipped: output.skipped.map((s) => s.powerMb),
  });
  if (compact.length <= MAX_PARAMETER_CHARS) return compact;
  return JSON.stringify({ strategy: output.strategy, recommendation: output.recommendation });
}
