/// <reference lib="dom" />
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { analyze, MeasuredPowerValue } from '../../src/power-tuning/contract/analyzer';
import { costFigures, lambdaPrices } from '../../src/power-tuning/contract/cost-model';
import { renderReport } from '../../src/power-tuning/report';
import { tempDir } from '../support/temp';

// Opens the report in headless Chromium at a 1280 px laptop width, checks nothing overflows
// sideways and the chart and recommendation are on the page, and saves a screenshot
// (printed path) for a person to look at. Chromium is Debian's `chromium` package, which
// .ci/run installs; outside CI a machine without it skips, under CI=true the test fails.

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const available = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

const prices = lambdaPrices('eu-west-1', 'arm64', true);
function measured(powerMb: number, ms: number): MeasuredPowerValue {
  const billed = Array.from({ length: 20 }, (_, i) => Math.round(ms * (1 + ((i * 7) % 5) / 50)));
  return { status: 'measured', powerMb, invocations: 20, coldStarts: 1, ...costFigures(prices, powerMb, billed, billed.map((b) => b - 0.4), 0.2) };
}

// A wide case: ten power values, a long function name and a long skip reason.
const OUTPUT = analyze(
  [
    ...[256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 8192].map((mb) => measured(mb, Math.max(40, 180_000 / mb))),
    {
      status: 'skipped',
      powerMb: 128,
      reason: `timeout: RequestId: 0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7 Error: Task timed out after 30.00 seconds ${'x'.repeat(200)}`,
      invocations: 1,
      totalCost: 30_000 * prices.durationPerMsAt128Mb,
    },
  ],
  'balanced',
  0.6,
  {
    functionName: 'shop-production-OrderPricingEngineFunctionA1B2C3D4-AbCdEfGhIjKlMnOp',
    region: 'eu-west-1',
    architecture: 'arm64',
    num: 20,
    discardTopBottom: 0.2,
    includeRequestCost: true,
    durationPricePerMsAt128Mb: prices.durationPerMsAt128Mb,
    requestPrice: prices.perRequest,
  },
  { stepFunctions: { stateTransitions: 19, cost: 19 * 0.000025 } },
);

describe('the report in a browser at 1280 px', () => {
  if (!available && !inCi) {
    test.skip(`needs ${CHROMIUM} (apt-get install -y chromium); CI installs it and fails without it`, () => undefined);
    return;
  }

  test('fits without sideways overflow, with the chart and the recommendation visible', async () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    const dir = tempDir('tuning-report-browser-');
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReport(OUTPUT, 'Power tuning: OrderPricingEngine'));
    const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
      offline: true,
    });
    try {
      const page = await context.newPage();
      await page.goto(`file://${file}`);
      const facts = await page.evaluate(() => {
        // Runs in the page; the test's TypeScript has no DOM types.
        const document = (globalThis as any).document;
        const chart = document.querySelector('svg.chart');
        const box = chart?.getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth,
          chartWidth: box?.width ?? 0,
          chartRight: box?.right ?? Infinity,
          recommendation: document.querySelector('.recommendation')?.textContent ?? '',
          marker: document.querySelectorAll('svg.chart .recommendation-marker, svg.chart rect.bar.recommended').length,
          tableRight: document.querySelector('table')?.getBoundingClientRect().right ?? Infinity,
        };
      });
      const shot = path.join(dir, 'report-1280.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`power-tuning report screenshot: ${shot}`);

      expect(facts.scrollWidth).toBeLessThanOrEqual(1280);
      expect(facts.tableRight).toBeLessThanOrEqual(1280);
      expect(facts.chartWidth).toBeGreaterThan(600);
      expect(facts.chartRight).toBeLessThanOrEqual(1280);
      expect(facts.recommendation).toMatch(new RegExp(`^Recommended: ${OUTPUT.recommendation!.powerMb} MB`));
      expect(facts.recommendation).toMatch(/\$[0-9.,]+ \/ 1M/);
      expect(facts.marker).toBe(2);
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await context.close();
    }
  }, 60_000);
});
