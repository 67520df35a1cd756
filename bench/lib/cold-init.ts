import { spawn } from 'child_process';
import * as path from 'path';

const CHILD = path.join(__dirname, 'cold-init-child.cjs');

/** What one fresh-process cold start reports. */
export interface ColdStart {
  /** import + handler built + first invocation, in ms, timed inside the child. */
  readonly ms: number;
  /** The import alone (module evaluated, handler export found), in ms. */
  readonly importMs: number;
  /** RSS after a full GC, right after the first invocation (memory runs only). */
  readonly rssAfterInitMb?: number;
  /** RSS after a full GC, after the repeated invocations (memory runs only). */
  readonly rssAfterRepeatMb?: number;
  /** V8 heap in use after a full GC, right after the first invocation (memory runs only). */
  readonly heapAfterInitMb?: number;
  /** V8 heap in use after a full GC, after the repeated invocations (memory runs only). */
  readonly heapAfterRepeatMb?: number;
  /** RSS and heap in use after `repeatMore` further invocations (memory runs only). */
  readonly rssAfterMoreMb?: number;
  readonly heapAfterMoreMb?: number;
}

/** How a cold-init subject is started. */
export interface ColdInitOptions {
  /** The export that is the handler. */
  readonly exportName?: string;
  /** The first invocation's event (`__I__` becomes the invocation number); undefined: import only. */
  readonly event?: unknown;
  /** Env the subject's construct would set, on top of BENCH_LAMBDA_ENV. */
  readonly env?: Record<string, string>;
  /** More invocations after the first, for the memory figure (0: timing only). */
  readonly repeat?: number;
  /** Invocations after those, for a second memory reading (0: none). */
  readonly repeatMore?: number;
}

/**
 * A Lambda cold start of a handler module in a fresh process of `nodeBin`: the child
 * measures from just before `import()`/`require()` to the end of the first invocation, so
 * node's own start-up is excluded and every subject is measured the same way. Async, so a
 * server in this process (dynalite) can answer the child.
 */
export function coldStart(nodeBin: string, file: string, options: ColdInitOptions = {}): Promise<ColdStart> {
  const repeat = options.repeat ?? 0;
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...BENCH_LAMBDA_ENV,
    ...options.env,
    BENCH_FILE: file,
    BENCH_EXPORT: options.exportName ?? 'handler',
    BENCH_EVENT: options.event === undefined ? undefined : JSON.stringify(options.event),
    BENCH_REPEAT: String(repeat),
    BENCH_REPEAT_MORE: String(options.repeatMore ?? 0),
    // Never inherit the bench's own node flags (ts-node, --experimental-vm-modules).
    NODE_OPTIONS: undefined,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const args = repeat > 0 ? ['--expose-gc', CHILD] : [CHILD];
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBin, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdio[3]!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cold start of ${file} on ${nodeBin} exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`cold start of ${file} printed no result: ${err.trim()} ${String(error)}`));
      }
    });
  });
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
