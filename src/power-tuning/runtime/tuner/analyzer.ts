import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TuningPlan } from './plan';
import { analyze, PowerValueResult, stepFunctionsCost, TunerDefinitionFacts, tunerDefinitionShape, TuningOutput } from '../../contract/analyzer';
import { lambdaPrices } from '../../contract/cost-model';
import { renderReport } from '../../contract/report-html';
import { ON_DEPLOY_INPUT, RunConfig } from '../../contract/tuning-input';

export interface AnalyzerDeps {
  /** Needed only when `parameterName` is set. */
  readonly ssm?: Pick<SSMClient, 'send'>;
  /** SSM parameter that receives a summary of each successful run. */
  readonly parameterName?: string;
}

export interface AnalyzerEvent {
  readonly plan: TuningPlan;
  readonly results: PowerValueResult[];
  /** What the synthesized definition holds, for the Step Functions cost (set by the construct). */
  readonly definition?: Pick<TunerDefinitionFacts, 'onDeployChoice'>;
  /** The execution's input: whether a deployment started this run. */
  readonly input?: Record<string, unknown>;
}

/** The execution output embeds the report while the output stays well under Step Functions' 256 KB. */
const MAX_EMBEDDED_REPORT_CHARS = 150_000;

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
    const { function: fn, targets } = event.plan;
    const config: RunConfig = event.plan.config;
    const prices = lambdaPrices(fn.region, fn.architecture, config.includeRequestCost);
    const versions = (targets ?? []).reduce((n, t) => n + t.aliases.length, 0);
    const analysis = analyze(event.results, config.strategy, config.balancedWeight, {
      functionName: fn.name,
      region: fn.region,
      architecture: fn.architecture,
      num: config.num,
      discardTopBottom: config.discardTopBottom,
      includeRequestCost: config.includeRequestCost,
      durationPricePerMsAt128Mb: prices.durationPerMsAt128Mb,
      requestPrice: prices.perRequest,
    }, {
      stepFunctions: stepFunctionsCost(fn.region, event.results, versions, tunerDefinitionShape({
        onDeployChoice: event.definition?.onDeployChoice === true,
        startedByDeploy: event.input?.[ON_DEPLOY_INPUT] === true,
        adaptive: config.sampling?.mode === 'adaptive',
      })),
      dryRun: config.dryRun,
    });
    const output = withReport(analysis, `Power tuning: ${fn.name}`);
    // A dry run checks the set-up; its one invocation per value is no result for pipelines.
    if (output.recommendation && !config.dryRun && deps.parameterName && deps.ssm) {
      await deps.ssm.send(
        new PutParameterCommand({ Name: deps.parameterName, Value: parameterValue(output), Type: 'String', Overwrite: true }),
      );
    }
    return output;
  };
}

/**
 * The output with its self-contained HTML report embedded (`report.html`): open the
 * execution output, save that field as a file, and the browser shows it with nothing
 * fetched. Left out, with a note, when it would make the output too large.
 */
export function withReport(output: TuningOutput, title: string): TuningOutput & { report: { html?: string; note?: string } } {
  const html = renderReport(output, title);
  return html.length <= MAX_EMBEDDED_REPORT_CHARS
    ? { ...output, report: { html } }
    : { ...output, report: { note: `The report (${html.length} characters) is too large to embed; render it with cdk-serverless-powertools-report.` } };
}

/** The full output when it fits a standard parameter, otherwise the recommendation and the per-value figures that matter. */
export function parameterValue(output: TuningOutput): string {
  // The report is for people; the parameter is for pipelines.
  const { report: _report, ...rest } = output as TuningOutput & { report?: unknown };
  const full = JSON.stringify(rest);
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
