/** Summary of repeated samples of one measurement. */
export interface Summary {
  readonly samples: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { samples: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * Runs every subject once per round, in the same order each round (A B C A B C …), so
 * drift in machine load affects all subjects alike. Returns the samples per subject.
 */
export async function interleave<K extends string, T = number>(
  subjects: Record<K, () => Promise<T> | T>,
  rounds: number,
): Promise<Record<K, T[]>> {
  const keys = Object.keys(subjects) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as T[]])) as unknown as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) out[key].push(await subjects[key]());
  }
  return out;
}

/** `value / anchor` rounded for display. */
export function ratio(value: number, anchor: number): number {
  return anchor === 0 ? NaN : Math.round((value / anchor) * 1000) / 1000;
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
