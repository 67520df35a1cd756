import type { TuningConfig } from '../../contract/tuning-input';

/** Every alias the tuner creates starts with this; the cleaner deletes exactly these. */
export const ALIAS_PREFIX = 'tune-';
/** Every version the tuner publishes carries this description; the cleaner deletes exactly these. */
export const VERSION_DESCRIPTION = 'cdk-serverless-powertools power tuning';
/** Appended to $LATEST's description to force a new version per cold-start alias; always removed again. */
export const DESCRIPTION_MARK = ' [power-tuning ';
const DESCRIPTION_MARK_PATTERN = / \[power-tuning [0-9]+-[0-9]+\]$/;

/** The function being tuned, as the initializer found it. */
export interface TunedFunctionFacts {
  readonly name: string;
  readonly region: string;
  readonly architecture: string;
  readonly timeoutMs: number;
  readonly originalMemoryMb: number;
}

/** One power value and the aliases to invoke for it (one, or `num` for cold starts). */
export interface PowerTarget {
  readonly powerMb: number;
  readonly aliases: string[];
}

/** The initializer's output, carried through the state machine as `$.plan`. */
export interface TuningPlan {
  readonly config: TuningConfig;
  readonly function: TunedFunctionFacts;
  readonly targets: PowerTarget[];
}

export function aliasName(powerMb: number, index: number | undefined): string {
  return index === undefined ? `${ALIAS_PREFIX}${powerMb}` : `${ALIAS_PREFIX}${powerMb}-${index}`;
}

/** $LATEST's description while a cold-start version is being published. */
export function markedDescription(original: string, powerMb: number, index: number): string {
  // Lambda descriptions hold at most 256 characters; the mark must survive.
  const mark = `${DESCRIPTION_MARK}${powerMb}-${index}]`;
  return `${original.slice(0, 256 - mark.length)}${mark}`;
}

/** The description without the tuner's mark. */
export function unmarkedDescription(description: string): string {
  return description.replace(DESCRIPTION_MARK_PATTERN, '');
}
