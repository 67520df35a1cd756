/**
 * Loads the bundled templates (assets/<template>/index.mjs: what ships in the npm package
 * and what Lambda runs), sets the environment the constructs would set, and fakes the
 * Lambda context.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

/** The repository's assets/ directory, where build-tools/bundle-templates.mjs writes. */
export const DEFAULT_ASSETS_DIR = path.resolve(__dirname, '..', '..', 'assets');

// ts-node compiles this file to CommonJS; a real dynamic import() is the only way to load
// ESM from it, and hiding it in a Function keeps any compiler from rewriting it to require().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

let loads = 0;

/**
 * Imports a fresh instance of a bundled template. Templates read their environment and
 * create their SDK clients, loggers and demo state at module load, so every load of the
 * entry gets a unique query string: a second demo run in the same process (tests) does not
 * reuse a handler bound to the previous run's DynamoDB port. (The entry's split chunks,
 * library code, are shared between loads; the per-run state is created by the entry.)
 */
export async function loadTemplate<T = any>(assetsDir: string, template: string): Promise<T> {
  const file = path.join(assetsDir, template, 'index.mjs');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: bundle the templates first with "node build-tools/bundle-templates.mjs" (npm run demo does it for you)`);
  }
  return importEsm(`${pathToFileURL(file).href}?demo-load=${++loads}`);
}

/**
 * Sets environment variables (undefined unsets one) and returns a function that puts the
 * previous values back.
 */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Remembers the whole environment and returns a function that restores it exactly: the
 * templates' libraries add variables of their own at load (Powertools sets
 * AWS_SDK_UA_APP_ID and AWS_XRAY_CONTEXT_MISSING), and none may outlive the demo.
 */
export function snapshotEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) {
      if (!(key in saved)) delete process.env[key];
    }
    Object.assign(process.env, saved);
  };
}

/** What every template needs on a machine with no AWS account: fake credentials, no tracing. */
export const LOCAL_LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_NAMESPACE: 'ServerlessPowertoolsExample',
  // The Tracer switches itself off outside Lambda; say so explicitly.
  POWERTOOLS_TRACE_ENABLED: 'false',
  // This machine runs Node 20 by design (see DESIGN.md); the SDK's notice about future
  // releases needing Node 22 would repeat once per SDK copy and bury the demo's output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** The Lambda context a template sees: the remaining time drives idempotency expiry. */
export function lambdaContext(functionName: string, requestId: string, remainingMs = 10_000) {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/04/09/[$LATEST]demo',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
