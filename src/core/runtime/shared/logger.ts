import type { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import { TemplateLogger, withoutLambdaFloor } from './template-logger';
import { BUFFERABLE_LOG_LEVELS, OBSERVABILITY_DEFAULTS, OBSERVABILITY_ENV } from '../../contract/observability-env';
import { POWERTOOLS_ENV } from '../../contract/powertools-env';

type Env = { [key: string]: string | undefined };

/**
 * Loggers made without a sampling rate, with their level at init. Without a rate, the
 * re-draw at each invocation only sets the level back to that one (a few microseconds, a
 * tenth of a small batch's cost), so startInvocation skips it while the level is unchanged.
 */
const neverSampled = new WeakMap<Logger, string>();

/**
 * The one way templates make their Logger.
 *
 * With `logSamplingRate` or `logBuffering`, the construct opens Lambda's application log
 * filter to DEBUG (`AWS_LAMBDA_LOG_LEVEL=DEBUG`), so the DEBUG lines a sampled invocation
 * writes, or a failed invocation flushes from its buffer, are kept. But Powertools treats
 * `AWS_LAMBDA_LOG_LEVEL` as its own floor and would then log DEBUG on every invocation. In
 * those modes Powertools filters instead: it starts from `POWERTOOLS_LOG_LEVEL`, raises a
 * sampled invocation to DEBUG, and buffers lines at or below the buffering level. Child
 * loggers (one per record) are made the same way.
 */
export function createLogger(env: Env = process.env): Logger {
  const buffering = logBufferOptions(env);
  const options: ConstructorOptions = buffering ? { logBufferOptions: buffering } : {};
  const warnBuffered = buffering?.bufferAtVerbosity === 'WARN';
  const sampling = Number(env[POWERTOOLS_ENV.loggerSampleRate.name] ?? '0') > 0;
  if (sampling) return withoutLambdaFloor(() => new TemplateLogger(options, { followInvocation: true, warnBuffered }));
  const logger = buffering
    ? withoutLambdaFloor(() => new TemplateLogger(options, { followInvocation: true, warnBuffered }))
    : new TemplateLogger(options, { followInvocation: false, warnBuffered });
  // Powertools skips the first re-draw (it drew at init); spend it now, so a later one resets the level.
  logger.refreshSampleRateCalculation();
  neverSampled.set(logger, logger.getLevelName());
  return logger;
}

/**
 * Powertools log buffering, from the variables the `logBuffering` prop sets: lines at or below
 * the level wait in memory per invocation (per X-Ray trace id), are flushed when the
 * invocation fails (an ERROR line flushes them too), and are dropped when it succeeds.
 */
function logBufferOptions(env: Env): ConstructorOptions['logBufferOptions'] | undefined {
  const v = OBSERVABILITY_ENV;
  const maxBytes = env[v.logBufferMaxBytes.name];
  const level = env[v.logBufferAtLevel.name];
  if (maxBytes === undefined && level === undefined) return undefined;
  const bytes = Number(maxBytes ?? OBSERVABILITY_DEFAULTS.logBufferMaxBytes);
  const bufferAt = (level ?? OBSERVABILITY_DEFAULTS.logBufferAtLevel).toUpperCase();
  // Never fail a cold start over buffering: a value the construct would not write falls back to Powertools' defaults.
  return {
    enabled: true,
    flushOnErrorLog: true,
    ...(Number.isInteger(bytes) && bytes > 0 ? { maxBytes: bytes } : {}),
    ...((BUFFERABLE_LOG_LEVELS as readonly string[]).includes(bufferAt) ? { bufferAtVerbosity: bufferAt as 'DEBUG' } : {}),
  };
}

/**
 * At the start of each invocation: the Lambda context on every line, and a fresh sampling
 * draw (Powertools draws once at init; only its middleware re-draws, and templates call
 * the logger directly).
 */
export function startInvocation(logger: Logger, context: Context): void {
  const initialLevel = neverSampled.get(logger);
  if (initialLevel === undefined || logger.getLevelName() !== initialLevel) logger.refreshSampleRateCalculation();
  logger.addContext(context);
}

/**
 * At the end of each invocation (or record): a failure prints the buffered lines of every
 * logger given (the invocation's and its records'), so it comes with its full story; a
 * success drops them. A no-op without log buffering.
 */
export function endBufferedLogs(failed: boolean, ...loggers: (Logger | undefined)[]): void {
  for (const logger of loggers) {
    if (!logger) continue;
    if (failed) logger.flushBuffer();
    else logger.clearBuffer();
  }
}
