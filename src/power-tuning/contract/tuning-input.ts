/**
 * The inputs of one tuning run: the defaults the construct's props set, and the
 * per-execution overrides a user passes to StartExecution. One set of rules checks both,
 * so a value the construct accepts is a value the tuner accepts.
 */

import { ADAPTIVE_DEFAULTS, SamplingConfig, samplingProblems } from './sampling';

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

/** One payload of a weighted list and the share of the invocations it gets. */
export interface WeightedPayload {
  readonly payload: unknown;
  /** A fraction of the invocations; the weights of a list sum to 1. */
  readonly weight: number;
}

/**
 * What a run does beyond the measured sweep. Every field is optional and off when absent,
 * so a plain `TuningConfig` is a complete run configuration.
 */
export interface TuningRunOptions {
  /** Payloads invoked in proportion to their weights, instead of `payload`. */
  readonly payloads?: WeightedPayload[];
  /** `s3://bucket/key` of a JSON object sent as-is as every payload, instead of `payload`. */
  readonly payloadS3?: string;
  /** Function invoked with the payload before each invocation; a non-empty result becomes the payload. Set by the construct only. */
  readonly preProcessor?: string;
  /** Function invoked with the tuned function's result after each invocation. Set by the construct only. */
  readonly postProcessor?: string;
  /** Check the set-up: one invocation per power value (and payload), no SSM write. */
  readonly dryRun?: boolean;
  /** Error types (`errorType`) that count as successful invocations. */
  readonly allowedExceptions?: string[];
  /** How many invocations each value gets; absent is the fixed, exhaustive sweep. */
  readonly sampling?: SamplingConfig;
}

/** A complete run configuration: the sweep and its options. */
export type RunConfig = TuningConfig & TuningRunOptions;

/** The run options an execution input may set. */
export const RUN_OPTION_KEYS = ['payloads', 'payloadS3', 'dryRun', 'allowedExceptions', 'sampling'] as const;

/** The run options the construct binds at deploy (their IAM grants name one function); never per execution. */
const DEPLOY_ONLY = {
  preProcessor: 'preProcessor',
  postProcessor: 'postProcessor',
  preProcessorARN: 'preProcessor',
  postProcessorARN: 'postProcessor',
} as const;

/** Where each invocation's payload comes from; an execution input picks one and replaces the others. */
const PAYLOAD_SOURCES = ['payload', 'payloads', 'payloadS3'] as const;

export const RUN_OPTION_LIMITS = { maxPayloads: 100, maxAllowedExceptions: 50, weightSumTolerance: 1e-6 };

/** `s3://bucket/key`: a bucket name as S3 allows it and a non-empty key. */
export const S3_URL_PATTERN = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/** The bucket and key of an `s3://bucket/key` URL; undefined when it is not one. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const match = S3_URL_PATTERN.exec(url);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/**
 * Which payload each of `count` invocations gets: at every prefix of the sequence, each
 * payload's share is as close to its weight as whole invocations allow (the most
 * under-served payload goes next), so a run that stops early still saw the mix.
 */
export function weightedSchedule(weights: readonly number[], count: number): number[] {
  const given = weights.map(() => 0);
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    let pick = 0;
    let worst = -Infinity;
    weights.forEach((w, j) => {
      const deficit = w * (i + 1) - given[j];
      if (deficit > worst + 1e-12) {
        worst = deficit;
        pick = j;
      }
    });
    given[pick]++;
    order.push(pick);
  }
  return order;
}

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
export function fieldProblems(field: keyof RunConfig, value: unknown, wording: ProblemWording = {}): string[] {
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
    case 'payloads':
      return weightedPayloadProblems(value, got, name);
    case 'payloadS3':
      return typeof value === 'string' && parseS3Url(value)
        ? []
        : [`${name} must be an s3://bucket/key URL of one object${got}, e.g. "s3://my-bucket/tuning/payload.json".`];
    case 'dryRun':
      return typeof value === 'boolean' ? [] : [`${name} must be true or false${got}.`];
    case 'allowedExceptions':
      return allowedExceptionProblems(value, got, name);
    case 'sampling':
      return samplingProblems(value, Infinity, name);
    case 'preProcessor':
    case 'postProcessor':
      return typeof value === 'string' && value.length > 0 ? [] : [`${name} must be a function name${got}.`];
  }
}

/** Problems of the run options that involve more than one field (the fields are checked already). */
export function runOptionProblems(config: RunConfig): string[] {
  const problems: string[] = [];
  if (config.payloads && config.payloadS3) problems.push('Give payloads or payloadS3, not both.');
  if (config.payloads && !config.dryRun) {
    const counts = config.payloads.map(() => 0);
    for (const i of weightedSchedule(config.payloads.map((p) => p.weight), config.num)) counts[i]++;
    const starved = counts.map((c, i) => (c === 0 ? i : -1)).filter((i) => i >= 0);
    if (starved.length > 0) {
      problems.push(
        `With num ${config.num}, payloads ${starved.map((i) => `#${i + 1} (weight ${config.payloads![i].weight})`).join(', ')} would never be invoked: raise num or their weights.`,
      );
    }
  }
  const min = config.sampling?.mode === 'adaptive' ? config.sampling.minInvocations ?? ADAPTIVE_DEFAULTS.minInvocations : 0;
  if (min > 0 && min > config.num) {
    problems.push(`sampling.minInvocations (${min}) is above num (${config.num}): lower minInvocations or raise num.`);
  }
  return problems;
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
 * rejected (a typo would otherwise be ignored silently), and so are `lambdaARN` and the
 * processors: this tuner is bound to its one function and the processors it was granted.
 * An input that sets a payload source (`payload`, `payloads` or `payloadS3`) replaces
 * the defaults' source; `payloadS3` may only name the object the construct was granted.
 */
export function resolveTuningConfig(input: unknown, defaults: RunConfig): RunConfig {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TuningInputError(`The execution input must be a JSON object (got ${describe(input)}).`);
  }
  const given = input as Record<string, unknown>;
  const problems: string[] = [];
  const accepted: string[] = [...KEYS, ...RUN_OPTION_KEYS];
  // ON_DEPLOY_INPUT is read by the state machine (its on-deploy wait), not by the tuning.
  for (const key of Object.keys(given)) {
    if (key === 'lambdaARN') {
      problems.push('lambdaARN is not accepted: this tuner only tunes the function it was deployed with.');
    } else if (key in DEPLOY_ONLY) {
      const prop = DEPLOY_ONLY[key as keyof typeof DEPLOY_ONLY];
      problems.push(`${key} is not accepted in the execution input: the tuner may only invoke the function it was granted; set the ${prop} prop.`);
    } else if (key === ON_DEPLOY_INPUT) {
      if (typeof given[key] !== 'boolean') problems.push(`${ON_DEPLOY_INPUT} must be true or false (got ${describe(given[key])}).`);
    } else if (!accepted.includes(key)) {
      problems.push(`Unknown input "${key}"; the accepted inputs are ${accepted.join(', ')}.`);
    }
  }
  const merged: Record<string, unknown> = { ...defaults };
  const sources = PAYLOAD_SOURCES.filter((k) => given[k] !== undefined);
  if (sources.length > 1) problems.push(`Give one payload source, not ${sources.join(' and ')}.`);
  if (sources.length > 0) {
    delete merged.payloads;
    delete merged.payloadS3;
    merged.payload = DEFAULT_TUNING_CONFIG.payload;
  }
  if (given.payloadS3 !== undefined && given.payloadS3 !== defaults.payloadS3) {
    problems.push(
      defaults.payloadS3
        ? `payloadS3 may only be ${defaults.payloadS3}, the object the tuner was granted (got ${describe(given.payloadS3)}); change the payloadS3 prop to use another.`
        : `payloadS3 needs a read grant: set the payloadS3 prop to ${describe(given.payloadS3)} and deploy (the tuner may read only that object).`,
    );
  }
  for (const key of accepted) {
    if (given[key] !== undefined) merged[key] = given[key];
  }
  for (const key of accepted) {
    if (merged[key] !== undefined || (KEYS as string[]).includes(key)) problems.push(...fieldProblems(key as keyof RunConfig, merged[key]));
  }
  const config = merged as unknown as RunConfig;
  if (problems.length === 0) problems.push(...combinationProblems(config).map((p) => p.message), ...runOptionProblems(config));
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
  if (typeof value === 'string') {
    // A string is sent as-is (as the anchor does), so it must be JSON text itself.
    try {
      JSON.parse(value);
      return [];
    } catch {
      return [`${name} is a string, so it is sent as-is and must be JSON text${got}; to send a JSON string, quote it: ${describe(JSON.stringify(value))}.`];
    }
  }
  try {
    JSON.stringify(value);
    return [];
  } catch (err) {
    return [`${name} must be JSON-serializable: ${(err as Error).message}.`];
  }
}

function weightedPayloadProblems(value: unknown, got: string, name: string): string[] {
  const { maxPayloads, weightSumTolerance } = RUN_OPTION_LIMITS;
  if (!Array.isArray(value) || value.length === 0 || value.length > maxPayloads) {
    return [`${name} must be a list of 1 to ${maxPayloads} {"payload": ..., "weight": 0.5} entries${got}.`];
  }
  const problems: string[] = [];
  value.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || !('payload' in entry)) {
      problems.push(`${name}[${i}] must be an object with "payload" and "weight" (got ${describe(entry)}).`);
      return;
    }
    const weight = (entry as WeightedPayload).weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1) {
      problems.push(`${name}[${i}].weight must be a fraction above 0 and at most 1 (got ${describe(weight)}).`);
    }
    problems.push(...payloadProblems((entry as WeightedPayload).payload, ` (got ${describe((entry as WeightedPayload).payload)})`, `${name}[${i}].payload`));
  });
  if (problems.length > 0) return problems;
  const weights = value.map((e: WeightedPayload) => e.weight);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > weightSumTolerance) {
    return [`${name} weights must sum to 1 (got ${weights.join(' + ')} = ${Number(sum.toFixed(6))}); e.g. 0.7 and 0.3.`];
  }
  return [];
}

function allowedExceptionProblems(value: unknown, got: string, name: string): string[] {
  const max = RUN_OPTION_LIMITS.maxAllowedExceptions;
  if (!Array.isArray(value) || value.length > max) return [`${name} must be a list of at most ${max} error types${got}, e.g. ["ValidationError"].`];
  const bad = value.filter((v) => typeof v !== 'string' || v.trim().length === 0);
  return bad.length > 0 ? [`${name} must hold error type names (strings such as "ValidationError"); ${describe(bad)} are not.`] : [];
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
