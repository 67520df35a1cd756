import * as fs from 'fs';
import * as path from 'path';
import { analyze, MeasuredPowerValue } from '../../src/power-tuning/contract/analyzer';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';
import { formatMs, formatPerMillion, formatTotal, parseTuningOutput, renderReport } from '../../src/power-tuning/report';
import { main } from '../../src/power-tuning/report-cli';
import { tempDir } from '../support/temp';

const prices = lambdaPrices('eu-west-1', 'arm64', true);
function measured(powerMb: number, billed: number[]): MeasuredPowerValue {
  return { status: 'measured', powerMb, invocations: billed.length, coldStarts: 1, ...costFigures(prices, powerMb, billed, billed.map((b) => b - 0.3), 0.2) };
}

const OUTPUT = analyze(
  [
    measured(256, [210, 190, 200, 205, 195]),
    measured(512, [91, 89, 90, 90, 90]),
    measured(1024, [52, 50, 51, 49, 48]),
    { status: 'skipped', powerMb: 128, reason: 'timeout: Task timed out after 3.00 seconds <b>' },
  ],
  'cost',
  0.5,
  { functionName: 'shop-Fn', region: 'eu-west-1', architecture: 'arm64', num: 5, discardTopBottom: 0.2, includeRequestCost: true, durationPricePerMsAt128Mb: prices.durationPerMsAt128Mb, requestPrice: prices.perRequest },
);

describe('HTML report', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('tuning-report-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the command writes one self-contained file with every value, the recommendation and the skipped values', () => {
    const input = path.join(dir, 'run.json');
    fs.writeFileSync(input, JSON.stringify(OUTPUT));
    const out: string[] = [];
    const code = main([input, '-o', path.join(dir, 'report.html'), '--title', 'Shop function'], { stdout: (s) => out.push(s), stderr: (s) => out.push(s) });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/Wrote .*report\.html/);

    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Shop function</title>');
    // Nothing external: no URL of any scheme, no script, no linked resource.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(/i);
    // One inline chart of cost and duration together.
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('<path class="duration"');

    for (const m of OUTPUT.measured) {
      expect(html).toContain(`${m.powerMb} MB`);
      const values = [formatPerMillion(m.averageCost), formatTotal(m.totalCost)];
      values.push(formatMs(m.averageDurationMs), formatMs(m.averageMeasuredDurationMs));
      for (const value of values) {
        expect(html).toContain(value);
      }
    }
    // No exponent notation anywhere a person reads a cost.
    expect(html).not.toMatch(/\de-\d/);
    // Recommendation marked: cheapest is 512 MB (90 ms × 1.666675e-9 × 4 = 6.0e-7; 256 and 1024 MB ≈ 6.7e-7; + 2e-7 request each).
    expect(OUTPUT.recommendation?.powerMb).toBe(512);
    expect(html).toContain('Recommended: <strong>512 MB</strong>');
    expect(html).toContain('$0.80 / 1M');
    expect(html).toMatch(/<tr class="recommended"><td>512 MB ★<\/td>/);
    expect(html.match(/class="bar recommended"/g)).toHaveLength(1);
    expect(html).toContain('class="recommendation-marker"');
    // Skipped values listed with their reason, escaped.
    expect(html).toContain('<li><strong>128 MB</strong>: timeout: Task timed out after 3.00 seconds &lt;b&gt;</li>');
  });

  test('reads the output of describe-execution too, and writes next to the input by default', () => {
    const input = path.join(dir, 'describe.json');
    fs.writeFileSync(input, JSON.stringify({ executionArn: 'arn:x', status: 'SUCCEEDED', output: JSON.stringify(OUTPUT) }));
    expect(main([input], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'describe.html'), 'utf8')).toContain('512 MB');
  });

  test('a failed run renders its message', () => {
    const html = renderReport(analyze([{ status: 'skipped', powerMb: 128, reason: 'boom' }], 'speed', 0.5));
    expect(html).toContain('No recommendation. Every power value failed');
    expect(html).toContain('<li><strong>128 MB</strong>: boom</li>');
  });

  test('bad input and bad usage are clear errors with a non-zero exit', () => {
    const errors: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => errors.push(s) };
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ hello: 1 }));
    expect(main([bad], io)).toBe(1);
    expect(errors.join('')).toMatch(/not a power-tuning output/);
    expect(main([], io)).toBe(2);
    expect(errors.join('')).toMatch(/Usage: cdk-serverless-powertools-report/);
    expect(() => parseTuningOutput('{')).toThrow(/not JSON/);
    expect(() => parseTuningOutput(JSON.stringify({ strategy: 'cost', measured: [{ powerMb: 1 }], skipped: [] }))).toThrow(/lacks the number "averageCost"/);
  });

  test('costs read per million invocations, with the digits they need', () => {
    expect(formatPerMillion(7.449e-6)).toBe('$7.45 / 1M');
    expect(formatPerMillion(4.2e-9)).toBe('$0.0042 / 1M');
    expect(formatPerMillion(0.5e-6)).toBe('$0.50 / 1M');
    expect(formatPerMillion(0.0012)).toBe('$1,200 / 1M');
    expect(formatTotal(0)).toBe('$0');
  });

  test('the command file starts with a node shebang', () => {
    expect(fs.readFileSync(path.join(__dirname, '../../src/power-tuning/report-cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
