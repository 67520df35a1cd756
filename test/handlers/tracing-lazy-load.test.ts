/**
 * Powertools Tracer and the X-Ray SDK (~100 KB, ~25 ms of cold init) are a lazy chunk
 * (chunks/tracer-active-*.mjs). Each template loads it only where traces are recorded: in
 * Lambda (AWS_EXECUTION_ENV) with active tracing (AWS_XRAY_DAEMON_ADDRESS), and the `tracing`
 * prop not off (POWERTOOLS_TRACE_ENABLED=false). Checked in a fresh process per case.
 */
import { assetPath } from '../support/assets';
import { modulesLoadedBy } from '../support/loaded-modules';

const TEMPLATES = ['function', 'power-tuned', 'batch', 'stream', 'idempotent', 'api', 'tuner'];
const BASE = { AWS_REGION: 'us-east-1', POWERTOOLS_SERVICE_NAME: 'lazy', POWERTOOLS_LOG_LEVEL: 'SILENT', STREAM_SOURCE_TYPE: 'KINESIS' };
const LAMBDA_TRACED = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' };

function tracerLoaded(template: string, env: Record<string, string>): boolean {
  // The init a cold start does: import the asset, then let a preload started there settle.
  const script = `await import(${JSON.stringify(assetPath(template))});\nawait new Promise((r) => setTimeout(r, 50));`;
  const loaded = modulesLoadedBy(script, { ...BASE, ...env });
  expect(loaded.some((url) => url.includes(`/assets/${template}/index.mjs`))).toBe(true);
  return loaded.some((url) => /chunks\/tracer-active-[A-Z0-9]+\.mjs$/.test(url));
}

describe.each(TEMPLATES)('%s template', (template) => {
  test('loads the tracer at init in Lambda with active tracing, and never otherwise', () => {
    expect(tracerLoaded(template, LAMBDA_TRACED)).toBe(true);
    expect(tracerLoaded(template, { ...LAMBDA_TRACED, POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(false);
    expect(tracerLoaded(template, { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toBe(false);
    expect(tracerLoaded(template, {})).toBe(false);
  });
});
