import { CostFigures, PRICE_CURRENCY, stateTransitionsCost } from './cost-model';
import { StrategyName } from './tuning-input';

/** One power value that was measured. */
export interface MeasuredPowerValue extends CostFigures {
  readonly status: 'measured';
  readonly powerMb: number;
  /** Invocations whose REPORT record was read. */
  readonly invocations: number;
  /** Invocations that were cold starts (their REPORT record has an init duration). */
  readonly coldStarts: number;
  /** Trimmed mean of the init durations of the cold starts; absent without any. */
  readonly averageInitDurationMs?: number;
  /**
   * With `onlyColdStarts`: trimmed mean of duration + init duration, the latency a cold
   * request sees. The speed strategy and the balanced score rank by it (as AWS Lambda
   * Power Tuning does), since the init is what cold-start tuning is about.
   */
  readonly averageColdStartDurationMs?: number;
  /** Invocations that failed with an `allowedExceptions` error type and were counted as successful. */
  readonly allowedErrors?: number;
  /** With adaptive sampling: why this value got fewer than `num` invocations. */
  readonly stoppedEarly?: string;
}

/** One power value that was not measured, with why. */
export interface SkippedPowerValue {
  readonly status: 'skipped';
  readonly powerMb: number;
  readonly reason: string;
  /** Invocations that ran (and were billed) before the value was skipped. */
  readonly invocations?: number;
  /** What those invocations cost. */
  readonly totalCost?: number;
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
  /** Total cost of every invocation of the run, skipped values' included. */
  readonly totalCost: number;
  /** Invocations of the tuned function the run made (measured and skipped values). */
  readonly invocations?: number;
  /** The Step Functions cost of the run itself (Standard workflow, estimated transitions). */
  readonly stepFunctions?: StepFunctionsCost;
  /** Set for a dry run: one invocation per value checked the set-up; the figures are not a measurement. */
  readonly dryRun?: boolean;
  /** The currency of every cost. */
  readonly currency?: string;
  /** Set when there is no recommendation: why. */
  readonly message?: string;
  /** What was tuned and how it was priced. */
  readonly context?: TuningContext;
}

/** What the state machine's own run cost. */
export interface StepFunctionsCost {
  /** State transitions of the run, estimated from the definition's shape and the results. */
  readonly stateTransitions: number;
  readonly cost: number;
}

/**
 * The definition's shape, for counting transitions: states entered once per run, per power
 * value, per published version and per call of the publishing loop. Retries are not counted.
 */
export interface DefinitionShape {
  readonly fixedStates?: number;
  readonly statesPerPowerValue?: number;
  /** States entered per published version (0 when versions are published in batches by a loop). */
  readonly statesPerVersion?: number;
  /** States entered per call of the publishing loop (the publish task and the loop's choice). */
  readonly statesPerPublishCall?: number;
  /** Versions one call of the publishing loop publishes at most. */
  readonly versionsPerPublishCall?: number;
}

/** Versions the tuner's publisher publishes per call of its loop, at most. */
export const MAX_VERSIONS_PER_PUBLISH_CALL = 25;

/** What the synthesized tuner definition (src/power-tuning/tuner.ts) holds beyond its fixed states. */
export interface TunerDefinitionFacts {
  /** The definition starts with the StartedByDeploy choice (tuneOnDeploy). */
  readonly onDeployChoice?: boolean;
  /** This run was started by a deployment, so it entered WaitAfterDeploy too. */
  readonly startedByDeploy?: boolean;
  /** Adaptive sampling: one ExecuteAdaptively task instead of the Execute map's iterations. */
  readonly adaptive?: boolean;
}

/**
 * The tuner definition's shape. Entered once per run: Defaults, Initialize,
 * PublishFromFirst, Sampling, Execute (the map) or ExecuteAdaptively, Cleanup, Analyze,
 * HasRecommendation and Done, plus StartedByDeploy and WaitAfterDeploy where they apply.
 * Per publish call: PublishVersions and AllPublished. Per power value (exhaustive
 * sampling): ExecutePowerValue, and MarkSkipped when the executor itself failed.
 * test/handlers/tuner-state-machine.test.ts checks it against the states an interpreted run enters.
 */
export function tunerDefinitionShape(facts: TunerDefinitionFacts = {}): Required<DefinitionShape> {
  const onDeployStates = (facts.onDeployChoice ? 1 : 0) + (facts.onDeployChoice && facts.startedByDeploy ? 1 : 0);
  return {
    fixedStates: 9 + onDeployStates,
    statesPerPowerValue: facts.adaptive ? 0 : 1,
    statesPerVersion: 0,
    statesPerPublishCall: 2,
    versionsPerPublishCall: MAX_VERSIONS_PER_PUBLISH_CALL,
  };
}

export const DEFAULT_DEFINITION_SHAPE: Required<DefinitionShape> = tunerDefinitionShape();

/** Estimated state transitions of a run and what they cost. */
export function stepFunctionsCost(
  region: string,
  results: readonly PowerValueResult[],
  versions: number,
  shape: DefinitionShape = {},
): StepFunctionsCost {
  const s = { ...DEFAULT_DEFINITION_SHAPE, ...shape };
  const executorFailures = results.filter((r) => r.status === 'skipped' && r.reason.startsWith('the executor failed')).length;
  const executorStates = s.statesPerPowerValue > 0 ? s.statesPerPowerValue * results.length + executorFailures : 0;
  const publishCalls = s.statesPerPublishCall > 0 ? Math.max(1, Math.ceil(versions / s.versionsPerPublishCall)) : 0;
  const stateTransitions = s.fixedStates + executorStates + s.statesPerVersion * versions + s.statesPerPublishCall * publishCalls;
  return { stateTransitions, cost: stateTransitionsCost(region, stateTransitions) };
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
      return rankingDuration;
    case 'balanced': {
      // A zero maximum (free, instant invocations) would divide by zero; 1 keeps the score finite.
      const maxCost = Math.max(...measured.map((v) => v.averageCost)) || 1;
      const maxDuration = Math.max(...measured.map(rankingDuration)) || 1;
      return (v) => (w * v.averageCost) / maxCost + ((1 - w) * rankingDuration(v)) / maxDuration;
    }
  }
}

/** The duration the strategies rank by: with init for cold-start runs, billed otherwise. */
export function rankingDuration(v: MeasuredPowerValue): number {
  return v.averageColdStartDurationMs ?? v.averageDurationMs;
}

/** Optional parts of the output that depend on the run rather than the results. */
export interface AnalysisExtras {
  readonly stepFunctions?: StepFunctionsCost;
  readonly dryRun?: boolean;
}

/** Turns the executor's per-value results into the run's output. */
export function analyze(
  results: readonly PowerValueResult[],
  strategy: StrategyName,
  balancedWeight: number,
  context?: TuningContext,
  extras: AnalysisExtras = {},
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
    totalCost: [...measured, ...skipped].reduce((sum, v) => sum + (v.totalCost ?? 0), 0),
    invocations: [...measured, ...skipped].reduce((sum, v) => sum + (v.invocations ?? 0), 0),
    message,
    context,
    currency: PRICE_CURRENCY,
    ...(extras.stepFunctions ? { stepFunctions: extras.stepFunctions } : {}),
    ...(extras.dryRun ? { dryRun: true } : {}),
  };
}
