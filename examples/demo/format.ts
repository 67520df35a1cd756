/** Console formatting of the demo: scenario headers and short digests of JSON log lines. */
import type { LogRecord } from './log-tap';

export function header(index: number, total: number, title: string): string {
  return `\n━━ ${index}/${total} ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`;
}

/**
 * A log record pretty-printed with only the keys worth reading (a Powertools line has
 * ~15, most of them function metadata), indented under the demo's own output.
 */
export function digest(record: LogRecord, keys: readonly string[], indent = '    '): string[] {
  const picked: LogRecord = {};
  for (const key of keys) {
    if (record[key] !== undefined) picked[key] = record[key];
  }
  const hidden = Object.keys(record).filter((k) => !keys.includes(k));
  const lines = JSON.stringify(picked, null, 2).split('\n');
  if (hidden.length > 0) lines.splice(lines.length - 1, 0, `  … ${hidden.length} more keys (${hidden.slice(0, 3).join(', ')}, …)`);
  return lines.map((l) => `${indent}${l}`);
}

/** A JSON value shortened for one line. */
export function short(value: unknown, max = 70): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
