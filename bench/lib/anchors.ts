import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

export const BENCH_DIR = path.join(__dirname, '..');
export const ROOT = path.join(BENCH_DIR, '..');
const OUT = path.join(ROOT, 'bench', '.out');

/**
 * Bundles an anchor the way aws-lambda-nodejs NodejsFunction does by default for a
 * Node.js 18+ runtime: CommonJS, not minified, no source map, `@aws-sdk/*` external
 * (the Lambda runtime provides the SDK, so it is loaded from node_modules here).
 */
export function bundleAnchor(name: string): string {
  const outfile = path.join(OUT, 'anchors', name, 'index.js');
  buildSync({
    entryPoints: [path.join(BENCH_DIR, 'anchors', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    sourcemap: false,
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** The shipped asset of a template. */
export function templateAsset(name: string): string {
  const file = path.join(ROOT, 'assets', name, 'index.mjs');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npx projen bundle:templates" first`);
  return file;
}
