import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { TemplateLogger } from './template-logger';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'critical';
const LEVELS: ReadonlySet<PropertyKey> = new Set<Level>(['debug', 'info', 'warn', 'error', 'critical']);
// Powertools' reserved keys (logger constants.ts ReservedKeys): it drops them with a warning
// line of the logger that got them, so such a call goes to the child, whose warning carries the
// record's keys.
const RESERVED_KEYS: ReadonlySet<string> = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);

/**
 * The `context.logger` of one record: the template's logger with the record's keys (message
 * id, correlation id, ...) on every line, as a Powertools child logger prints them.
 *
 * A child per record is what Powertools offers, but `createChild` deep-merges the parent's
 * options, builds a Logger and reads the environment again, for every record: several times
 * what a line costs, and the hottest code a warm consumer gives V8's compiler (bench/,
 * BENCHMARKS.md, memory). So the lines are the parent's, with the record's keys placed where
 * a child's persistent keys go (before the line's own fields, which override them); the real
 * child is made the first time the logic uses anything else (appendKeys, createChild, ...),
 * and serves every later call. Where a child behaves differently from its parent, the child
 * is made at once: with a sampling rate or log buffering (children follow the invocation's
 * draw, and buffer apart), and for any logger not made by createLogger.
 */
export function recordLogger(parent: Logger, keys: Readonly<Record<string, string>>): Logger {
  if (!(parent instanceof TemplateLogger) || parent.followsInvocation) return parent.createChild({ persistentKeys: { ...keys } });
  const lines = new KeyedLines(parent, keys);
  const logger = new Proxy(lines, RECORD_LOGGER) as unknown as Logger;
  KEYED_LINES.set(logger, lines);
  return logger;
}

/** The child a record logger has made, if any: what a failure flushes, and the logic's own keys. */
export function recordChild(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  const lines = KEYED_LINES.get(logger);
  return lines ? lines.child : logger;
}

const KEYED_LINES = new WeakMap<object, KeyedLines>();

class KeyedLines {
  public child?: Logger;
  private readonly writers = new Map<PropertyKey, (input: LogItemMessage | string, ...extra: LogItemExtraInput) => void>();

  constructor(
    public readonly parent: TemplateLogger,
    private readonly keys: Readonly<Record<string, string>>,
  ) {}

  public writer(level: Level): (input: LogItemMessage | string, ...extra: LogItemExtraInput) => void {
    let write = this.writers.get(level);
    if (!write) {
      write = (input, ...extra) => {
        if (this.child || hasReservedKey(input, extra)) return this.materialize()[level](input, ...extra);
        // Powertools puts a child's persistent keys first, then the message object's own keys, then the extras.
        const message = typeof input === 'string' ? { message: input, ...this.keys } : { ...this.keys, ...input };
        this.parent[level](message as LogItemMessage, ...extra);
      };
      this.writers.set(level, write);
    }
    return write;
  }

  public materialize(): Logger {
    return (this.child ??= this.parent.createChild({ persistentKeys: { ...this.keys } }));
  }
}

function hasReservedKey(input: LogItemMessage | string, extra: LogItemExtraInput): boolean {
  if (typeof input === 'object' && input !== null) {
    for (const key in input) if (key !== 'message' && RESERVED_KEYS.has(key)) return true;
  }
  for (const item of extra) {
    if (typeof item !== 'object' || item === null || item instanceof Error) continue;
    for (const key in item) if (RESERVED_KEYS.has(key)) return true;
  }
  return false;
}

const RECORD_LOGGER: ProxyHandler<KeyedLines> = {
  get(lines, property) {
    if (LEVELS.has(property)) return lines.writer(property as Level);
    if (!lines.child && (property === 'flushBuffer' || property === 'clearBuffer')) return () => undefined;
    const child = lines.materialize();
    const value = Reflect.get(child, property, child);
    return typeof value === 'function' ? value.bind(child) : value;
  },
  set(lines, property, value) {
    const child = lines.materialize();
    return Reflect.set(child, property, value, child);
  },
  has(lines, property) {
    return property in (lines.child ?? lines.parent);
  },
  getPrototypeOf(lines) {
    return Object.getPrototypeOf(lines.child ?? lines.parent);
  },
};
