/**
 * Scenario 4: power-tuning analysis of recorded data. A recorded run of the example app's
 * `TunedSort` function (the tail-log REPORT record of every invocation) is replayed through
 * the bundled tuner's executor and analyzer (the same code the state machine runs), and the
 * output is rendered by the report command users run (`cdk-serverless-powertools-report`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate } from './templates';
import type { TuningOutput } from '../../src/power-tuning/contract/analyzer';
import { DEFAULT_TUNING_CONFIG, resolveTuningConfig } from '../../src/power-tuning/contract/tuning-input';
import { formatCost, formatMs } from '../../src/power-tuning/report';
import { main as reportCommand } from '../../src/power-tuning/report-cli';

export const DEFAULT_RECORDING = path.join(__dirname, 'fixtures', 'tuning-recording.json');
export const REPORT_FILE = 'power-tuning-report.html';
export const OUTPUT_FILE = 'power-tuning-output.json';

/** One recorded invocation: its REPORT record and, when it failed, what Invoke returned. */
interface RecordedInvocation {
  readonly report: { readonly time?: string; readonly record?: { readonly requestId?: string } };
  readonly functionError?: string;
  readonly payload?: unknown;
}

/** The fixture: what was tuned, the execution input, and every invocation by power value. */
export interface TuningRecording {
  readonly function: { name: string; region: string; architecture: string; timeoutMs: number; originalMemoryMb: number };
  readonly config: Record<string, unknown>;
  /** What the analysis of this recording must conclude (the smoke test's expectations). */
  readonly expected: { readonly recommendationMb: number; readonly skippedMb: number[] };
  readonly invocations: Record<string, RecordedInvocation[]>;
}

export interface PowerTuningFacts {
  readonly recommendationMb?: number;
  readonly measuredMb: number[];
  readonly skippedMb: number[];
  readonly reportPath: string;
  readonly outputPath: string;
}

export async function powerTuningAnalysis(ctx: ScenarioContext, recordingFile = DEFAULT_RECORDING): Promise<PowerTuningFacts> {
  const { log, check } = ctx;
  const recording = JSON.parse(fs.readFileSync(recordingFile, 'utf8')) as TuningRecording;
  // The same validation the tuner applies to an execution input.
  const config = resolveTuningConfig(recording.config, DEFAULT_TUNING_CONFIG);
  const fn = recording.function;
  log(`  recording: ${path.relative(process.cwd(), recordingFile) || recordingFile}`);
  log(`  ${fn.name} (${fn.architecture}, ${fn.region}), ${config.num} invocations per value, strategy ${config.strategy}` +
    `${config.strategy === 'balanced' ? ` (balancedWeight ${config.balancedWeight})` : ''}`);

  const tuner = await loadTemplate(ctx.assetsDir, 'tuner');
  const lambda = replayingLambda(recording, tuner.ALIAS_PREFIX);
  const executor = tuner.createExecutor({ lambda, sleep: async () => undefined });
  const targets = config.powerValues.map((powerMb) => ({ powerMb, aliases: [`${tuner.ALIAS_PREFIX}${powerMb}`] }));
  const results = [];
  // One executor call per power value, as the state machine's Map state makes them.
  for (const target of targets) {
    const result = await executor({ target, config, function: fn }, lambdaContext('tuner-executor', `req-tune-${target.powerMb}`, 900_000));
    results.push(result);
    log(
      result.status === 'measured'
        ? `  ${String(target.powerMb).padStart(5)} MB  ${result.invocations} invocations (${result.coldStarts} cold), ` +
            `avg billed ${formatMs(result.averageDurationMs)} ms, avg cost ${formatCost(result.averageCost)} USD`
        : `  ${String(target.powerMb).padStart(5)} MB  skipped: ${result.reason}`,
    );
  }
  const output: TuningOutput = await tuner.createAnalyzer({})({ plan: { config, function: fn, targets }, results });
  const rec = output.recommendation;
  log(rec ? `  recommendation: ${rec.powerMb} MB (${formatMs(rec.averageDurationMs)} ms, ${formatCost(rec.averageCost)} USD per invocation)` : `  no recommendation: ${output.message}`);

  // The machine-readable output, then the HTML report from it, exactly as a user would.
  fs.mkdirSync(ctx.outDir, { recursive: true });
  const outputPath = path.resolve(ctx.outDir, OUTPUT_FILE);
  const reportPath = path.resolve(ctx.outDir, REPORT_FILE);
  fs.writeFileSync(outputPath, JSON.stringify(output, null, 2) + '\n');
  const said: string[] = [];
  const exitCode = reportCommand([outputPath, '-o', reportPath, '--title', `Power tuning: ${fn.name}`], {
    stdout: (s) => said.push(s.trim()),
    stderr: (s) => said.push(s.trim()),
  });
  log(`  cdk-serverless-powertools-report ${path.basename(outputPath)} -o ${path.basename(reportPath)}: ${said.join(' ')}`);

  const measuredMb = output.measured.map((m) => m.powerMb);
  const skippedMb = output.skipped.map((s) => s.powerMb);
  const timedOut = output.skipped.filter((s) => /^timeout/.test(s.reason)).map((s) => s.powerMb);
  check(
    'power values that timed out were skipped, the others measured',
    sameNumbers(skippedMb, recording.expected.skippedMb) && sameNumbers(timedOut, recording.expected.skippedMb) &&
      sameNumbers([...measuredMb, ...skippedMb].sort((a, b) => a - b), config.powerValues),
    `measured ${measuredMb.join(', ')} MB; skipped ${skippedMb.join(', ') || 'none'} MB`,
  );
  check(
    `the ${config.strategy} strategy recommends ${recording.expected.recommendationMb} MB`,
    rec?.powerMb === recording.expected.recommendationMb,
    rec ? `got ${rec.powerMb} MB` : 'got no recommendation',
  );
  const html = exitCode === 0 && fs.existsSync(reportPath) ? fs.readFileSync(reportPath, 'utf8') : '';
  const missing = config.powerValues.filter((p) => !new RegExp(`>${p} MB\\b`).test(html));
  check('the HTML report was written and shows every power value', html.length > 0 && missing.length === 0, missing.length ? `missing ${missing.join(', ')} MB` : reportPath);
  check('the report is self-contained (no script, no URL)', html.length > 0 && !/<script|https?:\/\//i.test(html));
  return { recommendationMb: rec?.powerMb, measuredMb, skippedMb, reportPath, outputPath };
}

/**
 * A stand-in for the Lambda client the executor invokes aliases with: each Invoke of
 * `tune-<power>` returns the next recorded invocation of that power value, with its
 * REPORT record in a base64 tail log as `LogType: Tail` returns it.
 */
function replayingLambda(recording: TuningRecording, aliasPrefix: string) {
  const used = new Map<string, number>();
  return {
    send: async (command: { input: { Qualifier?: string } }) => {
      const qualifier = command.input?.Qualifier ?? '';
      const power = qualifier.startsWith(aliasPrefix) ? qualifier.slice(aliasPrefix.length) : qualifier;
      const recorded = recording.invocations[power] ?? [];
      const index = used.get(power) ?? 0;
      if (index >= recorded.length) {
        throw new Error(`the recording has ${recorded.length} invocations for ${power} MB, and the tuner asked for invocation ${index + 1}`);
      }
      used.set(power, index + 1);
      const invocation = recorded[index];
      const requestId = invocation.report.record?.requestId ?? `replay-${power}-${index}`;
      const start = { time: invocation.report.time, type: 'platform.start', record: { requestId, version: '$LATEST' } };
      const tail = `${JSON.stringify(start)}\n${JSON.stringify(invocation.report)}\n`;
      return {
        StatusCode: 200,
        FunctionError: invocation.functionError,
        LogResult: Buffer.from(tail).toString('base64'),
        Payload: new TextEncoder().encode(JSON.stringify(invocation.payload ?? { ok: true })),
      };
    },
  };
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
