import type { Logger } from '@aws-lambda-powertools/logger';
import { issuesOf } from './schema';
import { repeatedWarning, type WarnLines } from './template-logger';

/**
 * The WARN line of each failed record in one invocation (operators need one per record). The
 * stack, which V8 formats when first read and is most of a line's cost, comes only with the
 * first error of each name; later ones say `stack_logged_above`. The lines go through the
 * logger's repeated-line writer, through Powertools where that declines.
 */
export class FailureLines {
  private readonly stackLogged = new Set<string>();
  private lines?: WarnLines | null;

  constructor(
    private readonly logger: Logger,
    public readonly message: string,
  ) {}

  /** `keys` identify the record (message id, correlation id, ...), in the order they are printed. */
  public write(error: Error, keys: Record<string, string | undefined>): void {
    const withStack = !this.stackLogged.has(error.name);
    this.stackLogged.add(error.name);
    const summary = withStack ? undefined : { name: error.name, message: error.message, stack_logged_above: true };
    this.lines ??= repeatedWarning(this.logger, this.message) ?? null;
    if (this.lines?.write({ ...keys, error: summary ?? this.lines.formatError(error), ...issuesOf(error) })) return;
    this.logger.warn(this.message, { ...keys, error: summary ?? error, ...issuesOf(error) });
  }
}
