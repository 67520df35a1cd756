/**
 * The inputs of one tuning run: the defaults the construct's props set, and the
 * per-execution overrides a user passes to StartExecution. One set of rules checks both,
 * so a value the construct accepts is a value the tuner accepts.
 */

/** The strategies, by their execution-input names. */
export const STRATEGY_NAMES = ['cost', 'speed', 'balanced'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Limits of the inputs. */
export const TUNING_LIMITS = {
  minMemoryMb: 128,
  maxMemoryMb: 10240,
  /** Fewer than 5 invocations leaves nothing to trim and too little to average. */
  minNum: 5,
  maxNum: 1000,
  maxPowerValues: 50,
  maxDiscardTopBottom: 0.4,
  maxSleepBetweenRunsMs: 60_000,
};

/** A complete, checked tuning configuration. */
export interface TuningConfig {
  readonly powerValues: number[];
  readonly num: number;
  /** The JSON payload every invocation receives. */
  readonly payload: unknown;
  readonly parallelInvocation: boolean;
  readonly strategy: StrategyName;
  readonly balancedWeight: number;
  readonly discardTopBottom: number;
  readonly onlyColdStarts: boolean;
  readonly sleepBetweenRunsMs: number;
  readonly includeRequestCost: boolean;
}

/** The defaults when neither props nor the execution input say otherwise. */
export const DEFAULT_TUNING_CONFIG: TuningConfig = {
  powerValues: [128, 256, 512, 1024, 1536, 1769, 3008],
  num: 10,
  payload: {},
  parallelInvocation: false,
  strategy: 'cost',
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
  onlyColdStarts: false,
  sleepBetweenRunsMs: 0,
  includeRequestCost: true,
};

const KEYS = Object.keys(DEFAULT_TUNING_CONFIG) as (keyof TuningConfig)[];

/** Thrown by the tuner for a bad execution input; its name is the Step Functions error. */
export class TuningInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TuningInputError';
  }
}

/**
 * The execution-input flag the run-on-deploy starter sets: the state machine waits
 * (`tuneOnDeployDelay`) before touching the function. Accepted in any input, never part
 * of the tuning configuration.
 */
export const ON_DEPLOY_INPUT = 'onDeploy';

/** How a problem is worded. */
export interface ProblemWording {
  /**
   * End each sentence with the value, `(got ...)`. Off for construct props, whose error
   * already shows the value.
   *
   * @default true
   */
  readonly withValue?: boolean;

  /**
   * The name the sentences use for the field, e.g. a construct's prop name (`powerValuesMb`).
   *
   * @default - the field's execution-input name
   */
  readonly label?: string;
}

/**
 * Problems with one field's value, as sentences naming the field, the rule and (unless
 * `withValue` is false) the value. An empty list means the value is fine.
 */
export function fieldProblems(field: keyof TuningConfig, value: unknown, wording: ProblemWording = {}): string[] {
  const got = gotText(value, wording);
  const name = wording.label ?? field;
  switch (field) {
    case 'powerValues':
      return powerValueProblems(value, got, name);
    case 'num':
      return isInteger(value, TUNING_LIMITS.minNum, TUNING_LIMITS.maxNum)
        ? []
        : [`${name} must be a whole number from ${TUNING_LIMITS.minNum} to ${TUNING_LIMITS.maxNum}${got}.`];
    case 'strategy':
      return STRATEGY_NAMES.includes(value as StrategyName) ? [] : [`${name} must be one of ${STRATEGY_NAMES.join(', ')}${got}.`];
    case 'balancedWeight':
      return isNumber(value, 0, 1) ? [] : [`${name} must be a number from 0 (fastest) to 1 (cheapest)${got}.`];
    case 'discardTopBottom':
      return isNumber(value, 0, TUNING_LIMITS.maxDiscardTopBottom)
        ? []
        : [`${name} must be a fraction from 0 to ${TUNING_LIMITS.maxDiscardTopBottom}${got}.`];
    case 'sleepBetweenRunsMs':
      return isInteger(value, 0, TUNING_LIMITS.maxSleepBetweenRunsMs)
        ? []
        : [`${name} must be a whole number of ms from 0 to ${TUNING_LIMITS.maxSleepBetweenRunsMs}${got}.`];
    case 'parallelInvocation':
    case 'onlyColdStarts':
    case 'includeRequestCost':
      return typeof value === 'boolean' ? [] : [`${name} must be true or false${got}.`];
    case 'payload':
      return payloadProblems(value, got, name);
  }
}

/** A problem that involves more than one field, and the field it is reported on. */
export interface CombinationProblem {
  readonly field: keyof TuningConfig;
  readonly message: string;
}

/** Problems that involve more than one field. */
export function combinationProblems(config: TuningConfig): CombinationProblem[] {
  const problems: CombinationProblem[] = [];
  if (config.parallelInvocation && config.sleepBetweenRunsMs > 0) {
    problems.push({
      field: 'sleepBetweenRunsMs',
      message: 'sleepBetweenRunsMs only applies to serial invocations: set parallelInvocation to false or sleepBetweenRunsMs to 0.',
    });
  }
  return problems;
}

/**
 * Merges an execution input over the defaults and checks the result. Unknown keys are
 * rejected (a typo would otherwise be ignored silently), and so is `lambdaARN`: this
 * tuner is bound to its one function.
 */
export function resolveTuningConfig(input: unknown, defaults: TuningConfig): TuningConfig {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TuningInputError(`The execution input must be a JSON object (got ${describe(input)}).`);
  }
  const given = input as Record<string, unknown>;
  const problems: string[] = [];
  // ON_DEPLOY_INPUT is read by the state machine (its on-deploy wait), not by the tuning.
  for (const key of Object.keys(given)) {
    if (key === 'lambdaARN') {
      problems.push('lambdaARN is not accepted: this tuner only tunes the function it was deployed with.');
    } else if (key === ON_DEPLOY_INPUT) {
      if (typeof given[key] !== 'boolean') problems.push(`${ON_DEPLOY_INPUT} must be true or false (got ${describe(given[key])}).`);
    } else if (!(KEYS as string[]).includes(key)) {
      problems.push(`Unknown input "${key}"; the accepted inputs are ${KEYS.join(', ')}.`);
    }
  }
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of KEYS) {
    if (given[key] !== undefined) merged[key] = given[key];
  }
  for (const key of KEYS) problems.push(...fieldProblems(key, merged[key]));
  const config = merged as unknown as TuningConfig;
  if (problems.length === 0) problems.push(...combinationProblems(config).map((p) => p.message));
  if (problems.length > 0) throw new TuningInputError(`Invalid tuning input: ${problems.join(' ')}`);
  return config;
}

function powerValueProblems(value: unknown, got: string, name: string): string[] {
  const { minMemoryMb: min, maxMemoryMb: max, maxPowerValues } = TUNING_LIMITS;
  if (!Array.isArray(value) || value.length === 0) return [`${name} must be a non-empty list of memory sizes in MB${got}.`];
  if (value.length > maxPowerValues) return [`${name} may hold at most ${maxPowerValues} values${got}.`];
  const bad = value.filter((v) => !isInteger(v, min, max));
  if (bad.length > 0) return [`${name} must be whole numbers of MB from ${min} to ${max}; ${JSON.stringify(bad)} are not.`];
  for (let i = 1; i < value.length; i++) {
    if (value[i] <= value[i - 1]) return [`${name} must be sorted ascending without duplicates${got}.`];
  }
  return [];
}

function payloadProblems(value: unknown, got: string, name: string): string[] {
  if (value === undefined) return [`${name} must be JSON${got}.`];
  try {
    JSON.stringify(value);
    return [];
  } catch (err) {
    return [`${name} must be JSON-serializable: ${(err as Error).message}.`];
  }
}

function gotText(value: unknown, wording: ProblemWording): string {
  return wording.withValue === false ? '' : ` (got ${describe(value)})`;
}

/** JSON for the message, or a placeholder for a value JSON cannot hold (e.g. circular). */
function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return 'a value that is not JSON';
  }
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumber(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
