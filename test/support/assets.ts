import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

/** Absolute path of a bundled template, as it ships in the npm package. */
export function assetPath(template: string): string {
  return path.join(__dirname, '..', '..', 'assets', template, 'index.mjs');
}

/**
 * Imports the bundled ESM asset of a template (what ships), not the TypeScript source.
 * Set any env vars the template reads at module load before calling this.
 * Jest isolates module registries per test file, so each file gets a fresh module.
 */
export async function importTemplate<T = any>(template: string): Promise<T> {
  const file = assetPath(template);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run "npx projen bundle:templates" (npm test does it first)`);
  }
  return import(file) as Promise<T>;
}

let copies = 0;

/**
 * A fresh copy of a bundled template, as a new execution environment loads it: the module
 * (its logger, metrics and cold-start state) is evaluated again, under the environment set
 * now. Jest caches modules by URL, so each copy gets its own query string.
 */
export async function importTemplateCopy<T = any>(template: string): Promise<T> {
  await importTemplate(template); // the missing-asset message, once
  return import(`${pathToFileURL(assetPath(template)).href}?copy=${++copies}`) as Promise<T>;
}

/** A Lambda context good enough for Powertools (remaining time drives idempotency expiry). */
export function lambdaContext(overrides: Partial<{ remainingMs: number; functionName: string; requestId: string }> = {}) {
  const remainingMs = overrides.remainingMs ?? 30_000;
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: overrides.functionName ?? 'test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test-fn',
    memoryLimitInMB: '256',
    awsRequestId: overrides.requestId ?? `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/test-fn',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Sets environment variables for the rest of a test file (templates read them at module
 * load) and restores the previous values after the file's tests. Call `set` from
 * `beforeAll` when values are only known then (e.g. a server's endpoint).
 */
export function fileEnv(initial: { [key: string]: string } = {}): { set(vars: { [key: string]: string }): void } {
  const saved = new Map<string, string | undefined>();
  const set = (vars: { [key: string]: string }) => {
    for (const [key, value] of Object.entries(vars)) {
      if (!saved.has(key)) saved.set(key, process.env[key]);
      process.env[key] = value;
    }
  };
  beforeAll(() => set(initial));
  afterAll(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  return { set };
}

/** A JSON line a function under test wrote, and where. */
export interface WrittenLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: any;
}

/**
 * Runs `fn` with `env` set (undefined deletes a variable; every value is restored after) and
 * returns what it wrote to stdout and stderr as JSON lines (Powertools writes there directly).
 */
export async function runWithEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<{ result: T; written: WrittenLine[] }> {
  const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  const apply = (values: Iterable<[string, string | undefined]>) => {
    for (const [key, value] of values) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(Object.entries(env));
  const written: WrittenLine[] = [];
  const capture = (stream: WrittenLine['stream']) => (chunk: any) => {
    for (const text of String(chunk).split('\n')) if (text.startsWith('{')) written.push({ stream, line: JSON.parse(text) });
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    return { result: await fn(), written };
  } finally {
    out.mockRestore();
    err.mockRestore();
    apply(saved);
  }
}
