/**
 * `npm run bench`: measures the templates and constructs against their anchors, side by
 * side and interleaved in one run, prints a table and writes bench/results.json.
 * `npm run bench -- --smoke` runs few samples with small N (CI uses it to keep this
 * working; CI asserts no timings).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import * as lib from '../src';
import { analyzerCost } from './lib/analyzer-cost';
import { bundleAnchor, ROOT, templateAsset } from './lib/anchors';
import { batchThroughput } from './lib/batch-throughput';
import { BENCH_LAMBDA_ENV, coldInitMs, IDEMPOTENCY_BENCH_ENV } from './lib/cold-init';
import { idempotencyCost } from './lib/idempotency-cost';
import { fmt, interleave, ratio, summarize, Summary } from './lib/stats';
import { streamThroughput } from './lib/stream-throughput';
import { bareFunction, Builder, nodejsFunctionBuilder, synthMs } from './lib/synth-cost';

const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 3 : 15;
const SYNTH_NS = smoke ? [1, 2] : [1, 10, 50];
const BATCH_SIZES = smoke ? [10, 100] : [10, 100, 10_000];

/** Which export of each template builds its handler, and its hand-written anchor. */
const TEMPLATES: { name: string; template: string; exportName: string; anchor: string; goal?: number; env?: Record<string, string> }[] = [
  { name: 'idempotent', template: 'idempotent', exportName: 'handler', anchor: 'idempotent', goal: 0.4, env: IDEMPOTENCY_BENCH_ENV },
  { name: 'batch', template: 'batch', exportName: 'handler', anchor: 'batch', goal: 0.3 },
  { name: 'batch (per-record idempotency)', template: 'batch', exportName: 'handler', anchor: 'batch-idempotent', goal: undefined, env: IDEMPOTENCY_BENCH_ENV },
  { name: 'stream', template: 'stream', exportName: 'handler', anchor: 'stream', goal: undefined },
  { name: 'api', template: 'api', exportName: 'handler', anchor: 'api', goal: 0.35 },
  { name: 'tuner', template: 'tuner', exportName: 'executor', anchor: 'tuner-executor', goal: undefined },
];

const CONSTRUCTS: Record<string, Builder> = {
  IdempotentFunction: (stack, id) => new lib.IdempotentFunction(stack, id),
  SqsBatchConsumer: (stack, id) => new lib.SqsBatchConsumer(stack, id),
  ObservableApi: (stack, id) => new lib.ObservableApi(stack, id),
  PowerTunedFunction: (stack, id) => new lib.PowerTunedFunction(stack, id),
};

async function main() {
  // In-process subjects see what a Lambda function would; logs below WARN are off for all.
  Object.assign(process.env, BENCH_LAMBDA_ENV, { POWERTOOLS_LOG_LEVEL: 'WARN' });
  const started = new Date();
  const results: any = {
    date: started.toISOString(),
    mode: smoke ? 'smoke' : 'full',
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
  };
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    console.log(line);
  };
  say(`# cdk-serverless-powertools benchmarks (${results.mode}, ${results.date})`);
  say(`node ${results.machine.node}, ${results.machine.cpus}, ${results.machine.memoryGiB} GiB`);

  // 1 + 2. Cold init and bundle size per template.
  const floor = bundleAnchor('empty');
  const coldSubjects: Record<string, () => number> = { floor: () => coldInitMs(floor) };
  for (const t of TEMPLATES) {
    const asset = templateAsset(t.template);
    const anchor = bundleAnchor(t.anchor);
    coldSubjects[t.name] = () => coldInitMs(asset, { BENCH_EXPORT: t.exportName, ...t.env }, t.exportName);
    coldSubjects[`${t.name}:anchor`] = () => coldInitMs(anchor, { ...t.env }, 'handler');
  }
  const cold = await interleave(coldSubjects, ROUNDS);
  const coldRows = TEMPLATES.map((t) => {
    const ours = summarize(cold[t.name]);
    const anchor = summarize(cold[`${t.name}:anchor`]);
    return { template: t.name, ours, anchor, ratio: ratio(ours.median, anchor.median), goal: t.goal };
  });
  const floorSummary = summarize(cold.floor);
  results.coldInit = { floor: floorSummary, templates: coldRows };
  say('');
  say(`## Cold init (import + first handler, fresh node process; median [min-max] ms of ${ROUNDS})`);
  say('| template | ours | anchor (NodejsFunction default bundle) | ratio | goal |');
  say('|---|---|---|---|---|');
  for (const r of coldRows) {
    const verdict = r.goal === undefined ? '-' : `<= ${r.goal} ${r.ratio <= r.goal ? 'met' : 'MISSED'}`;
    say(`| ${r.template} | ${range(r.ours)} | ${range(r.anchor)} | ${r.ratio} | ${verdict} |`);
  }
  say(`| floor (empty handler) | ${range(floorSummary)} | | | |`);

  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'assets', 'manifest.json'), 'utf8'));
  const sizeRows = TEMPLATES.map((t) => {
    const anchor = fs.readFileSync(bundleAnchor(t.anchor));
    const ours = manifest[t.template];
    return {
      template: t.name,
      bytes: ours.initBytes,
      gzipBytes: ours.initGzipBytes,
      totalBytes: ours.totalBytes,
      anchorBytes: anchor.length,
      anchorGzipBytes: gzipSync(anchor).length,
    };
  });
  results.bundleSize = sizeRows;
  say('');
  say('## Bundle size (bytes loaded at init: entry + statically imported chunks; lazy chunks listed apart)');
  say('The anchor leaves @aws-sdk/* external (loaded from the runtime at init); ours bundles the SDK.');
  say('| template | ours at init | ours gzip | ours incl. lazy chunks | anchor | anchor gzip | ratio (gzip) |');
  say('|---|---|---|---|---|---|---|');
  for (const r of sizeRows) {
    say(
      `| ${r.template} | ${r.bytes} | ${r.gzipBytes} | ${r.totalBytes} | ${r.anchorBytes} | ${r.anchorGzipBytes} | ${ratio(r.gzipBytes, r.anchorGzipBytes)} |`,
    );
  }

  // 3. Idempotency on dynalite.
  const idem = await idempotencyCost(ROUNDS);
  results.idempotency = idem;
  say('');
  say('## Idempotency cost (idempotent template on dynalite, in-process on 127.0.0.1)');
  say('| | first call | repeat | repeat with local cache |');
  say('|---|---|---|---|');
  say(`| DynamoDB requests on dynalite | ${idem.requests.firstCall} | ${idem.requests.repeat} | ${idem.requests.repeatWithLocalCache} |`);
  say(`| DynamoDB requests on DynamoDB | ${idem.requestsOnDynamoDb.firstCall} | ${idem.requestsOnDynamoDb.repeat} | ${idem.requestsOnDynamoDb.repeatWithLocalCache} |`);
  say('dynalite ignores ReturnValuesOnConditionCheckFailure, so a repeat there costs a failed PutItem plus a GetItem;');
  say('DynamoDB returns the stored record with the failed PutItem, so a repeat costs 1 request.');
  say(
    `Latency per call, median [min-max] ms: bare logic ${range(idem.latencyMs.bare, 3)}, first call ${range(idem.latencyMs.firstCall)}, ` +
      `repeat ${range(idem.latencyMs.repeat)}; added by idempotency on a first call: ${fmt(idem.latencyMs.firstCall.median - idem.latencyMs.bare.median, 2)} ms`,
  );

  // 4. Batch throughput.
  const batch = await batchThroughput(BATCH_SIZES, ROUNDS);
  results.batchThroughput = batch;
  say('');
  say('## Batch throughput (records/s, median of the rounds; no-op logic, log level WARN)');
  say('| records | failing | template | BatchProcessor direct | Promise.allSettled | template / BatchProcessor (goal >= 0.9) |');
  say('|---|---|---|---|---|---|');
  for (const r of batch) {
    const rr = ratio(r.template.median, r.batchProcessor.median);
    say(
      `| ${r.records} | ${r.failing} | ${fmt(r.template.median, 0)} | ${fmt(r.batchProcessor.median, 0)} | ${fmt(r.allSettled.median, 0)} | ${rr} ${rr >= 0.9 ? 'met' : 'MISSED'} |`,
    );
  }

  // 4b. Stream throughput.
  const stream = await streamThroughput(BATCH_SIZES, ROUNDS);
  results.streamThroughput = stream;
  say('');
  say('## Stream throughput (records/s, median of the rounds; one shard in order, no-op logic, log level WARN)');
  say('| records | failing | template | BatchProcessor direct (sequential) | plain loop | template / BatchProcessor |');
  say('|---|---|---|---|---|---|');
  for (const r of stream) {
    say(`| ${r.records} | ${r.failing} | ${fmt(r.template.median, 0)} | ${fmt(r.batchProcessor.median, 0)} | ${fmt(r.plainLoop.median, 0)} | ${ratio(r.template.median, r.batchProcessor.median)} |`);
  }

  // 5. Synth cost.
  // Under the project root, where NodejsFunction looks for the lock file, as in a real app.
  const entryDir = path.join(ROOT, 'bench', '.out', 'entries');
  fs.rmSync(entryDir, { recursive: true, force: true });
  fs.mkdirSync(entryDir, { recursive: true });
  const synthRows: any[] = [];
  for (const n of SYNTH_NS) {
    const subjects: Record<string, () => number> = {
      'bare lambda.Function': () => synthMs(bareFunction, n),
      'NodejsFunction': () => synthMs(nodejsFunctionBuilder(entryDir), n),
    };
    for (const [name, build] of Object.entries(CONSTRUCTS)) subjects[name] = () => synthMs(build, n);
    // One warm-up round loads modules and fills caches that a CLI process would also fill once.
    await interleave(subjects, 1);
    const samples = await interleave(subjects, ROUNDS);
    const anchor = summarize(samples.NodejsFunction);
    const bare = summarize(samples['bare lambda.Function']);
    for (const name of Object.keys(CONSTRUCTS)) {
      const ours = summarize(samples[name]);
      synthRows.push({
        n,
        construct: name,
        ours,
        bare,
        nodejsFunction: anchor,
        vsNodejsFunction: ratio(ours.median, anchor.median),
        vsBare: ratio(ours.median, bare.median),
      });
    }
  }
  fs.rmSync(entryDir, { recursive: true, force: true });
  results.synth = synthRows;
  say('');
  say(`## Synth cost (ms to build + synthesize an app of N; median [min-max] of ${ROUNDS})`);
  say('| N | construct | ours | N bare Functions | N NodejsFunctions | vs NodejsFunction (goal at N=50 <= 0.5) | vs bare |');
  say('|---|---|---|---|---|---|---|');
  for (const r of synthRows) {
    const goal = r.n === 50 ? (r.vsNodejsFunction <= 0.5 ? ' met' : ' MISSED') : '';
    say(`| ${r.n} | ${r.construct} | ${range(r.ours, 0)} | ${range(r.bare, 0)} | ${range(r.nodejsFunction, 0)} | ${r.vsNodejsFunction}${goal} | ${r.vsBare} |`);
  }

  // 6. Power-tuning analyzer.
  const analyzer = analyzerCost(10_000, ROUNDS);
  results.analyzer = analyzer;
  say('');
  say(`## Power-tuning analyzer: ${analyzer.invocations} invocation results x ${analyzer.powerValues} power values, median [min-max] ms`);
  say(`analyze: ${range(analyzer.ms, 2)}`);

  // Smoke runs (CI) never overwrite the committed full results.
  const resultsFile = smoke ? path.join(ROOT, 'bench', '.out', 'results-smoke.json') : path.join(ROOT, 'bench', 'results.json');
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(ROOT, 'bench', '.out', smoke ? 'table-smoke.md' : 'table.md'), out.join('\n') + '\n');
  console.log(`\nwrote ${path.relative(ROOT, resultsFile)}`);
}

function range(s: Summary, digits = 1): string {
  return `${fmt(s.median, digits)} [${fmt(s.min, digits)}-${fmt(s.max, digits)}]`;
}


main().catch((err) => {
  console.error(err);
  process.exit(1);
});
