/**
 * HandlerCode.fromEntry bundling: where it writes, what the asset hash depends on, and the
 * esbuild options it offers. Each app gets a private TMPDIR, so a leak shows up as a file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { SqsBatchConsumer } from '../../src/batch';
import { EntryBundlingOptions, HandlerCode, TemplateRef } from '../../src/core/handler-code';
import { TEST_CONTEXT } from '../support/app';
import { lambdaContext } from '../support/assets';
import { tempDir } from '../support/temp';

const BATCH: TemplateRef = { name: 'batch', wrapExport: 'wrapBatch' };

const LOGIC = [
  "import { shout } from 'tiny-dep';",
  "export const bodyFormat = 'text';",
  'export async function processRecord(body: string) {',
  "  if (shout(body) !== 'OK') throw new Error(`not ok: ${body}`);",
  "  return process.env.STAGE ?? 'no-stage';",
  '}',
  '',
].join('\n');

let sandbox: string;
let savedTmpdir: string | undefined;

beforeEach(() => {
  sandbox = fs.realpathSync(tempDir('csp-entry-'));
  savedTmpdir = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR on every call: anything the bundler leaves there lands here.
  process.env.TMPDIR = path.join(sandbox, 'tmp');
  fs.mkdirSync(process.env.TMPDIR);
});

afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/**
 * A small app: src/logic.ts importing tiny-dep (which depends on tiny-sub). With
 * `storeDir`, node_modules is a symlink into that other tree, as pnpm or a shared cache does.
 */
function writeApp(root: string, opts: { storeDir?: string; logic?: string } = {}): string {
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'user-app', private: true }));
  fs.writeFileSync(path.join(root, 'src', 'logic.ts'), opts.logic ?? LOGIC);
  const nodeModules = opts.storeDir ? path.join(opts.storeDir, 'node_modules') : path.join(root, 'node_modules');
  writePackage(nodeModules, 'tiny-dep', { dependencies: { 'tiny-sub': '1.0.0' } }, "const { upper } = require('tiny-sub');\nexports.shout = (s) => upper(s);\n");
  writePackage(nodeModules, 'tiny-sub', {}, "exports.upper = (s) => String(s).toUpperCase();\nexports.marker = 'tiny-sub-body';\n");
  if (opts.storeDir) fs.symlinkSync(nodeModules, path.join(root, 'node_modules'));
  return path.join(root, 'src', 'logic.ts');
}

function writePackage(nodeModules: string, name: string, manifest: object, main: string): void {
  const dir = path.join(nodeModules, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }));
  fs.writeFileSync(path.join(dir, 'index.js'), main);
}

function newApp(outdir: string): App {
  return new App({ outdir, context: TEST_CONTEXT });
}

/** Binds fromEntry code in a fresh app and stages it; returns the staged asset directory. */
function stageEntry(entry: string, bundling?: EntryBundlingOptions) {
  const outdir = path.join(sandbox, 'cdk.out');
  const stack = new Stack(newApp(outdir), 'S');
  const bound = HandlerCode.fromEntry(entry, bundling)._bind(new Construct(stack, 'Fn'), BATCH);
  const key = bound.code.bind(stack).s3Location!.objectKey;
  const assetDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  return { bound, assetDir, outdir, read: (file = 'index.mjs') => fs.readFileSync(path.join(assetDir, file), 'utf8') };
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

function bindError(entry: string, bundling: EntryBundlingOptions): string {
  const stack = new Stack(newApp(path.join(sandbox, 'cdk.out')), 'S');
  try {
    HandlerCode.fromEntry(entry, bundling)._bind(new Construct(stack, 'Fn'), BATCH);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the bind to fail');
}

describe('staging', () => {
  test('a synth leaves nothing in the OS temp dir and no scratch files in the cloud assembly', () => {
    const entry = writeApp(path.join(sandbox, 'app'));
    const app = newApp(path.join(sandbox, 'cdk.out'));
    new SqsBatchConsumer(new Stack(app, 'S'), 'Orders', { handlerCode: HandlerCode.fromEntry(entry) });
    const assembly = app.synth();
    expect(fs.readdirSync(process.env.TMPDIR!)).toEqual([]);
    const entries = fs.readdirSync(assembly.directory);
    expect(entries.filter((e) => e.startsWith('asset.'))).toHaveLength(1);
    expect(entries.filter((e) => e.startsWith('bundling-temp') || e.startsWith('.cdk-serverless-powertools'))).toEqual([]);
  });

  test('a failing bundle names the problem and still removes its scratch files', () => {
    const entry = writeApp(path.join(sandbox, 'app'), { logic: 'export const processRecord = (;\n' });
    expect(() => stageEntry(entry)).toThrow(/Failed to bundle asset S\/Code\/Stage.*src\/logic\.ts:1:30: ERROR: Unexpected/s);
    expect(fs.readdirSync(process.env.TMPDIR!)).toEqual([]);
    expect(fs.readdirSync(path.join(sandbox, 'cdk.out')).filter((e) => e.startsWith('.cdk-serverless-powertools'))).toEqual([]);
  });

  test('two functions with the same entry and options share one staged bundle', () => {
    const entry = writeApp(path.join(sandbox, 'app'));
    const app = newApp(path.join(sandbox, 'cdk.out'));
    const stack = new Stack(app, 'S');
    new SqsBatchConsumer(stack, 'A', { handlerCode: HandlerCode.fromEntry(entry) });
    new SqsBatchConsumer(stack, 'B', { handlerCode: HandlerCode.fromEntry(entry) });
    new SqsBatchConsumer(stack, 'C', { handlerCode: HandlerCode.fromEntry(entry, { define: { 'process.env.STAGE': '"c"' } }) });
    const keys = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Code.S3Key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe('asset hash', () => {
  /** Synthesizes one SqsBatchConsumer from `entry` and returns its code's S3 key (the hash). */
  function assetKey(entry: string, bundling?: EntryBundlingOptions): string {
    const app = newApp(path.join(path.dirname(path.dirname(entry)), 'cdk.out'));
    const stack = new Stack(app, 'S');
    new SqsBatchConsumer(stack, 'Orders', { handlerCode: HandlerCode.fromEntry(entry, bundling) });
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as any;
    return fn.Properties.Code.S3Key;
  }

  test.each([
    ['default bundling', undefined],
    ['with source maps', { sourceMap: true }],
  ])('is the same for one app at two depths and with a symlinked node_modules (%s)', (_name, bundling) => {
    const shallow = assetKey(writeApp(path.join(sandbox, 'a')), bundling);
    const deep = assetKey(writeApp(path.join(sandbox, 'x', 'y', 'z', 'b')), bundling);
    const linked = assetKey(writeApp(path.join(sandbox, 'q', 'c'), { storeDir: path.join(sandbox, 'store', 'deeper') }), bundling);
    expect(deep).toBe(shallow);
    expect(linked).toBe(shallow);
  });

  test('changes when the code changes', () => {
    const one = assetKey(writeApp(path.join(sandbox, 'a')));
    const other = assetKey(writeApp(path.join(sandbox, 'b'), { logic: LOGIC.replace("'OK'", "'YES'") }));
    expect(other).not.toBe(one);
  });
});

describe('bundling options', () => {
  test('by default everything is bundled, no source map, no extra environment', () => {
    const { bound, assetDir, read } = stageEntry(writeApp(path.join(sandbox, 'app')));
    expect(read()).toContain('tiny-sub-body');
    expect(read()).not.toMatch(/from\s*"tiny-dep"/);
    expect(allFiles(assetDir).filter((f) => f.endsWith('.map') || f.includes('node_modules'))).toEqual([]);
    expect(bound.environment).toBeUndefined();
  });

  test('externalModules leaves the import in the bundle', () => {
    const { read } = stageEntry(writeApp(path.join(sandbox, 'app')), { externalModules: ['tiny-dep'] });
    expect(read()).toMatch(/from\s*"tiny-dep"/);
    expect(read()).not.toContain('tiny-sub-body');
  });

  test('sourceMap writes maps with path-free sources and asks Node to use them', () => {
    const { bound, assetDir, read } = stageEntry(writeApp(path.join(sandbox, 'app')), { sourceMap: true });
    expect(bound.environment).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
    expect(read()).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    const map = JSON.parse(read('index.mjs.map'));
    expect(map.sources).toEqual(expect.arrayContaining(['src/logic.ts', 'node_modules/tiny-dep/index.js']));
    const maps = allFiles(assetDir).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(1);
    for (const file of maps) expect(fs.readFileSync(file, 'utf8')).not.toContain(sandbox);
  });

  test('define replaces identifiers at bundle time', () => {
    const { read } = stageEntry(writeApp(path.join(sandbox, 'app')), { define: { 'process.env.STAGE': JSON.stringify('stage-from-define') } });
    expect(read()).toContain('"stage-from-define"');
    expect(read()).not.toContain('process.env.STAGE');
  });

  test('banner goes on top of every output file, after the require shim', () => {
    const { assetDir } = stageEntry(writeApp(path.join(sandbox, 'app')), { banner: '/* banner-from-user */' });
    const outputs = allFiles(assetDir).filter((f) => f.endsWith('.mjs'));
    expect(outputs.length).toBeGreaterThan(1);
    for (const file of outputs) {
      const head = fs.readFileSync(file, 'utf8').split('\n').slice(0, 2);
      expect(head).toEqual([expect.stringContaining('process.getBuiltinModule'), '/* banner-from-user */']);
    }
  });

  test('nodeModules copies the package and its dependencies, and the bundle loads them at run time', async () => {
    const { assetDir, read } = stageEntry(writeApp(path.join(sandbox, 'app')), { nodeModules: ['tiny-dep'] });
    expect(read()).toMatch(/from\s*"tiny-dep"/);
    expect(fs.existsSync(path.join(assetDir, 'node_modules', 'tiny-dep', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(assetDir, 'node_modules', 'tiny-sub', 'index.js'))).toBe(true);
    // Only the asset's own node_modules can satisfy the import now.
    fs.rmSync(path.join(sandbox, 'app', 'node_modules'), { recursive: true });
    process.env.POWERTOOLS_SERVICE_NAME = 'entry-bundling';
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'EntryBundling';
    const { handler } = await import(path.join(assetDir, 'index.mjs'));
    const record = (id: string, body: string) => ({ messageId: id, receiptHandle: id, body, attributes: {}, messageAttributes: {}, eventSource: 'aws:sqs' });
    const silence = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await handler({ Records: [record('good', 'ok'), record('bad', 'nope')] }, lambdaContext());
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    } finally {
      silence.mockRestore();
      delete process.env.POWERTOOLS_SERVICE_NAME;
      delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    }
  });

  test('nodeModules nests a dependency whose name is taken by another version', () => {
    const entry = writeApp(path.join(sandbox, 'app'));
    const nodeModules = path.join(sandbox, 'app', 'node_modules');
    // tiny-dep now resolves its own tiny-sub 2.0.0; other-dep gets the hoisted 1.0.0.
    writePackage(path.join(nodeModules, 'tiny-dep', 'node_modules'), 'tiny-sub', { version: '2.0.0' }, 'exports.upper = (s) => s;\n');
    writePackage(nodeModules, 'other-dep', { dependencies: { 'tiny-sub': '1.0.0' } }, "module.exports = require('tiny-sub');\n");
    const { assetDir } = stageEntry(entry, { nodeModules: ['tiny-dep', 'other-dep'] });
    const version = (dir: string) => JSON.parse(fs.readFileSync(path.join(assetDir, dir, 'package.json'), 'utf8')).version;
    expect(version('node_modules/tiny-sub')).toBe('1.0.0');
    expect(version('node_modules/tiny-dep/node_modules/tiny-sub')).toBe('2.0.0');
  });
});

describe('bundling option validation', () => {
  let entry: string;
  beforeEach(() => {
    entry = writeApp(path.join(sandbox, 'app'));
  });

  test.each<[string, EntryBundlingOptions, RegExp]>([
    ['an empty external', { externalModules: [''] }, /Fn: invalid `bundling.externalModules` \(got ""\)\. Give module names such as "@aws-sdk\/\*"/],
    ['an external with a space', { externalModules: ['a b'] }, /invalid `bundling.externalModules` \(got "a b"\)/],
    ['a node module with a version', { nodeModules: ['tiny-dep@1.0.0'] }, /invalid `bundling.nodeModules` \(got "tiny-dep@1.0.0"\)\. Give npm package names .* without a version/],
    ['a node module that is not installed', { nodeModules: ['not-installed'] }, /invalid `bundling.nodeModules` \(got "not-installed"\)\. It is not installed .* run "npm install not-installed"/],
    ['a define key that is not a name', { define: { 'a-b': '1' } }, /invalid `bundling.define` \(got "a-b"\)\. Keys are identifiers or dotted names/],
    ['an unquoted string define value', { define: { 'process.env.STAGE': 'prod stage' } }, /invalid `bundling.define\["process.env.STAGE"\]` \(got "prod stage"\)\. Values are JavaScript: JSON \(e.g. JSON.stringify\("prod stage"\)/],
    ['a token define value', { define: { STAGE: Lazy.string({ produce: () => '"x"' }) } }, /invalid `bundling.define\["STAGE"\]` .*tokens are not resolved yet; use a literal string/],
    ['an empty banner', { banner: ' ' }, /invalid `bundling.banner` \(got " "\)\. Give JavaScript source, or leave banner unset/],
  ])('rejects %s', (_name, bundling, message) => {
    expect(bindError(entry, bundling)).toMatch(message);
  });

  test('accepts identifiers and JSON as define values', () => {
    expect(() => stageEntry(entry, { define: { 'DEBUG': 'false', 'process.env.N': '42', 'ALIAS': 'globalThis.fetch' } })).not.toThrow();
  });
});
