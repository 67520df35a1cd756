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

type Write = (input: LogItemMessage | string, ...extra: LogItemExtraInput) => void;

class KeyedLines {
  public child?: Logger;
  private readonly writers = new Map<PropertyKey, Write>();
  private readonly bound = new Map<PropertyKey, { readonly of: unknown; readonly fn: unknown }>();

  constructor(
    public readonly parent: TemplateLogger,
    private readonly keys: Readonly<Record<string, string>>,
  ) {}

  /**
   * The level method handed out before a child exists. Once there is one, it runs the child's
   * own method (its class's, not a property the logic may have assigned over it, which may
   * well be a wrapper calling this one: jest.spyOn, a hand-made decorator).
   */
  public writer(level: Level): Write {
    let write = this.writers.get(level);
    if (!write) {
      write = (input, ...extra) => {
        if (this.child || !plainMessage(input) || hasReservedKey(input, extra)) {
          const child = this.materialize();
          return (Object.getPrototypeOf(child) as Record<Level, Write>)[level].call(child, input, ...extra);
        }
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

  /**
   * A member of the child: its own properties as they are (what the logic assigned, a spy),
   * its class's methods bound to it, the same function on every read.
   */
  public member(property: PropertyKey): unknown {
    const child = this.materialize();
    const value = Reflect.get(child, property, child);
    if (typeof value !== 'function' || Object.prototype.hasOwnProperty.call(child, property)) return value;
    const known = this.bound.get(property);
    if (known && known.of === value) return known.fn;
    const fn = (value as (...args: unknown[]) => unknown).bind(child);
    this.bound.set(property, { of: value, fn });
    return fn;
  }
}

/**
 * A message the keys can be spread into as a child's would be merged: a string, or a plain
 * object. Anything else (an Error, a class instance whose `message` is a getter, nothing at
 * all) goes to the child, so it prints, or throws, exactly as Powertools does.
 */
function plainMessage(input: unknown): boolean {
  if (typeof input === 'string') return true;
  if (typeof input !== 'object' || input === null) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
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
    if (lines.child) return lines.member(property);
    if (LEVELS.has(property)) return lines.writer(property as Level);
    if (property === 'flushBuffer' || property === 'clearBuffer') return () => undefined;
    return lines.member(property);
  },
  // Writes, definitions and deletions (a spy, a decorator, its restore) land on the child.
  set(lines, property, value) {
    const child = lines.materialize();
    return Reflect.set(child, property, value, child);
  },
  defineProperty(lines, property, descriptor) {
    const defined = Reflect.defineProperty(lines.materialize(), property, descriptor);
    // A proxy may only report a non-configurable property its target has too.
    if (defined && descriptor.configurable === false) Reflect.defineProperty(lines, property, descriptor);
    return defined;
  },
  deleteProperty(lines, property) {
    return Reflect.deleteProperty(lines.materialize(), property);
  },
  has(lines, property) {
    return property in (lines.child ?? lines.parent);
  },
  getPrototypeOf(lines) {
    return Object.getPrototypeOf(lines.child ?? lines.parent);
  },
};
