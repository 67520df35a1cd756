import { MeasuredPowerValue, TuningOutput } from './contract/analyzer';

/**
 * Renders a tuning output as one self-contained HTML page: inline SVG charts of cost and
 * duration per power value, the recommendation highlighted, a table of every figure and
 * the skipped values with their reasons. Nothing is loaded from anywhere and no data
 * leaves the machine: no script, stylesheet, font or image reference, no URL at all.
 */
export function renderReport(output: TuningOutput, title = 'Power tuning report'): string {
  const recommended = output.recommendation?.powerMb;
  const currency = output.context?.region?.startsWith('cn-') ? 'CNY' : 'USD';
  const bars = (pick: (m: MeasuredPowerValue) => number) =>
    output.measured.map((m) => ({ label: `${m.powerMb} MB`, value: pick(m), highlight: m.powerMb === recommended }));

  const summary = output.recommendation
    ? `<p class="recommendation">Recommended: <strong>${recommended} MB</strong> (strategy <code>${escapeHtml(output.strategy)}</code>${
      output.strategy === 'balanced' ? `, balancedWeight ${output.balancedWeight}` : ''
    }): average cost ${formatCost(output.recommendation.averageCost)} ${currency}, average duration ${formatMs(output.recommendation.averageDurationMs)} ms.</p>`
    : `<p class="recommendation failed">No recommendation. ${escapeHtml(output.message ?? 'Every power value was skipped.')}</p>`;

  const rows = output.measured
    .map(
      (m) => `<tr${m.powerMb === recommended ? ' class="recommended"' : ''}><td>${m.powerMb} MB${m.powerMb === recommended ? ' (recommended)' : ''}</td>` +
        `<td>${formatCost(m.averageCost)}</td><td>${formatCost(m.averageDurationCost)}</td><td>${formatCost(m.requestCost)}</td>` +
        `<td>${formatMs(m.averageDurationMs)}</td><td>${formatMs(m.averageMeasuredDurationMs)}</td><td>${m.invocations}</td><td>${m.coldStarts}</td>` +
        `<td>${formatCost(m.totalCost)}</td></tr>`,
    )
    .join('\n');

  const skipped = output.skipped.length
    ? `<h2>Skipped power values</h2>\n<ul class="skipped">\n${output.skipped
      .map((s) => `<li><strong>${s.powerMb} MB</strong>: ${escapeHtml(s.reason)}</li>`)
      .join('\n')}\n</ul>`
    : '<p>No power value was skipped.</p>';

  const ctx = output.context;
  const facts = ctx
    ? `<p class="context">Function <code>${escapeHtml(ctx.functionName)}</code> in ${escapeHtml(ctx.region)} (${escapeHtml(ctx.architecture)}), ` +
      `${ctx.num} invocations per value, top/bottom ${ctx.discardTopBottom * 100}% discarded, ` +
      `duration price ${formatCost(ctx.durationPricePerMsAt128Mb)} ${currency} per ms at 128 MB, ` +
      `request price ${ctx.includeRequestCost ? `${formatCost(ctx.requestPrice)} ${currency}` : 'not included'}.</p>`
    : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #f3f3f3; }
tr.recommended td { background: #e3f4e1; font-weight: bold; }
.recommendation { font-size: 1.2em; }
.failed { color: #a00; }
.skipped li { color: #a00; }
svg { margin: 0.5em 1em 0.5em 0; border: 1px solid #eee; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${summary}
${facts}
<div class="charts">
${barChart('Average cost per invocation', currency, bars((m) => m.averageCost), formatCost)}
${barChart('Average duration', 'ms', bars((m) => m.averageDurationMs), formatMs)}
</div>
<h2>Measured power values</h2>
<table>
<thead><tr><th>Memory</th><th>Avg cost (${currency})</th><th>Duration cost</th><th>Request cost</th><th>Avg billed duration (ms)</th><th>Avg measured duration (ms)</th><th>Invocations</th><th>Cold starts</th><th>Total cost</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${skipped}
<p>Total cost of the run's invocations: ${formatCost(output.totalCost)} ${currency}.</p>
</body>
</html>
`;
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly highlight: boolean;
}

const CHART = { width: 560, height: 280, left: 90, right: 20, top: 36, bottom: 44 };

/** A bar chart as inline SVG (no namespace URL needed inside HTML). */
export function barChart(title: string, unit: string, bars: readonly Bar[], format: (n: number) => string): string {
  const { width, height, left, right, top, bottom } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  const slot = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(4, slot * 0.6);
  const parts: string[] = [
    `<svg role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeHtml(title)} (${escapeHtml(unit)})</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#888"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#888"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="11">${escapeHtml(format(max))}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" font-size="11">0</text>`,
  ];
  bars.forEach((b, i) => {
    const h = (b.value / max) * plotH;
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    const fill = b.highlight ? '#2e8b57' : '#7a9cc6';
    parts.push(
      `<rect class="${b.highlight ? 'bar recommended' : 'bar'}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"><title>${escapeHtml(b.label)}: ${escapeHtml(format(b.value))}</title></rect>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11">${escapeHtml(b.label)}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10">${escapeHtml(format(b.value))}${b.highlight ? ' ★' : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Costs per invocation are tiny: four significant digits in exponent form, e.g. `2.100e-6`. */
export function formatCost(value: number): string {
  return value === 0 ? '0' : value.toExponential(3);
}

/** Durations with two decimals, e.g. `12.50`. */
export function formatMs(value: number): string {
  return value.toFixed(2);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

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
