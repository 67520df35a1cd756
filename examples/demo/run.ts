/**
 * `npm run demo`: runs the example app's bundled templates end to end on this machine, with
 * no AWS account and no setup: an embedded DynamoDB (dynalite, in-process on 127.0.0.1) and
 * the SQS redelivery simulator stand in for AWS. Every fact shown is also checked, so the
 * demo doubles as a smoke test of what ships: it exits non-zero when any check fails.
 *
 *   npm run demo                          # bundles the templates first
 *   npx ts-node --prefer-ts-exts examples/demo/run.ts --out /tmp/demo
 */
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { apiRequests, ApiFacts } from './api-requests';
import { BatchFacts, BatchOptions, batchRedelivery } from './batch-redelivery';
import { CheckResult, Checklist } from './checks';
import { header } from './format';
import { idempotentReplay, IdempotencyFacts } from './idempotent-replay';
import { powerTuningAnalysis, PowerTuningFacts } from './power-tuning';
import type { ScenarioContext } from './scenario';
import { StreamFacts, streamPoison } from './stream-poison';
import { DEFAULT_ASSETS_DIR, LOCAL_LAMBDA_ENV, snapshotEnv } from './templates';
import { DynaliteServer, startDynalite } from '../../test/support/dynalite';

export type ScenarioName = 'idempotency' | 'batch' | 'stream' | 'api' | 'power-tuning';
export const SCENARIOS: readonly ScenarioName[] = ['idempotency', 'batch', 'stream', 'api', 'power-tuning'];

/** `demo-output/` at the repository root (git-ignored). */
export const DEFAULT_OUT_DIR = path.resolve(__dirname, '..', '..', 'demo-output');

export interface DemoOptions {
  /** Where the power-tuning output and HTML report are written. */
  readonly outDir: string;
  /** Receives every line of the demo's readable output. */
  readonly log: (line: string) => void;
  /** Which scenarios to run, in the demo's order. @default all */
  readonly scenarios?: readonly ScenarioName[];
  /** Directory holding the bundled templates. @default the repository's assets/ */
  readonly assetsDir?: string;
  /** The recorded tuning run to analyze. @default examples/demo/fixtures/tuning-recording.json */
  readonly tuningRecording?: string;
  /** Size of the batch simulation. */
  readonly batch?: BatchOptions;
}

export interface DemoResult {
  /** Every check passed (and at least one ran). */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
  readonly failures: readonly CheckResult[];
  readonly durationMs: number;
  readonly idempotency?: IdempotencyFacts;
  readonly batch?: BatchFacts;
  readonly stream?: StreamFacts;
  readonly api?: ApiFacts;
  readonly powerTuning?: PowerTuningFacts;
}

const TITLES: Record<ScenarioName, string> = {
  'idempotency': 'Idempotent replay · IdempotentFunction template on DynamoDB (dynalite)',
  'batch': 'Partial batch failure · SqsBatchConsumer template on the SQS redelivery simulator',
  'stream': 'Poison record in a stream · StreamBatchConsumer template on the shard simulator',
  'api': 'API requests · ObservableApi template with REST API proxy events',
  'power-tuning': 'Power-tuning analysis · tuner template and report command on a recorded run',
};

/** Runs the selected scenarios and checks what they show. Never throws for a failed scenario: see `ok`. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { log } = options;
  const selected = SCENARIOS.filter((s) => (options.scenarios ?? SCENARIOS).includes(s));
  const checks = new Checklist(log);
  const facts: { -readonly [K in keyof DemoResult]?: DemoResult[K] } = {};
  log('cdk-serverless-powertools demo: the example app\'s bundled templates, run locally (no AWS account)');

  const restoreEnv = snapshotEnv();
  Object.assign(process.env, LOCAL_LAMBDA_ENV);
  let dynalite: DynaliteServer | undefined;
  let client: DynamoDBClient | undefined;
  try {
    dynalite = await startDynalite();
    // The standard per-service endpoint variable: the templates' own SDK clients pick it up.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.endpoint;
    client = new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: LOCAL_LAMBDA_ENV.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    log(`embedded DynamoDB (dynalite) listening on ${dynalite.endpoint}`);
    const ctx = (scenario: ScenarioName): ScenarioContext => ({
      log,
      check: checks.for(scenario),
      assetsDir: options.assetsDir ?? DEFAULT_ASSETS_DIR,
      outDir: options.outDir,
      dynamo: { endpoint: dynalite!.endpoint, client: client! },
    });

    for (const [i, scenario] of selected.entries()) {
      log(header(i + 1, selected.length, TITLES[scenario]));
      try {
        switch (scenario) {
          case 'idempotency':
            facts.idempotency = await idempotentReplay(ctx(scenario));
            break;
          case 'batch':
            facts.batch = await batchRedelivery(ctx(scenario), options.batch);
            break;
          case 'stream':
            facts.stream = await streamPoison(ctx(scenario));
            break;
          case 'api':
            facts.api = await apiRequests(ctx(scenario));
            break;
          case 'power-tuning':
            facts.powerTuning = await powerTuningAnalysis(ctx(scenario), options.tuningRecording);
            break;
        }
      } catch (error) {
        // One broken scenario must not hide the others' results.
        checks.crashed(scenario, error);
      }
    }
  } catch (error) {
    checks.crashed('setup', error);
  } finally {
    client?.destroy();
    await dynalite?.stop();
    restoreEnv();
  }

  const durationMs = Date.now() - started;
  summarize(checks, durationMs, facts.powerTuning?.reportPath, log);
  return { ok: checks.ok, checks: checks.results, failures: checks.failures, durationMs, ...facts };
}

function summarize(checks: Checklist, durationMs: number, reportPath: string | undefined, log: (line: string) => void): void {
  log(header(0, 0, 'Summary').replace(' 0/0', ''));
  const total = checks.results.length;
  const seconds = (durationMs / 1000).toFixed(1);
  if (checks.ok) {
    log(`  ✓ all ${total} checks passed in ${seconds} s`);
  } else {
    log(`  ✗ ${checks.failures.length} of ${total} checks failed (${seconds} s):`);
    for (const f of checks.failures) log(`    ✗ [${f.scenario}] ${f.name}${f.detail ? `: ${f.detail}` : ''}`);
  }
  if (reportPath) log(`  power-tuning report: ${reportPath}`);
}

const USAGE = 'Usage: ts-node --prefer-ts-exts examples/demo/run.ts [--out <dir>] [--only idempotency,batch,stream,api,power-tuning]';

/** The command line: returns the exit code. `overrides` reach runDemo (tests). */
export async function main(
  argv: readonly string[],
  io: { stdout: (line: string) => void; stderr: (line: string) => void } = { stdout: console.log, stderr: console.error },
  overrides: Partial<DemoOptions> = {},
): Promise<number> {
  let outDir = DEFAULT_OUT_DIR;
  let scenarios: ScenarioName[] | undefined;
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if ((arg === '--out' || arg === '-o') && args[0]) {
      outDir = path.resolve(args.shift()!);
    } else if (arg === '--only' && args[0]) {
      scenarios = args.shift()!.split(',') as ScenarioName[];
      const unknown = scenarios.filter((s) => !SCENARIOS.includes(s));
      if (unknown.length > 0) {
        io.stderr(`demo: unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
        return 2;
      }
    } else {
      io.stderr(`demo: unexpected argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  const result = await runDemo({ outDir, log: io.stdout, scenarios, ...overrides });
  if (!result.ok) {
    io.stderr(`\nDemo failed: ${result.failures.length} check(s) failed; the first: [${result.failures[0]?.scenario}] ${result.failures[0]?.name}` +
      `${result.failures[0]?.detail ? ` (${result.failures[0].detail})` : ''}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`Demo failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
