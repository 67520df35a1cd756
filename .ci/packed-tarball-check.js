// Installs the packed npm tarball into two fresh apps at different depths, offline, and checks
// what a user gets from it: the package root loads, the testing helpers import by their
// documented paths, and a fromEntry synth gives the same asset hash wherever the app (and so
// the installed library) lives. Peer dependencies and esbuild are linked from this repo's
// node_modules, so no registry is needed.
// It also checks the tarball carries the bundled templates and the handler types, and that a
// typed fromEntry file compiles against lib/entry-types as installed.
// Usage: node .ci/packed-tarball-check.js [dist/js/<name>.tgz] (default: the one tarball in dist/js)
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function findTarball() {
  const dir = path.resolve(__dirname, '..', 'dist', 'js');
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (found.length !== 1) throw new Error(`expected one tarball in ${dir}, found ${found.length}: run "npx projen package:js" first`);
  return path.join(dir, found[0]);
}
const tarball = path.resolve(process.argv[2] ?? findTarball());
const repoModules = path.resolve(__dirname, '..', 'node_modules');
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-tarball-'));

const APP = `
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const { HandlerCode, SqsBatchConsumer } = require('cdk-serverless-powertools');
const serializer = require('cdk-serverless-powertools/lib/testing/asset-hash-serializer');
const { assetHashSerializer, maskAssetHashes } = require('cdk-serverless-powertools/lib/testing');
const hash = 'f'.repeat(64);
if (!serializer.test(hash + '.zip') || serializer.serialize('k/' + hash + '.zip') !== '"k/ASSET_HASH.zip"') throw new Error('serializer by path does not mask');
if (assetHashSerializer.test !== serializer.test || maskAssetHashes(hash) !== 'ASSET_HASH') throw new Error('lib/testing exports are wrong');
const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new Stack(app, 'S');
const consumer = new SqsBatchConsumer(stack, 'Orders', { handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'logic.mjs')) });
app.synth();
console.log(stack.resolve(consumer.function.node.defaultChild.code).s3Key);
`;

function freshApp(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true }));
  fs.writeFileSync(path.join(dir, 'logic.mjs'), 'export async function processRecord(body) { return body; }\n');
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  execFileSync('npm', ['install', tarball, '--no-save', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  for (const peer of ['aws-cdk-lib', 'constructs', 'esbuild']) {
    fs.symlinkSync(path.join(repoModules, peer), path.join(dir, 'node_modules', peer));
  }
  return execFileSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

// What the published tarball must carry: the bundled templates and the handler types.
const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
for (const [what, pattern] of [
  ['the bundled templates', /^package\/assets\/.*\/index\.mjs$/],
  ['the handler types', /^package\/lib\/entry-types\/index\.d\.ts$/],
]) {
  if (!listing.some((f) => pattern.test(f))) throw new Error(`${what} are missing from the npm tarball (${pattern})`);
}

const TYPED_ENTRY = `
import type { ProcessRecordFunction, RecordContext } from 'cdk-serverless-powertools/lib/entry-types';
export const processRecord: ProcessRecordFunction = async (body: { id: string }, context: RecordContext) => {
  context.logger.info('record', { id: body.id, messageId: context.messageId });
  return body.id;
};
`;

/** The handler types as installed: a typed entry compiles with the repository's tsc, strict, no @types. */
function typeCheckEntry(dir) {
  fs.writeFileSync(path.join(dir, 'typed-logic.ts'), TYPED_ENTRY);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' }, files: ['typed-logic.ts'] }),
  );
  execFileSync(path.join(repoModules, '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir, stdio: 'inherit' });
}

try {
  const shallow = freshApp(path.join(sandbox, 'a'));
  const deep = freshApp(path.join(sandbox, 'x', 'y', 'z', 'b'));
  typeCheckEntry(path.join(sandbox, 'a'));
  if (!/^[0-9a-f]{64}\.zip$/.test(shallow)) throw new Error(`unexpected asset key ${shallow}`);
  if (shallow !== deep) throw new Error(`fromEntry asset hashes differ between app locations: ${shallow} vs ${deep}`);
  console.log(`packed tarball OK: templates and lib/entry-types shipped; root and lib/testing load; a typed entry compiles; fromEntry asset ${shallow} at both depths`);
} finally {
  fs.rmSync(sandbox, { recursive: true, force: true });
}
