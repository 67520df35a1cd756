/**
 * The power-tuning report as one self-contained HTML page: one inline SVG chart of cost
 * and duration against memory with the recommendation marked, a table of every figure
 * (costs per million invocations) and the skipped values with their reasons. Nothing is
 * loaded from anywhere and no data leaves the machine: no script, stylesheet, font or
 * image reference, no URL at all. Dependency-free, so the tuner's analyzer embeds it in
 * the execution output and the report command writes it to a file.
 */
import { rankingDuration, TuningOutput } from './analyzer';

const PER = 1_000_000;

export function renderReport(output: TuningOutput, title = 'Power tuning report'): string {
  const recommended = output.recommendation?.powerMb;
  const currency = output.currency ?? 'USD';
  const ctx = output.context;
  const coldStarts = output.measured.some((m) => m.averageColdStartDurationMs !== undefined);

  const summary = output.recommendation
    ? `<p class="recommendation">Recommended: <strong>${recommended} MB</strong> (strategy <code>${escapeHtml(output.strategy)}</code>${
      output.strategy === 'balanced' ? `, balancedWeight ${output.balancedWeight}` : ''
    }): ${formatPerMillion(output.recommendation.averageCost, currency)}, average duration ${formatMs(rankingDurationOf(output, recommended!))} ms${
      coldStarts ? ' including init' : ''
    }.</p>`
    : `<p class="recommendation failed">No recommendation. ${escapeHtml(output.message ?? 'Every power value was skipped.')}</p>`;
  const dryRun = output.dryRun
    ? '<p class="warning">Dry run: one invocation per power value checked the set-up. These figures are not a measurement.</p>'
    : '';

  const rows = output.measured
    .map((m) => {
      const mark = m.powerMb === recommended;
      const cells = [
        `${m.powerMb} MB${mark ? ' ★' : ''}`,
        formatPerMillion(m.averageCost, currency),
        formatMs(m.averageDurationMs),
        formatMs(m.averageMeasuredDurationMs),
        ...(coldStarts ? [formatMs(m.averageColdStartDurationMs ?? 0)] : []),
        `${m.invocations}${m.stoppedEarly ? ' (stopped early)' : ''}`,
        String(m.coldStarts),
        formatTotal(m.totalCost, currency),
      ];
      return `<tr${mark ? ' class="recommended"' : ''}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const headers = [
    'Memory',
    'Cost per 1M invocations',
    'Avg billed ms',
    'Avg measured ms',
    ...(coldStarts ? ['Avg ms incl. init'] : []),
    'Invocations',
    'Cold starts',
    'Run cost',
  ];

  const skipped = output.skipped.length
    ? `<h2>Skipped power values</h2>\n<ul class="skipped">\n${output.skipped
      .map((s) => `<li><strong>${s.powerMb} MB</strong>: ${escapeHtml(s.reason)}</li>`)
      .join('\n')}\n</ul>`
    : '<p>No power value was skipped.</p>';

  const facts = ctx
    ? `<p class="context">Function <code>${escapeHtml(ctx.functionName)}</code> in ${escapeHtml(ctx.region)} (${escapeHtml(ctx.architecture)}), ` +
      `up to ${ctx.num} invocations per value, top/bottom ${Math.round(ctx.discardTopBottom * 100)}% discarded, ` +
      `duration price ${formatTotal(ctx.durationPricePerMsAt128Mb * 1000 * 8, currency)} per GB-second (first pricing tier), ` +
      `request price ${ctx.includeRequestCost ? formatPerMillion(ctx.requestPrice, currency) : 'not included'}.</p>`
    : '';
  const sfn = output.stepFunctions
    ? ` Step Functions: about ${output.stepFunctions.stateTransitions} state transitions, ${formatTotal(output.stepFunctions.cost, currency)}.`
    : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; padding: 1.5em; max-width: 1100px; color: #222; box-sizing: border-box; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; table-layout: fixed; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: right; overflow-wrap: anywhere; }
th { background: #f3f3f3; }
tr.recommended td { background: #e3f4e1; font-weight: bold; }
.recommendation { font-size: 1.2em; }
.failed, .skipped li { color: #a00; }
.warning { background: #fff4d6; padding: 0.5em; }
.chart { width: 100%; max-width: 1000px; height: auto; display: block; }
code { overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${summary}
${dryRun}
${facts}
${costDurationChart(output, currency)}
<h2>Measured power values</h2>
<table>
<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
${skipped}
<p>The run cost ${formatTotal(output.totalCost, currency)} in ${output.invocations ?? '?'} invocations of the tuned function (skipped values' included).${sfn}</p>
</body>
</html>
`;
}

function rankingDurationOf(output: TuningOutput, powerMb: number): number {
  const m = output.measured.find((v) => v.powerMb === powerMb);
  return m ? rankingDuration(m) : output.recommendation?.averageDurationMs ?? 0;
}

const CHART = { width: 1000, height: 360, left: 90, right: 90, top: 40, bottom: 50 };

/**
 * One chart of cost (per million invocations, left axis, bars) and duration (right axis,
 * line) against memory, evenly spaced by power value, with the recommendation marked.
 */
export function costDurationChart(output: TuningOutput, currency = 'USD'): string {
  const points = output.measured;
  const { width, height, left, right, top, bottom } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const recommended = output.recommendation?.powerMb;
  const maxCost = Math.max(...points.map((m) => m.averageCost * PER), 0) || 1;
  const maxMs = Math.max(...points.map(rankingDuration), 0) || 1;
  const slot = points.length ? plotW / points.length : plotW;
  const x = (i: number) => left + slot * i + slot / 2;
  const yCost = (v: number) => top + plotH - (v / maxCost) * plotH;
  const yMs = (v: number) => top + plotH - (v / maxMs) * plotH;
  const barW = Math.max(6, slot * 0.45);
  const parts: string[] = [
    `<svg class="chart" role="img" aria-label="Cost and duration by memory" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-weight="bold">Cost per 1M invocations (bars, ${currency}) and average duration (line, ms) by memory</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#888"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#7a9cc6"/>`,
    `<line x1="${left + plotW}" y1="${top}" x2="${left + plotW}" y2="${top + plotH}" stroke="#d2691e"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="12" fill="#3b5f8f">${escapeHtml(money(maxCost, currency))}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" font-size="12">0</text>`,
    `<text x="${left + plotW + 6}" y="${top + 4}" font-size="12" fill="#a0522d">${escapeHtml(formatMs(maxMs))} ms</text>`,
    `<text x="${left + plotW + 6}" y="${top + plotH}" font-size="12">0 ms</text>`,
  ];
  points.forEach((m, i) => {
    const mark = m.powerMb === recommended;
    const cost = m.averageCost * PER;
    const y = yCost(cost);
    parts.push(
      `<rect class="${mark ? 'bar recommended' : 'bar'}" x="${(x(i) - barW / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - y).toFixed(1)}" fill="${mark ? '#2e8b57' : '#7a9cc6'}"><title>${m.powerMb} MB: ${escapeHtml(formatPerMillion(m.averageCost, currency))}</title></rect>`,
      `<text x="${x(i).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle" font-size="12"${mark ? ' font-weight="bold"' : ''}>${m.powerMb} MB</text>`,
      `<text x="${x(i).toFixed(1)}" y="${(y - 5).toFixed(1)}" text-anchor="middle" font-size="11">${escapeHtml(money(cost, currency))}</text>`,
    );
  });
  if (points.length > 0) {
    const path = points.map((m, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${yMs(rankingDuration(m)).toFixed(1)}`).join(' ');
    parts.push(`<path class="duration" d="${path}" fill="none" stroke="#d2691e" stroke-width="2.5"/>`);
    points.forEach((m, i) => {
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${yMs(rankingDuration(m)).toFixed(1)}" r="4" fill="#d2691e"><title>${m.powerMb} MB: ${formatMs(rankingDuration(m))} ms</title></circle>`,
      );
    });
  }
  const at = points.findIndex((m) => m.powerMb === recommended);
  if (at >= 0) {
    parts.push(
      `<g class="recommendation-marker"><line x1="${x(at).toFixed(1)}" y1="${top}" x2="${x(at).toFixed(1)}" y2="${top + plotH}" stroke="#2e8b57" stroke-dasharray="5,4"/>` +
        `<text x="${x(at).toFixed(1)}" y="${top + plotH + 38}" text-anchor="middle" font-size="12" font-weight="bold" fill="#2e8b57">★ recommended</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** A cost per invocation as the price of a million invocations, e.g. `$7.45 / 1M`. */
export function formatPerMillion(costPerInvocation: number, currency = 'USD'): string {
  return `${money(costPerInvocation * PER, currency)} / 1M`;
}

/** An amount of money with the digits it needs: `$7.45`, `$0.0042`, `$1,234`. */
export function formatTotal(amount: number, currency = 'USD'): string {
  return money(amount, currency);
}

function money(amount: number, currency: string): string {
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  if (amount === 0) return `${symbol}0`;
  const digits = amount >= 100 ? 0 : amount >= 1 ? 2 : Math.min(8, 1 - Math.floor(Math.log10(amount)));
  return `${symbol}${amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** Durations with two decimals, e.g. `12.50`. */
export function formatMs(value: number): string {
  return value.toFixed(2);
}

/** Costs per invocation in exponent form, e.g. `2.100e-6` (machine-oriented logs; the report shows per-million figures). */
export function formatCost(value: number): string {
  return value === 0 ? '0' : value.toExponential(3);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
