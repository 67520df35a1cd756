/**
 * `npm run bench`: measures the templates and constructs against their anchors, side by
 * side and interleaved in one run, prints a table and writes bench/results.json.
 * Every section runs twice: in this process (the repository's Node, 20) and in a child on
 * Node 24, the Node.js of Lambda's nodejs24.x; every row carries the Node version.
 * `npm run bench -- --smoke` runs few samples with small N (CI uses it to keep this
 * working; CI asserts no timings).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adaptiveSamplingBench, SCENARIOS } from './lib/adaptive-sampling';
import { analyzerCost } from './lib/analyzer-cost';
import { ROOT } from './lib/anchors';
import { batchThroughput } from './lib/batch-throughput';
import { BENCH_LAMBDA_ENV } from './lib/cold-init';
import { coldInitRows, memoryRows, sizeRows } from './lib/cold-init-section';
import { idempotencyCost } from './lib/idempotency-cost';
import { node24Binary } from './lib/node-runtimes';
import { fmt, ratio, Summary } from './lib/stats';
import { streamThroughput } from './lib/stream-throughput';
import { synthRows } from './lib/synth-section';
import { templateOptionCosts } from './lib/template-options';

const smoke = process.argv.includes('--smoke');
const childOut = process.argv.includes('--child') ? process.argv[process.argv.indexOf('--child') + 1] : undefined;
const ROUNDS = smoke ? 3 : 15;
// `--only coldInit,batchThroughput` measures just those sections (exploration; nothing is written).
const onlyArg = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const wanted = (section: string) => !only || only.has(section);
const SECTIONS = ['adaptiveSampling', 'coldInit', 'bundleSize', 'templateOptions', 'memory', 'idempotency', 'batchThroughput', 'streamThroughput', 'synth', 'analyzer'];
if (only) {
  const unknown = [...only].filter((s) => !SECTIONS.includes(s));
  if (unknown.length > 0) throw new Error(`--only ${onlyArg}: unknown section(s) ${unknown.join(', ')}; use any of ${SECTIONS.join(', ')}`);
}
const BATCH_SIZES = smoke ? [10, 100] : [10, 100, 10_000];

/** Every section's rows on one Node; `node` is added to each row when the runs are merged. */
async function measure(): Promise<Record<string, any[]>> {
  // In-process subjects see what a Lambda function would; logs below WARN are off for all.
  Object.assign(process.env, BENCH_LAMBDA_ENV, { POWERTOOLS_LOG_LEVEL: 'WARN' });
  const step = (name: string) => console.log(`[${process.version}] ${name}`);
  const sections: Record<string, any[]> = {};
  const run = async (name: string, label: string, fn: () => Promise<any[]> | any[]) => {
    if (!wanted(name)) return;
    step(label);
    sections[name] = await fn();
  };
  await run('coldInit', 'cold init', () => coldInitRows(process.execPath, ROUNDS));
  await run('bundleSize', 'bundle size', () => sizeRows());
  await run('templateOptions', 'template options', () => templateOptionCosts(ROUNDS));
  await run('memory', 'memory', () => memoryRows(process.execPath, smoke ? 1 : 3, smoke ? 20 : 1000, smoke ? 20 : 4000));
  await run('idempotency', 'idempotency', async () => [await idempotencyCost(ROUNDS)]);
  await run('batchThroughput', 'batch throughput', () => batchThroughput(BATCH_SIZES, ROUNDS));
  await run('streamThroughput', 'stream throughput', () => streamThroughput(BATCH_SIZES, ROUNDS));
  // Fewer rounds than the rest: one N=50 NodejsFunction app takes ~20 s to synthesize.
  await run('synth', 'synth', () => synthRows(smoke ? [1, 2] : [1, 10, 50], smoke ? 2 : 5));
  await run('analyzer', 'analyzer', () => [analyzerCost(10_000, ROUNDS)]);
  return sections;
}

async function main() {
  // A partial run (--only) may build no anchor, which is what used to create bench/.out.
  fs.mkdirSync(path.join(ROOT, 'bench', '.out'), { recursive: true });
  if (childOut) {
    fs.writeFileSync(childOut, JSON.stringify(await measure()));
    return;
  }
  const started = new Date();
  const runs: { node: string; sections: Record<string, any[]> }[] = [{ node: process.version, sections: await measure() }];
  const node24 = node24Binary(ROOT, smoke);
  if (node24 && node24 !== process.execPath) {
    const out = path.join(ROOT, 'bench', '.out', 'node24-sections.json');
    const node24Version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
    // ts-node runs this file on Node 24 too; nothing but the Node binary differs.
    const passOn = [...(smoke ? ['--smoke'] : []), ...(onlyArg ? ['--only', onlyArg] : [])];
    execFileSync(node24, ['-r', 'ts-node/register/transpile-only', __filename, '--child', out, ...passOn], {
      stdio: 'inherit',
      env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' },
    });
    runs.push({ node: node24Version, sections: JSON.parse(fs.readFileSync(out, 'utf8')) });
  }
  const results: any = {
    date: started.toISOString(),
    mode: smoke ? 'smoke' : 'full',
    machine: {
      nodes: runs.map((r) => r.node),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
    },
  };
  // Node 24 first: the goals hold there; Node 20 is for comparison.
  runs.sort((a, b) => b.node.localeCompare(a.node, 'en', { numeric: true }));
  for (const key of Object.keys(runs[0].sections)) {
    results[key] = runs.flatMap((r) => (r.sections[key] ?? []).map((row) => ({ node: r.node, ...row })));
  }

  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    console.log(line);
  };
  say(`# cdk-serverless-powertools benchmarks (${results.mode}, ${results.date})`);
  say(`node ${results.machine.nodes.join(' and ')}, ${results.machine.cpus}, ${results.machine.memoryGiB} GiB, load average ${results.machine.loadAverage1m}`);
  printTables(results, say);

  // 7. Adaptive sampling against the exhaustive sweep (synthetic, seeded; counts, not timings).
  results.adaptiveSampling = wanted('adaptiveSampling') ? (smoke ? [10] : [10, 30]).map((num) => adaptiveSamplingBench(smoke ? 20 : 200, num)) : [];
  for (const b of results.adaptiveSampling) {
    say('');
    say(`## Adaptive sampling: num ${b.num}, minInvocations ${b.minInvocations}, confidence ${b.confidence}, ${b.rows[0].trials} seeded trials per row`);
    say('| distribution | strategy | invocations vs exhaustive (goal <= 50 %) | same pick as exhaustive | exhaustive vs exhaustive (noise floor) | mean regret |');
    say('|---|---|---|---|---|---|');
    for (const r of b.rows) {
      const share = `${fmt(r.invocationShare * 100, 0)} %${r.invocationShare <= 0.5 ? ' met' : ''}`;
      say(`| ${r.scenario} | ${r.strategy} | ${share} | ${fmt(r.agreement * 100, 1)} % | ${fmt(r.exhaustiveSelfAgreement * 100, 1)} % | ${fmt(r.meanRegret * 100, 3)} % |`);
    }
  }
  if (wanted('adaptiveSampling')) say(SCENARIOS.map((s) => `${s.name}: ${s.describe}`).join('; '));

  // Smoke runs (CI) never overwrite the committed full results.
  // A partial run (--only) never does either.
  const resultsFile = only
    ? path.join(ROOT, 'bench', '.out', 'results-only.json')
    : smoke ? path.join(ROOT, 'bench', '.out', 'results-smoke.json') : path.join(ROOT, 'bench', 'results.json');
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(ROOT, 'bench', '.out', only ? 'table-only.md' : smoke ? 'table-smoke.md' : 'table.md'), out.join('\n') + '\n');
  console.log(`\nwrote ${path.relative(ROOT, resultsFile)}`);
}

function printTables(results: any, say: (line?: string) => void) {
  say('');
  say(`## Cold init: import + first invocation, fresh node process; median [min-max] ms of ${ROUNDS}`);
  say('| node | template | ours | ours import only | anchor (NodejsFunction default bundle) | ratio | goal |');
  say('|---|---|---|---|---|---|---|');
  for (const r of results.coldInit ?? []) {
    if (!r.anchor) {
      say(`| ${r.node} | ${r.template} | ${range(r.ours)} | ${range(r.oursImport)} | | | |`);
      continue;
    }
    const verdict = r.goal === undefined ? '-' : `<= ${r.goal} ${r.ratio <= r.goal ? 'met' : 'MISSED'}`;
    say(`| ${r.node} | ${r.template} | ${range(r.ours)} | ${range(r.oursImport)} | ${range(r.anchor)} | ${r.ratio} | ${verdict} |`);
  }

  say('');
  say('## Bundle size (bytes loaded at init: entry + statically imported chunks; lazy chunks listed apart)');
  say('The anchor leaves @aws-sdk/* external (loaded from the runtime at init); ours bundles the SDK.');
  say('| node | template | ours at init | ours gzip | ours incl. lazy chunks | anchor | anchor gzip | ratio (gzip) |');
  say('|---|---|---|---|---|---|---|---|');
  for (const r of results.bundleSize ?? []) {
    say(`| ${r.node} | ${r.template} | ${r.bytes} | ${r.gzipBytes} | ${r.totalBytes} | ${r.anchorBytes} | ${r.anchorGzipBytes} | ${ratio(r.gzipBytes, r.anchorGzipBytes)} |`);
  }

  say('');
  say(`## Template options: cold init with / without (import + first event, fresh node process; median [min-max] ms of ${ROUNDS})`);
  say('| node | option | template | without | with | ratio |');
  say('|---|---|---|---|---|---|');
  for (const r of results.templateOptions ?? []) say(`| ${r.node} | ${r.option} | ${r.template} | ${range(r.without)} | ${range(r.with)} | ${r.ratio} |`);

  say('');
  say('## Memory: RSS and V8 heap in use after a full GC, MiB, median of the runs');
  say('After init + first invocation, after N more invocations and after M beyond those, each invocation a new event-loop turn as on Lambda.');
  say('Leak check: from N to N + M invocations memory should stay flat.');
  say('| node | subject | N | RSS after init | RSS after N | RSS after N + M | heap in use after init | after N | after N + M | RSS vs anchor, after init | after N |');
  say('|---|---|---|---|---|---|---|---|---|---|---|');
  const optional = (n?: number) => (n === undefined ? '' : fmt(n));
  for (const r of results.memory ?? []) {
    const m = r.moreInvocations ? ` (M ${r.moreInvocations})` : '';
    say(
      `| ${r.node} | ${r.subject} | ${r.invocations}${m} | ${fmt(r.rssAfterInitMb)} | ${fmt(r.rssAfterRepeatMb)} | ${optional(r.rssAfterMoreMb)} | ` +
        `${fmt(r.heapAfterInitMb)} | ${fmt(r.heapAfterRepeatMb)} | ${optional(r.heapAfterMoreMb)} | ${r.vsAnchor ?? ''} | ${r.vsAnchorAfter ?? ''} |`,
    );
  }

  say('');
  say('## Idempotency cost (on dynalite, in-process on 127.0.0.1)');
  say('| node | DynamoDB requests: first / repeat / repeat with local cache (dynalite) | on DynamoDB | anchor (makeIdempotent direct, dynalite): first / repeat |');
  say('|---|---|---|---|');
  for (const r of results.idempotency ?? []) {
    say(
      `| ${r.node} | ${r.requests.firstCall} / ${r.requests.repeat} / ${r.requests.repeatWithLocalCache} | ${r.requestsOnDynamoDb.firstCall} / ${r.requestsOnDynamoDb.repeat} / ${r.requestsOnDynamoDb.repeatWithLocalCache} | ${r.anchorRequests.firstCall} / ${r.anchorRequests.repeat} |`,
    );
  }
  say('dynalite ignores ReturnValuesOnConditionCheckFailure, so a repeat there costs a failed PutItem plus a GetItem;');
  say('DynamoDB returns the stored record with the failed PutItem, so a repeat costs 1 request.');
  say('| node | bare logic | template first call | anchor first call | template repeat | anchor repeat | added latency, template / anchor (goal <= 1.05) |');
  say('|---|---|---|---|---|---|---|');
  for (const r of results.idempotency ?? []) {
    const l = r.latencyMs;
    say(
      `| ${r.node} | ${range(l.bare, 3)} | ${range(l.firstCall, 2)} | ${range(l.anchorFirstCall, 2)} | ${range(l.repeat, 2)} | ${range(l.anchorRepeat, 2)} | ${r.addedLatencyRatio} ${r.addedLatencyRatio <= 1.05 ? 'met' : 'MISSED'} |`,
    );
  }

  say('');
  say('## Batch throughput (records/s, median of the rounds; no-op logic, log level WARN)');
  say('| node | records | failing | template | BatchProcessor direct | Promise.allSettled | template / BatchProcessor | goal |');
  say('|---|---|---|---|---|---|---|---|');
  for (const r of results.batchThroughput ?? []) {
    const rr = ratio(r.template.median, r.batchProcessor.median);
    const goal = r.failing === '0%' ? 0.9 : 0.5;
    say(`| ${r.node} | ${r.records} | ${r.failing} | ${fmt(r.template.median, 0)} | ${fmt(r.batchProcessor.median, 0)} | ${fmt(r.allSettled.median, 0)} | ${rr} | >= ${goal} ${rr >= goal ? 'met' : 'MISSED'} |`);
  }

  say('');
  say('## Stream throughput (records/s, median of the rounds; one shard in order, no-op logic, log level WARN)');
  say('| node | records | failing | template | BatchProcessor direct (sequential) | plain loop | template / BatchProcessor | goal |');
  say('|---|---|---|---|---|---|---|---|');
  for (const r of results.streamThroughput ?? []) {
    const rr = ratio(r.template.median, r.batchProcessor.median);
    // The batch goals, as the issue asks of the stream consumer: one failing record stands for the failing case.
    const goal = r.failing === 'none' ? 0.9 : 0.5;
    say(`| ${r.node} | ${r.records} | ${r.failing} | ${fmt(r.template.median, 0)} | ${fmt(r.batchProcessor.median, 0)} | ${fmt(r.plainLoop.median, 0)} | ${rr} | >= ${goal} ${rr >= goal ? 'met' : 'MISSED'} |`);
  }

  say('');
  say(`## Synth cost (ms to build + synthesize an app of N; median [min-max] of ${results.synth?.[0]?.ours.samples ?? 0})`);
  say('| node | N | construct | ours | N bare Functions | N NodejsFunctions | vs NodejsFunction (goal at N=50 <= 0.5) | vs bare |');
  say('|---|---|---|---|---|---|---|---|');
  for (const r of results.synth ?? []) {
    const goal = r.n === 50 ? (r.vsNodejsFunction <= 0.5 ? ' met' : ' MISSED') : '';
    say(`| ${r.node} | ${r.n} | ${r.construct} | ${range(r.ours, 0)} | ${range(r.bare, 0)} | ${range(r.nodejsFunction, 0)} | ${r.vsNodejsFunction}${goal} | ${r.vsBare} |`);
  }

  say('');
  say('## Power-tuning analyzer: 10 000 invocation results x 7 power values, median [min-max] ms');
  for (const r of results.analyzer ?? []) say(`${r.node}: analyze ${range(r.ms, 2)}`);
}

function range(s: Summary | undefined, digits = 1): string {
  return s ? `${fmt(s.median, digits)} [${fmt(s.min, digits)}-${fmt(s.max, digits)}]` : '';
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
