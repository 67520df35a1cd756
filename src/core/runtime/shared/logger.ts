import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The one way templates make their Logger.
 *
 * With `logSamplingRate`, the construct opens Lambda's application log filter to DEBUG
 * (`AWS_LAMBDA_LOG_LEVEL=DEBUG`) so the lines a sampled invocation writes are kept. But
 * Powertools treats `AWS_LAMBDA_LOG_LEVEL` as its own floor and would then log DEBUG on
 * every invocation. While sampling is on, Powertools filters instead: it starts from
 * `POWERTOOLS_LOG_LEVEL` and raises a sampled invocation to DEBUG.
 */
export function createLogger(): Logger {
  const sampling = Number(process.env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? '0') > 0;
  if (!sampling) return new Logger();
  const lambdaFloor = process.env.AWS_LAMBDA_LOG_LEVEL;
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  try {
    return new Logger();
  } finally {
    if (lambdaFloor !== undefined) process.env.AWS_LAMBDA_LOG_LEVEL = lambdaFloor;
  }
}

/**
 * At the start of each invocation: the Lambda context on every line, and a fresh sampling
 * draw (Powertools draws once at init; only its middleware re-draws, and templates call
 * the logger directly).
 */
export function startInvocation(logger: Logger, context: Context): void {
  logger.refreshSampleRateCalculation();
  logger.addContext(context);
}
