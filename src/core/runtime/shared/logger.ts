import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { POWERTOOLS_ENV } from '../../contract/powertools-env';

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
  const sampling = Number(process.env[POWERTOOLS_ENV.loggerSampleRate.name] ?? '0') > 0;
  if (!sampling) return new Logger();
  const floorVariable = POWERTOOLS_ENV.lambdaLogLevel.name;
  const lambdaFloor = process.env[floorVariable];
  delete process.env[floorVariable];
  try {
    return new Logger();
  } finally {
    if (lambdaFloor !== undefined) process.env[floorVariable] = lambdaFloor;
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
