import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ADAPTIVE_DEFAULTS, SamplingConfig, samplingProblems } from './contract/sampling';
import { fieldProblems, parseS3Url, RunConfig, runOptionProblems, TuningConfig } from './contract/tuning-input';
import { invalidProp } from '../core/validation';

/** Options of adaptive sampling. */
export interface AdaptiveSamplingOptions {
  /**
   * Invocations every power value gets before any may stop (at least 3, at most the
   * invocations per value).
   *
   * @default 5
   */
  readonly minInvocations?: number;

  /**
   * Two-sided confidence of each value's interval (0.5 to 0.999). Higher stops later and
   * agrees with the exhaustive sweep more often.
   *
   * @default 0.95
   */
  readonly confidence?: number;
}

/** How many invocations each power value gets. */
export class TuningSampling {
  /** Every power value gets `invocationsPerValue` invocations: the exhaustive sweep. */
  public static exhaustive(): TuningSampling {
    return new TuningSampling({ mode: 'fixed' });
  }

  /**
   * Stop invoking a power value once its confidence interval (on the trimmed mean of what
   * the strategy compares) lies above the best candidate's. Runs every value in one
   * executor call, round-robin, so values can be compared while they are sampled.
   */
  public static adaptive(options: AdaptiveSamplingOptions = {}): TuningSampling {
    return new TuningSampling({
      mode: 'adaptive',
      minInvocations: options.minInvocations ?? ADAPTIVE_DEFAULTS.minInvocations,
      confidence: options.confidence ?? ADAPTIVE_DEFAULTS.confidence,
    });
  }

  /** `fixed` or `adaptive`. */
  public readonly mode: string;
  /** Adaptive only: invocations every value gets first. */
  public readonly minInvocations?: number;
  /** Adaptive only: confidence of each interval. */
  public readonly confidence?: number;

  private constructor(config: SamplingConfig) {
    this.mode = config.mode;
    this.minInvocations = config.minInvocations;
    this.confidence = config.confidence;
  }
}

/** One payload of a weighted list. */
export interface WeightedTuningPayload {
  /** The JSON payload; a string is sent as-is and must be JSON text. */
  readonly payload: any;

  /** Its share of each power value's invocations (a fraction; the weights of a list sum to 1). */
  readonly weight: number;
}

/** What a tuning run does beyond the sweep: payload sources, processors, error handling, sampling. */
export interface TuningRunProps {
  /**
   * Payloads invoked in proportion to their weights (summing to 1), interleaved so every
   * part of a run sees the mix. Instead of `payload`.
   *
   * @default - every invocation gets `payload`
   */
  readonly weightedPayloads?: WeightedTuningPayload[];

  /**
   * `s3://bucket/key` of a JSON object sent as-is as every payload, for payloads too large
   * for the state machine's input. The tuner gets `s3:GetObject` on exactly that object (add
   * `kms:Decrypt` yourself when the bucket uses a customer managed key). Instead of `payload`.
   *
   * @default - every invocation gets `payload`
   */
  readonly payloadS3?: string;

  /**
   * A function invoked with the payload before each invocation; a non-empty result becomes
   * that invocation's payload (e.g. to create the record the invocation reads). The tuner
   * may invoke it (unqualified).
   *
   * @default - none
   */
  readonly preProcessor?: lambda.IFunction;

  /**
   * A function invoked with the tuned function's result after each invocation (e.g. to clean
   * up what it created). The tuner may invoke it (unqualified).
   *
   * @default - none
   */
  readonly postProcessor?: lambda.IFunction;

  /**
   * Check the set-up instead of measuring: one invocation per power value (and payload), no
   * SSM result written.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Error types (the `errorType` of a function error) that count as successful invocations,
   * e.g. a validation error the payload triggers on purpose. Timeouts never count.
   *
   * @default - every function error skips the power value
   */
  readonly allowedExceptions?: string[];

  /**
   * How many invocations each power value gets.
   *
   * @default TuningSampling.exhaustive()
   */
  readonly sampling?: TuningSampling;
}

/** The props these options are checked against: the sweep's payload and count. @internal */
export interface TuningRunContext extends TuningRunProps {
  readonly payload?: any;
}

/** The prop that sets each run option, so an error blames the prop the user wrote. */
const PROP_OF_OPTION = { payloads: 'weightedPayloads', payloadS3: 'payloadS3', allowedExceptions: 'allowedExceptions', sampling: 'sampling' } as const;

/**
 * Checks the run options and returns the state machine's defaults with them. Call before
 * the tuner is built; `grantRunOptions` after.
 * @internal
 */
export function resolveRunOptions(scope: Construct, where: string, props: TuningRunContext, defaults: TuningConfig): RunConfig {
  const sources = (['payload', 'weightedPayloads', 'payloadS3'] as const).filter((p) => props[p] !== undefined);
  if (sources.length > 1) {
    invalidProp(where, sources[1], props[sources[1]], `Give one payload source: ${sources.join(' or ')}, not both.`);
  }
  const config: RunConfig = {
    ...defaults,
    ...(props.weightedPayloads ? { payloads: props.weightedPayloads.map((p) => ({ payload: p.payload, weight: p.weight })) } : {}),
    ...(props.payloadS3 !== undefined ? { payloadS3: props.payloadS3 } : {}),
    ...(props.preProcessor ? { preProcessor: props.preProcessor.functionName } : {}),
    ...(props.postProcessor ? { postProcessor: props.postProcessor.functionName } : {}),
    ...(props.dryRun !== undefined ? { dryRun: props.dryRun } : {}),
    // Copied when it is a list; anything else is kept for the check below to name.
    ...(props.allowedExceptions !== undefined ? { allowedExceptions: copyIfList(props.allowedExceptions) } : {}),
    ...(props.sampling ? { sampling: samplingConfig(props.sampling) } : {}),
  };
  type Option = keyof typeof PROP_OF_OPTION;
  for (const [field, prop] of Object.entries(PROP_OF_OPTION) as [Option, (typeof PROP_OF_OPTION)[Option]][]) {
    const value = config[field];
    if (value === undefined || Token.isUnresolved(value)) continue;
    const problems = field === 'sampling'
      ? samplingProblems(value, Token.isUnresolved(config.num) ? Infinity : config.num, prop)
      : fieldProblems(field, value, { withValue: false, label: prop });
    if (problems.length > 0) invalidProp(where, prop, props[prop], problems[0]);
  }
  if (props.dryRun !== undefined && typeof props.dryRun !== 'boolean') invalidProp(where, 'dryRun', props.dryRun, 'Use true or false.');
  // A deploy-time num leaves the combinations to the run-start check.
  const [combined] = Token.isUnresolved(config.num) ? [] : runOptionProblems(config);
  if (combined) {
    const prop = combined.startsWith('sampling') ? 'sampling' : 'weightedPayloads';
    invalidProp(where, prop, props[prop], combined.replace(/^With num/, 'With invocationsPerValue').replace(/above num/, 'above invocationsPerValue'));
  }
  if (props.dryRun) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:tuningDryRun',
      'dryRun is on: tuning runs invoke each power value once to check the set-up and measure nothing. Remove it to tune.',
    );
  }
  return config;
}

/**
 * Grants the executor what the run options need, and nothing more: `lambda:InvokeFunction`
 * on each processor (unqualified, as it is invoked), `s3:GetObject` on the one payload object.
 * @internal
 */
export function grantRunOptions(scope: Construct, executorRole: iam.IRole, props: TuningRunProps): void {
  for (const processor of [props.preProcessor, props.postProcessor]) {
    if (!processor) continue;
    executorRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [processor.functionArn] }));
  }
  const location = props.payloadS3 === undefined || Token.isUnresolved(props.payloadS3) ? undefined : parseS3Url(props.payloadS3);
  if (location) {
    const partition = Stack.of(scope).partition;
    executorRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${location.bucket}/${location.key}`] }),
    );
  }
}

function copyIfList<T>(value: T[]): T[] {
  return Array.isArray(value) ? [...value] : value;
}

function samplingConfig(sampling: TuningSampling): SamplingConfig {
  return sampling.mode === 'adaptive'
    ? { mode: 'adaptive', minInvocations: sampling.minInvocations, confidence: sampling.confidence }
    : { mode: 'fixed' };
}
