import { createHash } from 'node:crypto';
import type { TuningConfig } from '../../contract/tuning-input';

/**
 * Everything a run creates carries its run id, a hash of its execution ARN, so a run's
 * cleanup deletes only its own aliases and versions, never another run's nor a user's.
 */
export const ALIAS_PREFIX = 'tune-';
/** A version the tuner publishes has exactly this description plus the run id. */
export const VERSION_DESCRIPTION = 'cdk-serverless-powertools power tuning run';
const RUN_ID_LENGTH = 16;
const RUN_ID = `[0-9a-f]{${RUN_ID_LENGTH}}`;
const ALIAS_PATTERN = new RegExp(`^${ALIAS_PREFIX}(${RUN_ID})-[0-9]+(?:-[0-9]+)?$`);
const VERSION_DESCRIPTION_PATTERN = new RegExp(`^${VERSION_DESCRIPTION} (${RUN_ID})$`);
/**
 * While a run publishes, $LATEST's description ends with this mark: the run, the power
 * value it set and the memory the function had when the run started. A run that was
 * stopped or timed out leaves it behind, and the next run's cleanup reads it to give the
 * function its memory back.
 */
const MARK_PATTERN = new RegExp(` \\[power-tuning (${RUN_ID}) ([0-9]+)MB of ([0-9]+)MB #([0-9]+)\\]$`);
/** The mark of earlier releases (no run id): stripped, never acted on. */
const LEGACY_MARK_PATTERN = / \[power-tuning [0-9]+-[0-9]+\]$/;
const MAX_DESCRIPTION_CHARS = 256;

/** The run an execution is: the first 16 hex digits of the SHA-256 of its ARN. */
export function runIdOf(executionArn: string): string {
  return createHash('sha256').update(executionArn).digest('hex').slice(0, RUN_ID_LENGTH);
}

export function aliasName(runId: string, powerMb: number, index: number | undefined): string {
  return `${ALIAS_PREFIX}${runId}-${powerMb}${index === undefined ? '' : `-${index}`}`;
}

/** The run an alias belongs to, if the tuner made it. */
export function runOfAlias(name: string): string | undefined {
  return ALIAS_PATTERN.exec(name)?.[1];
}

export function versionDescription(runId: string): string {
  return `${VERSION_DESCRIPTION} ${runId}`;
}

/** The run a version belongs to, if the tuner published it. */
export function runOfVersion(description: string | undefined): string | undefined {
  return VERSION_DESCRIPTION_PATTERN.exec(description ?? '')?.[1];
}

/** What a run's mark on $LATEST says. */
export interface RunMark {
  readonly runId: string;
  readonly powerMb: number;
  readonly originalMemoryMb: number;
  readonly index: number;
}

/** $LATEST's description while a run has set `powerMb`; distinct per step, so every publish makes a new version. */
export function markedDescription(original: string, mark: RunMark): string {
  const text = ` [power-tuning ${mark.runId} ${mark.powerMb}MB of ${mark.originalMemoryMb}MB #${mark.index}]`;
  return `${original.slice(0, MAX_DESCRIPTION_CHARS - text.length)}${text}`;
}

export function readMark(description: string | undefined): RunMark | undefined {
  const m = MARK_PATTERN.exec(description ?? '');
  if (!m) return undefined;
  return { runId: m[1], powerMb: Number(m[2]), originalMemoryMb: Number(m[3]), index: Number(m[4]) };
}

/** The description without the tuner's mark (of this release or an earlier one). */
export function unmarkedDescription(description: string): string {
  return description.replace(MARK_PATTERN, '').replace(LEGACY_MARK_PATTERN, '');
}

/** The function being tuned, as the initializer found it at run start. */
export interface TunedFunctionFacts {
  readonly name: string;
  readonly region: string;
  readonly architecture: string;
  readonly timeoutMs: number;
  /** The memory $LATEST had when this run started: what the run gives it back. */
  readonly originalMemoryMb: number;
  readonly originalDescription: string;
}

/** One power value and the aliases to invoke for it (one, or `num` for cold starts). */
export interface PowerTarget {
  readonly powerMb: number;
  readonly aliases: string[];
}

/** The execution this run is, from the state machine's context object. */
export interface RunExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
}

/** The initializer's output, carried through the state machine as `$.plan`. */
export interface TuningPlan {
  readonly runId: string;
  readonly config: TuningConfig;
  readonly function: TunedFunctionFacts;
  readonly targets: PowerTarget[];
  /** What the run removed of earlier runs that were stopped or timed out. */
  readonly leftoversRemoved: { readonly aliases: string[]; readonly versions: string[]; readonly restoredMemory: boolean };
}

/** One publish step: a power value, and which of its aliases. */
export interface PublishStep {
  readonly powerMb: number;
  readonly index: number;
  readonly alias: string;
}

/** The plan's publish steps in order: one per alias. */
export function publishSteps(plan: Pick<TuningPlan, 'targets'>): PublishStep[] {
  return plan.targets.flatMap((t) => t.aliases.map((alias, index) => ({ powerMb: t.powerMb, index, alias })));
}
