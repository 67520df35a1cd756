/**
 * Reads the platform REPORT record from the tail of an invocation's log (`LogType: Tail`
 * returns the last 4 KB, base64-encoded). Both log formats are understood: the text
 * format's `REPORT RequestId: … Duration: … Billed Duration: …` line, and the JSON
 * format's `{"type":"platform.report","record":{"metrics":{…}}}` line.
 */

/** What one REPORT record says about one invocation. */
export interface InvocationReport {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  /** Present on cold starts only. */
  readonly initDurationMs?: number;
  readonly memorySizeMb?: number;
  readonly maxMemoryUsedMb?: number;
  /** `timeout`, `error`, `failure` when the platform reports one; absent on success. */
  readonly status?: string;
}

/** Decodes a base64 `LogResult` and parses its REPORT record; undefined when there is none. */
export function parseLogResult(logResultBase64: string | undefined): InvocationReport | undefined {
  if (!logResultBase64) return undefined;
  return parseReport(Buffer.from(logResultBase64, 'base64').toString('utf8'));
}

/** Parses the REPORT record of a decoded tail log; undefined when there is none. */
export function parseReport(log: string): InvocationReport | undefined {
  return parseJsonReport(log) ?? parseTextReport(log);
}

function parseJsonReport(log: string): InvocationReport | undefined {
  for (const line of log.split('\n').reverse()) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{') || !trimmed.includes('platform.report')) continue;
    let parsed: any;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // The tail is cut at 4 KB, so its first line may be a fragment; skip it.
      continue;
    }
    const metrics = parsed?.type === 'platform.report' ? parsed.record?.metrics : undefined;
    if (!metrics || typeof metrics.billedDurationMs !== 'number' || typeof metrics.durationMs !== 'number') continue;
    const status = parsed.record.status;
    return {
      durationMs: metrics.durationMs,
      billedDurationMs: metrics.billedDurationMs,
      initDurationMs: typeof metrics.initDurationMs === 'number' ? metrics.initDurationMs : undefined,
      memorySizeMb: metrics.memorySizeMB,
      maxMemoryUsedMb: metrics.maxMemoryUsedMB,
      status: typeof status === 'string' && status !== 'success' ? status : undefined,
    };
  }
  return undefined;
}

function parseTextReport(log: string): InvocationReport | undefined {
  const line = log.split('\n').reverse().find((l) => l.startsWith('REPORT '));
  if (!line) return undefined;
  const field = (name: string): number | undefined => {
    const match = new RegExp(`(?:^|\\t)${name}: ([0-9]+(?:\\.[0-9]+)?) (?:ms|MB)`).exec(line);
    return match ? parseFloat(match[1]) : undefined;
  };
  const durationMs = field('Duration');
  const billedDurationMs = field('Billed Duration');
  if (durationMs === undefined || billedDurationMs === undefined) return undefined;
  const status = /\tStatus: ([A-Za-z]+)/.exec(line)?.[1];
  return {
    durationMs,
    billedDurationMs,
    initDurationMs: field('Init Duration'),
    memorySizeMb: field('Memory Size'),
    maxMemoryUsedMb: field('Max Memory Used'),
    status: status && status !== 'success' ? status : undefined,
  };
}
