import { TuningOutput } from './contract/analyzer';

// The rendering is a contract module so the tuner's analyzer embeds the same report in its output.
export { costDurationChart, escapeHtml, formatCost, formatMs, formatPerMillion, formatTotal, renderReport } from './contract/report-html';

/**
 * Reads a tuning output from JSON text: the execution output itself, or the JSON that
 * `aws stepfunctions describe-execution` prints (its `output` field holds the output as a
 * string). Throws a clear error for anything else.
 */
export function parseTuningOutput(text: string): TuningOutput {
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`The input is not JSON: ${(err as Error).message}`);
  }
  if (parsed && typeof parsed.output === 'string' && !Array.isArray(parsed.measured)) {
    return parseTuningOutput(parsed.output);
  }
  if (!parsed || !Array.isArray(parsed.measured) || !Array.isArray(parsed.skipped) || typeof parsed.strategy !== 'string') {
    throw new Error(
      'The input is not a power-tuning output: expected an object with "strategy", "measured" and "skipped" (the execution output), ' +
        'or the output of "aws stepfunctions describe-execution".',
    );
  }
  for (const m of parsed.measured) {
    for (const key of ['powerMb', 'averageCost', 'averageDurationMs']) {
      if (typeof m?.[key] !== 'number') throw new Error(`A measured power value lacks the number "${key}": ${JSON.stringify(m)}`);
    }
  }
  return {
    ...parsed,
    measured: parsed.measured.map((m: any) => ({
      averageDurationCost: m.averageCost,
      requestCost: 0,
      averageMeasuredDurationMs: m.averageDurationMs,
      totalCost: 0,
      invocations: 0,
      coldStarts: 0,
      ...m,
    })),
    totalCost: typeof parsed.totalCost === 'number' ? parsed.totalCost : 0,
  };
}
