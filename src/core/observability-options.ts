import { Size, Token } from 'aws-cdk-lib';
import { BUFFERABLE_LOG_LEVELS, LOG_BUFFER_ENV_PREFIX, OBSERVABILITY_DEFAULTS, OBSERVABILITY_ENV } from './contract/observability-env';
import { invalidProp } from './validation';

/**
 * Log levels log buffering can hold back. ERROR is not one: an ERROR line is always written,
 * and it flushes the buffer.
 */
export enum BufferedLogLevel {
  /** DEBUG lines wait for a failure (the usual choice: failures come with their debug story). */
  DEBUG = 'DEBUG',
  /** DEBUG and INFO lines wait for a failure. */
  INFO = 'INFO',
  /** DEBUG, INFO and WARN lines wait for a failure. */
  WARN = 'WARN',
}

/**
 * Powertools log buffering: lines at or below `bufferAtLevel` are kept in memory for the
 * invocation and written only when it fails (an error, a failed record, a 5xx), so a failure
 * comes with its full story at the log cost of a success. The construct opens Lambda's
 * application log filter to DEBUG so the flushed lines are kept; Powertools still filters
 * everything else by `logLevel`.
 */
export interface LogBufferingOptions {
  /**
   * Most bytes of log lines buffered per invocation (1 KiB to 10 MiB); the oldest lines are
   * dropped first, and the flush says so.
   *
   * @default Size.kibibytes(20) - Powertools' default
   */
  readonly maxBufferSize?: Size;

  /**
   * The most severe level that is buffered; lines at it and below wait for a failure.
   *
   * @default BufferedLogLevel.DEBUG
   */
  readonly bufferAtLevel?: BufferedLogLevel;
}

/** Tracing and log-buffering settings every construct of this library shares. */
export interface ObservabilityOptions {
  /**
   * The template's Powertools Tracer (`POWERTOOLS_TRACE_ENABLED`): a subsegment per invocation
   * with `ColdStart` and `Service`, the business key (idempotency key, message id, sequence
   * number, route) as annotations, and the AWS SDK clients' calls. `false` keeps Lambda's
   * active tracing (X-Ray still records each invocation) but skips the X-Ray SDK, about
   * 25 ms of cold start (see BENCHMARKS.md).
   *
   * @default true
   */
  readonly tracing?: boolean;

  /**
   * Buffer log lines and write them only when the invocation fails.
   *
   * @default - no buffering: lines below `logLevel` are dropped
   */
  readonly logBuffering?: LogBufferingOptions;
}

const MIN_BUFFER_BYTES = 1024;
const MAX_BUFFER_BYTES = 10 * 1024 * 1024;

/** What the observability props give a function. @internal */
export interface ObservabilityWiring {
  /** Variables for the template (the defaults layer: the user's `environment` may not override LOG_BUFFER_*). */
  readonly environment: { [key: string]: string };
  /** True when Lambda's application log filter must let DEBUG lines through. */
  readonly needsDebugLogFilter: boolean;
  /** Variable prefixes only these props may set. */
  readonly reservedPrefixes: string[];
}

/** Validates the props and returns their wiring. @internal */
export function observabilityWiring(where: string, props: ObservabilityOptions): ObservabilityWiring {
  const v = OBSERVABILITY_ENV;
  const environment: { [key: string]: string } = {};
  if (props.tracing === false) environment[v.traceEnabled.name] = 'false';
  const buffering = props.logBuffering;
  if (buffering) {
    const bytes = buffering.maxBufferSize?.toBytes() ?? OBSERVABILITY_DEFAULTS.logBufferMaxBytes;
    if (!Token.isUnresolved(bytes) && (!Number.isInteger(bytes) || bytes < MIN_BUFFER_BYTES || bytes > MAX_BUFFER_BYTES)) {
      invalidProp(where, 'logBuffering.maxBufferSize', `${bytes} bytes`, 'Use a size from Size.kibibytes(1) to Size.mebibytes(10), e.g. Size.kibibytes(64).');
    }
    const level = buffering.bufferAtLevel ?? OBSERVABILITY_DEFAULTS.logBufferAtLevel;
    if (!(BUFFERABLE_LOG_LEVELS as readonly string[]).includes(level)) {
      invalidProp(where, 'logBuffering.bufferAtLevel', level, 'Use BufferedLogLevel.DEBUG, INFO or WARN; ERROR lines are never buffered.');
    }
    environment[v.logBufferMaxBytes.name] = String(bytes);
    environment[v.logBufferAtLevel.name] = level;
  }
  return { environment, needsDebugLogFilter: buffering !== undefined, reservedPrefixes: [LOG_BUFFER_ENV_PREFIX] };
}
