/**
 * Runs `npm run demo` in-process (runDemo) against the bundled templates, and proves it
 * fails when what it shows is not true.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/temp';
import { schemaProblems } from '../examples/demo/api-gateway-checks';
import { Checklist } from '../examples/demo/checks';
import { LogTap } from '../examples/demo/log-tap';
import { DEFAULT_RECORDING, REPORT_FILE, TuningRecording } from '../examples/demo/power-tuning';
import { DemoResult, main, runDemo } from '../examples/demo/run';

const demoDir = (): string => tempDir('csp-demo-');

describe('the demo, end to end', () => {
  let outDir: string;
  let lines: string[];
  let result: DemoResult;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    outDir = demoDir();
    lines = [];
    result = await runDemo({ outDir, log: (line) => lines.push(line) });
  });

  test('succeeds with every check passed', () => {
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.length).toBeGreaterThanOrEqual(15);
    expect(new Set(result.checks.map((c) => c.scenario))).toEqual(new Set(['idempotency', 'batch', 'stream', 'api', 'power-tuning']));
    const output = lines.join('\n');
    expect(output).toContain('✓ all');
    expect(output).not.toContain('✗');
  });

  test('idempotent replay: the same order twice, executed once', () => {
    const facts = result.idempotency!;
    expect(facts.acknowledgementIds[0]).toBe(facts.acknowledgementIds[1]);
    expect(facts.acknowledgementIds[2]).not.toBe(facts.acknowledgementIds[0]);
    expect(facts.executions).toBe(2); // order-1001 once (not twice), order-1002 once
    expect(facts.replays).toBe(1);
    expect(facts.storedRecords).toBe(2);
  });

  test('partial batch failure: retries succeed, the poison messages are in the DLQ after maxReceiveCount', () => {
    const facts = result.batch!;
    expect(facts.flakyOrders).toBeGreaterThan(0);
    expect(facts.lost).toBe(0);
    expect(facts.deadLetters.map((d) => d.messageId).sort()).toEqual([...facts.poisonMessageIds].sort());
    expect(facts.deadLetters.every((d) => d.receiveCount === 3)).toBe(true);
    expect(facts.processed + facts.deadLetters.length).toBe(facts.sent);
    expect(lines.some((l) => l.startsWith('  … ') && l.includes('invocations'))).toBe(true); // progress
  });

  test('stream: the poison record reaches the on-failure destination while its shard moves on, nothing lost', () => {
    const facts = result.stream!;
    expect(facts.lost).toBe(0);
    expect(facts.destination).toHaveLength(1);
    expect(BigInt(facts.destination[0].startSequenceNumber)).toBe(BigInt(facts.poisonSequenceNumber));
    expect(facts.processed + facts.destination[0].batchSize).toBe(facts.sent);
  });

  test('API requests: 200, 400 and 404 with correlation ids in the JSON log lines', () => {
    const facts = result.api!;
    expect(facts.statuses).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(facts.logLines).toBeGreaterThanOrEqual(facts.statuses.length);
    // The digest shows log lines with their correlation id.
    expect(lines.join('\n')).toContain(`"correlation_id": "${facts.correlationIds[5]}"`);
  });

  test('API Gateway checks of the production APIs: a body rejected by validation (400) and a missing JWT (401), no invocation for either', () => {
    const facts = result.api!.gateway;
    expect(facts.invalidBodyStatus).toBe(400);
    expect(facts.missingJwtStatus).toBe(401);
    expect(facts.invocationsForRejected).toBe(0);
    expect(facts.acceptedStatuses).toEqual([201, 201]);
    expect(lines.some((l) => l.includes('(no Authorization header)') && l.includes('→ 401'))).toBe(true);
  });

  test('power tuning: the report exists, holds every power value, and its path is printed', () => {
    const facts = result.powerTuning!;
    expect(facts.reportPath).toBe(path.join(outDir, REPORT_FILE));
    const html = fs.readFileSync(facts.reportPath, 'utf8');
    for (const powerMb of [128, 256, 512, 1024, 2048]) expect(html).toContain(`${powerMb} MB`);
    expect(facts.recommendationMb).toBe(1024);
    expect(facts.skippedMb).toEqual([128]);
    expect(lines.some((l) => l.includes(facts.reportPath))).toBe(true);
  });

  test('leaves the environment as it found it', () => {
    expect(process.env).toEqual(envBefore);
  });
});

describe('the demo fails when what it shows is not true', () => {
  test('the API Gateway model check finds each problem, and refuses a schema keyword it does not implement', () => {
    const schema = { type: 'object', required: ['item'], additionalProperties: false, properties: { item: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 } } };
    expect(schemaProblems(schema, { item: 'book', quantity: 2 })).toEqual([]);
    expect(schemaProblems(schema, { quantity: 0.5, extra: true })).toEqual(['body.item is missing', 'body.quantity is not an integer', 'body.extra is not allowed']);
    expect(schemaProblems(schema, [])).toEqual(['body is not an object']);
    expect(() => schemaProblems({ type: 'object', pattern: '^a' }, {})).toThrow(/does not know pattern/);
  });


  test('a recording whose analysis contradicts its expectation fails the power-tuning check', async () => {
    const dir = demoDir();
    const recording: TuningRecording = JSON.parse(fs.readFileSync(DEFAULT_RECORDING, 'utf8'));
    const file = path.join(dir, 'recording.json');
    fs.writeFileSync(file, JSON.stringify({ ...recording, expected: { ...recording.expected, recommendationMb: 2048 } }));
    const result = await runDemo({ outDir: dir, log: () => undefined, scenarios: ['power-tuning'], tuningRecording: file });
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.name)).toEqual(['the balanced strategy recommends 2048 MB']);
    expect(result.failures[0].detail).toBe('got 1024 MB');
  });

  test('a recording with too few invocations fails with a clear message', async () => {
    const dir = demoDir();
    const recording: TuningRecording = JSON.parse(fs.readFileSync(DEFAULT_RECORDING, 'utf8'));
    const file = path.join(dir, 'recording.json');
    fs.writeFileSync(file, JSON.stringify({ ...recording, invocations: { ...recording.invocations, 512: recording.invocations['512'].slice(0, 3) } }));
    const result = await runDemo({ outDir: dir, log: () => undefined, scenarios: ['power-tuning'], tuningRecording: file });
    expect(result.ok).toBe(false);
    expect(result.failures[0].detail).toMatch(/the recording has 3 invocations for 512 MB/);
  });

  test('missing bundled templates fail every scenario that needs them, naming the fix', async () => {
    const lines: string[] = [];
    const result = await runDemo({ outDir: demoDir(), log: (l) => lines.push(l), scenarios: ['idempotency', 'api'], assetsDir: demoDir() });
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.scenario)).toEqual(['idempotency', 'api']);
    expect(result.failures[0].detail).toMatch(/idempotent\/index\.mjs is missing: bundle the templates first with "node build-tools\/bundle-templates\.mjs"/);
    expect(lines.join('\n')).toMatch(/✗ 2 of 2 checks failed/);
  });

  test('the command exits 1 with a message on failure, 2 on bad arguments, 0 on success', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
    expect(await main(['--only', 'nope'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/unknown scenario nope/);
    expect(await main(['--out', demoDir(), '--only', 'api'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/✓ all 9 checks passed/); // 3 for the example's requests, 6 for API Gateway's own answers
    expect(await main(['--out', demoDir(), '--only', 'api'], io, { assetsDir: demoDir() })).toBe(1);
    expect(err.join('\n')).toMatch(/Demo failed: 1 check\(s\) failed; the first: \[api\] api ran to completion \(.*api\/index\.mjs is missing/);
  });
});

describe('checks', () => {
  test('a failed check fails the checklist, and an empty checklist is not a success', () => {
    const printed: string[] = [];
    const checks = new Checklist((l) => printed.push(l));
    expect(checks.ok).toBe(false);
    const check = checks.for('api');
    expect(check('passes', true)).toBe(true);
    expect(checks.ok).toBe(true);
    expect(check('fails', false, 'got 500')).toBe(false);
    expect(checks.ok).toBe(false);
    expect(checks.failures).toEqual([{ scenario: 'api', name: 'fails', passed: false, detail: 'got 500' }]);
    expect(printed).toEqual(['  ✓ passes', '  ✗ fails (got 500)']);
  });

  test('the log tap captures JSON lines and passes everything else through', async () => {
    const tap = new LogTap();
    const passed: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: any) => {
      passed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await tap.around(async () => {
        process.stdout.write('{"level":"INFO","message":"hi","correlation_id":"c-1"}\n');
        process.stdout.write('  a progress line\n{"_aws":{"Timestamp":1},"Hits":2}\n{"partial":');
        process.stdout.write('true}\n');
      });
    } finally {
      process.stdout.write = original;
    }
    expect(tap.logs).toEqual([{ level: 'INFO', message: 'hi', correlation_id: 'c-1' }, { partial: true }]);
    expect(tap.metricSum('Hits')).toBe(2);
    expect(passed).toEqual(['  a progress line\n']);
  });
});
