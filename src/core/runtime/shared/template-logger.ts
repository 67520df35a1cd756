import { Console } from 'node:console';
import { isDevMode } from '@aws-lambda-powertools/commons/utils/env';
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { POWERTOOLS_ENV } from '../../contract/powertools-env';

/**
 * WARN lines that repeat within one invocation (one per failed record), printed as Powertools
 * prints them but from its attributes formatted once.
 */
export interface WarnLines {
  /**
   * Prints the line with `fields` after the logger's keys and returns true; returns false,
   * printing nothing, when a value is one only Powertools' replacer prints faithfully (an
   * Error, a BigInt, a class instance, a cycle) or a field would replace a logger key.
   */
  write(fields: Record<string, unknown>): boolean;
  /** `error` as Powertools prints it: name, location, message, stack, cause and own keys. */
  formatError(error: Error): Record<string, unknown>;
}

/**
 * Powertools Logger members that TypeScript marks private (plain properties at runtime) which
 * the repeated-line writer reads, so its lines go where and as Powertools' would. The test
 * comparing both lines (test/handlers/repeated-warning.test.ts) fails if one of them moves.
 */
interface LoggerInternals {
  readonly logIndentation: number;
  readonly console: Pick<Console, 'warn'>;
  getLogFormatter(): { formatTimestamp(now: Date): string; formatError(error: Error): Record<string, unknown> };
}

export interface TemplateLoggerOptions {
  /** Children follow the invocation's sampling draw and ignore Lambda's log-level floor (see createLogger). */
  readonly followInvocation: boolean;
  /** Log buffering holds WARN lines back (`logBuffering` at WARN). */
  readonly warnBuffered: boolean;
}

/** The Powertools Logger of every template (made by createLogger in logger.ts). */
export class TemplateLogger extends Logger {
  constructor(
    options: ConstructorOptions,
    private readonly template: TemplateLoggerOptions,
  ) {
    super(options);
  }

  /** Children follow the invocation (a sampling rate or log buffering): they differ from their parent. */
  public get followsInvocation(): boolean {
    return this.template.followInvocation;
  }

  /**
   * Powertools calls this from createChild with the parent's current level, which holds the
   * invocation's sampling draw. A child keeping the sample rate would draw again, so in an
   * unsampled invocation each record logger would be sampled on its own (at least 1 % each):
   * the child follows its invocation instead (its lines then show `sampling_rate: 0`).
   * Either way the child is a TemplateLogger, so it writes through the shared console.
   */
  protected override createLogger(options?: ConstructorOptions): Logger {
    if (!this.template.followInvocation) return new TemplateLogger(options ?? {}, this.template);
    return withoutLambdaFloor(() => new TemplateLogger({ ...options, sampleRateValue: 0 }, this.template));
  }

  /**
   * The WARN lines of this invocation, each costing a timestamp and a JSON.stringify of its
   * own fields instead of Powertools' per-line merge, formatting and replacer (~15 µs, five
   * times a no-op record). Undefined wherever a copy could differ from Powertools' line (WARN
   * filtered out or buffered, dev-mode indentation, persistent keys it would deep-merge): the
   * caller then logs through Powertools. Valid only in the invocation it was made in: the
   * Lambda context, the trace id and the TZ setting are read once, as part of it.
   */
  public repeatedWarning(message: string): WarnLines | undefined {
    if (this.template.warnBuffered || LogLevelThreshold[this.getLevelName()] > LogLevelThreshold.WARN) return undefined;
    const internals = this as unknown as LoggerInternals;
    if (internals.logIndentation !== 0 || Object.keys(this.getPersistentLogAttributes()).length > 0) return undefined;
    const item = this.createAndPopulateLogItem(LogLevelThreshold.WARN, message, []);
    item.prepareForPrint();
    const base = item.getAttributes();
    const formatter = internals.getLogFormatter();
    const sink = internals.console;
    // The line is the base's JSON cut at its timestamp, so each line only adds its own parts.
    const parts = JSON.stringify({ ...base, timestamp: TIMESTAMP_MARK }).split(`"timestamp":"${TIMESTAMP_MARK}"`);
    if (parts.length !== 2) return undefined;
    const head = `${parts[0]}"timestamp":`;
    const baseTail = parts[1].slice(0, -1);
    const timezone = process.env.TZ;
    const now = timezone && !timezone.includes('UTC') ? () => formatter.formatTimestamp(new Date()) : () => new Date().toISOString();
    return {
      write: (fields) => {
        // Powertools drops empty top-level values the same way (LogItem.prepareForPrint).
        const own: Record<string, unknown> = {};
        for (const key in fields) {
          const value = fields[key];
          if (value === undefined || value === '' || value === null) continue;
          if (key in base || !isPlainJson(value, 0)) return false;
          own[key] = value;
        }
        const ownJson = JSON.stringify(own);
        sink.warn(`${head}"${now()}"${baseTail}${ownJson.length > 2 ? `,${ownJson.slice(1)}` : '}'}`);
        return true;
      },
      formatError: (error) => formatter.formatError(error),
    };
  }
}

/**
 * The sink of every template logger: one Console on stdout/stderr for the execution
 * environment, with Powertools' `trace` patch (trace prints like log, without a stack).
 *
 * Powertools gives each Logger a Console of its own, whose patched `trace` closes over the
 * logger. With a child logger per record that kept every record's logger alive through the
 * young-generation collections that followed it: a warm consumer's young generation grew to
 * V8's limit (RSS +40 MiB over 1 000 invocations; bench/, memory) and each child cost a
 * Console's ~25 bound methods. A shared Console writes the same bytes to the same streams.
 */
let shared: { readonly console: Console; readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WriteStream } | undefined;
function templateConsole(): Console {
  // Made again if something replaced process.stdout or stderr (a test harness), as each new Powertools Logger would follow it.
  if (!shared || shared.stdout !== process.stdout || shared.stderr !== process.stderr) {
    const made = new Console({ stdout: process.stdout, stderr: process.stderr });
    made.trace = (message?: unknown, ...optionalParams: unknown[]) => made.log(message, ...optionalParams);
    shared = { console: made, stdout: process.stdout, stderr: process.stderr };
  }
  return shared.console;
}

/**
 * Powertools' Logger calls `setConsole()` from its constructor (TypeScript marks it private,
 * so it is replaced on the prototype rather than overridden). Dev mode keeps Powertools' own:
 * the global console, indented lines. test/core/template-logger-console.test.ts fails if
 * Powertools stops calling it.
 */
const powertoolsSetConsole = (Logger.prototype as unknown as { setConsole(this: Logger): void }).setConsole;
Object.defineProperty(TemplateLogger.prototype, 'setConsole', {
  value: function setConsole(this: Logger): void {
    if (isDevMode()) return powertoolsSetConsole.call(this);
    (this as unknown as { console: Console }).console = templateConsole();
  },
  writable: true,
  configurable: true,
});

// A value no base attribute holds: a random token JSON.stringify writes as is.
const TIMESTAMP_MARK = `timestamp-${Math.random().toString(36).slice(2)}`;
const MAX_DEPTH = 8;

/** Values JSON.stringify prints as Powertools' replacer would: primitives, plain objects and arrays, no cycles. */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** The repeated-WARN writer of a template logger for this invocation; undefined for any other logger. */
export function repeatedWarning(logger: Logger, message: string): WarnLines | undefined {
  return logger instanceof TemplateLogger ? logger.repeatedWarning(message) : undefined;
}

export function withoutLambdaFloor<T>(make: () => T): T {
  const floorVariable = POWERTOOLS_ENV.lambdaLogLevel.name;
  const lambdaFloor = process.env[floorVariable];
  delete process.env[floorVariable];
  try {
    return make();
  } finally {
    if (lambdaFloor !== undefined) process.env[floorVariable] = lambdaFloor;
  }
}
