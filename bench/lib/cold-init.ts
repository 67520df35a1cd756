import { execFileSync } from 'child_process';

/**
 * Time to import a handler module and build its first handler, in a fresh `node` process:
 * what a Lambda cold start pays for the code itself. The child measures between just
 * before `import()`/`require()` and just after the module (and its handler) is ready, so
 * node's own start-up is excluded and every subject is measured the same way.
 */
export function coldInitMs(file: string, env: Record<string, string> = {}, exportName = 'handler'): number {
  const loader = file.endsWith('.mjs') ? 'await import(f)' : 'require(f)';
  const script = [
    `const f = ${JSON.stringify(file)};`,
    'const t0 = process.hrtime.bigint();',
    `(async () => { const m = ${loader};`,
    `if (typeof (m[${JSON.stringify(exportName)}] ?? m.default?.[${JSON.stringify(exportName)}]) !== 'function') throw new Error('no ${exportName} export in ' + f);`,
    'const ms = Number(process.hrtime.bigint() - t0) / 1e6;',
    'process.stdout.write(JSON.stringify({ ms }));',
    '})().catch((e) => { console.error(e); process.exit(1); });',
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, ...BENCH_LAMBDA_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.toString('utf8')).ms;
}

/** Env a Lambda function would have; no credentials are used, nothing is called. */
export const BENCH_LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_DEV: 'false',
};

/**
 * What each construct adds for its template: only IdempotentFunction (and an SqsBatchConsumer
 * with per-record idempotency) gets an idempotency table, which makes the template load its
 * DynamoDB client at init. Giving it to every template would bench batch-with-idempotency
 * against an anchor without it.
 */
export const IDEMPOTENCY_BENCH_ENV: Record<string, string> = { IDEMPOTENCY_TABLE_NAME: 'bench' };
