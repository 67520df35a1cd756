/**
 * Captures the JSON lines the templates write. Powertools Logger and Metrics write straight
 * to process.stdout / process.stderr (one line per record), not through a logger we could
 * hand them, so the tap patches `write` on both streams while a template runs.
 *
 * Only whole lines that start with `{` at column 0 and parse as JSON are captured; every
 * other line passes through untouched, so the demo's own (indented) output and progress
 * lines still appear while the tap is on.
 */

/** One structured log line (Powertools Logger). */
export type LogRecord = Record<string, any>;

type Write = typeof process.stdout.write;

export class LogTap {
  /** Every captured JSON line, in order: log records and EMF metric blobs. */
  public readonly lines: LogRecord[] = [];
  private restore: (() => void) | undefined;

  /** Starts capturing; `stop()` (in a finally) must follow. */
  public start(): void {
    if (this.restore) return;
    const undo = [this.patch(process.stdout), this.patch(process.stderr)];
    this.restore = () => undo.forEach((u) => u());
  }

  public stop(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** Runs `fn` with the tap on. */
  public async around<T>(fn: () => Promise<T>): Promise<T> {
    this.start();
    try {
      return await fn();
    } finally {
      this.stop();
    }
  }

  /** Log records (not EMF metric blobs). */
  public get logs(): LogRecord[] {
    return this.lines.filter((l) => !isEmf(l));
  }

  /** Sum of one EMF metric over every blob captured. */
  public metricSum(name: string): number {
    return this.lines.filter(isEmf).reduce((sum, blob) => {
      const value = blob[name];
      if (typeof value === 'number') return sum + value;
      if (Array.isArray(value)) return sum + value.reduce((a: number, b: number) => a + b, 0);
      return sum;
    }, 0);
  }

  private patch(stream: NodeJS.WriteStream): () => void {
    const original: Write = stream.write;
    let pending = '';
    const passThrough = (text: string) => original.call(stream, text);
    const tapped = (chunk: any, encodingOrCallback?: any, callback?: any): boolean => {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const record = parseJsonLine(line);
        if (record) this.lines.push(record);
        else passThrough(`${line}\n`);
      }
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') done();
      return true;
    };
    stream.write = tapped as Write;
    return () => {
      stream.write = original;
      if (pending) {
        const record = parseJsonLine(pending);
        if (record) this.lines.push(record);
        else passThrough(pending);
      }
    };
  }
}

function parseJsonLine(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Embedded Metric Format blobs carry their metric definitions under `_aws`. */
function isEmf(line: LogRecord): boolean {
  return typeof line._aws === 'object' && line._aws !== null;
}
