import type { Logger } from '@aws-lambda-powertools/logger';
import { issuesOf } from './schema';
import { repeatedWarning, type WarnLines } from './template-logger';

/** How long a logged stack stands for the later errors of its name, in this execution environment. */
export const STACK_RELOG_INTERVAL_MS = 60_000;
/** Error names remembered at most; a logic that makes up names per record cannot grow this without bound. */
const MAX_NAMES = 100;

/**
 * When each error name last had its stack logged, in this execution environment (its log
 * stream). V8 formats a stack when it is first read, ~15-40 µs: more than a whole 10-record
 * batch costs Powertools' BatchProcessor (bench/, BENCHMARKS.md). So a stack is logged with
 * the first error of its name and again once a minute while that error keeps coming (a poison
 * record redelivered, a broken dependency), not with every invocation.
 */
const stackLoggedAt = new Map<string, number>();

/** The `error` field of a failure line: the Error itself (formatted with its stack), or a summary pointing at it. */
export function failureError(error: Error, now = Date.now()): Error | FailureSummary {
  const last = stackLoggedAt.get(error.name);
  if (last !== undefined && now - last < STACK_RELOG_INTERVAL_MS) {
    return { name: error.name, message: error.message, stack_logged_above: true };
  }
  if (last === undefined && stackLoggedAt.size >= MAX_NAMES) stackLoggedAt.clear();
  stackLoggedAt.set(error.name, now);
  return error;
}

/** An error whose stack an earlier line of this log stream holds (at most a minute earlier). */
export interface FailureSummary {
  readonly name: string;
  readonly message: string;
  readonly stack_logged_above: true;
}

/**
 * The WARN line of each failed record (operators need one per record), with the error as
 * failureError gives it. The lines go through the logger's repeated-line writer, and through
 * Powertools where that declines.
 */
export class FailureLines {
  private lines?: WarnLines | null;

  constructor(
    private readonly logger: Logger,
    public readonly message: string,
  ) {}

  /** `keys` identify the record (message id, correlation id, ...), in the order they are printed. */
  public write(error: Error, keys: Record<string, string | undefined>): void {
    const field = failureError(error);
    this.lines ??= repeatedWarning(this.logger, this.message) ?? null;
    if (this.lines?.write({ ...keys, error: field instanceof Error ? this.lines.formatError(field) : field, ...issuesOf(error) })) return;
    this.logger.warn(this.message, { ...keys, error: field, ...issuesOf(error) });
  }
}
