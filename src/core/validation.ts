import { Duration, Token } from 'aws-cdk-lib';

/**
 * Thrown when a construct prop is invalid. The message always names the construct,
 * the prop, the value it got and how to fix it.
 */
export class PropValidationError extends Error {
  constructor(construct: string, prop: string, value: unknown, fix: string) {
    super(`${construct}: invalid \`${prop}\` (got ${describeValue(value)}). ${fix}`);
    this.name = 'PropValidationError';
  }
}

/** Throws a PropValidationError: `fail('SqsBatchConsumer', 'batchSize', 0, 'Use 1-10000.')`. */
export function invalidProp(construct: string, prop: string, value: unknown, fix: string): never {
  throw new PropValidationError(construct, prop, value, fix);
}

/** Validates an integer in [min, max]; unresolved tokens are accepted as-is. */
export function checkIntegerInRange(construct: string, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    invalidProp(construct, prop, value, `Use a whole number from ${min} to ${max}.`);
  }
}

/** Validates a number in [min, max] (fractions allowed); unresolved tokens are accepted as-is. */
export function checkNumberInRange(construct: string, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    invalidProp(construct, prop, value, `Use a number from ${min} to ${max}.`);
  }
}

/** Validates that a string is non-empty when given. */
export function checkNonEmpty(construct: string, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.trim().length === 0) invalidProp(construct, prop, value, 'Give a non-empty string or leave it unset for the default.');
}

/**
 * Seconds of a Duration for CloudFormation: a number, or the token itself when the amount
 * is a token given in seconds. A token in another unit cannot be converted (CloudFormation
 * has no arithmetic), so it fails with `fix(unit)` instead of CDK's conversion error.
 */
export function secondsOrSecondsToken(construct: string, prop: string, duration: Duration, fix: (unit: string) => string): number {
  if (!convertibleAtSynth(duration, 'seconds')) {
    invalidProp(construct, prop, duration, fix(duration.unitLabel()));
  }
  return duration.toSeconds();
}

const UNIT_LABELS = { seconds: Duration.seconds(1).unitLabel(), millis: Duration.millis(1).unitLabel() };

/**
 * Whether a Duration converts to `unit` at synth. A concrete one always does; a token only
 * when it was given in that unit, because CloudFormation has no arithmetic to convert it.
 * The one token-duration rule every construct uses.
 */
export function convertibleAtSynth(duration: Duration, unit: keyof typeof UNIT_LABELS): boolean {
  return !duration.isUnresolved() || duration.unitLabel() === UNIT_LABELS[unit];
}

/**
 * The one check of an idempotency expiry, wherever a construct takes one: a whole number of
 * seconds (the template stores epoch seconds), at least 1. Tokens pass.
 */
export function checkIdempotencyExpiry(construct: string, prop: string, duration: Duration | undefined): void {
  const seconds = concreteSeconds(duration);
  if (seconds !== undefined && (seconds < 1 || !Number.isInteger(seconds))) {
    invalidProp(construct, prop, duration, 'Use a whole number of seconds of at least 1, e.g. Duration.hours(1).');
  }
}

/** Seconds of a Duration, or undefined when it is unset or a token. */
export function concreteSeconds(duration: Duration | undefined): number | undefined {
  if (duration === undefined || duration.isUnresolved()) return undefined;
  return duration.toMilliseconds() / 1000;
}

function describeValue(value: unknown): string {
  if (value instanceof Duration) return value.isUnresolved() ? 'a token Duration' : value.toHumanString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'an object';
  return String(value);
}
