// Bundles every runtime template, src/<capability>/runtime/<template>/index.ts, into
// assets/<template>/index.mjs. Runs once per build (pre-compile) and once per test run,
// so users never need esbuild or Docker to synthesize a template.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');
const assetsDir = join(root, 'assets');
const quiet = process.argv.includes('--quiet');

// The esbuild target is the oldest Node that must run the assets: the Lambda runtime they
// deploy to (TEMPLATE_RUNTIME, the single source of truth, read from its declaration so a
// runtime bump cannot leave the target behind) or the Node the template tests import them
// on, whichever is older. Tests run on Node 20 (and on 24 in CI); node20 output runs on 24
// unchanged, while node24 output may use syntax Node 20 cannot parse. It is a constant, not
// the building machine's Node, so every machine bundles byte-identical assets.
const OLDEST_TEST_NODE_MAJOR = 20;
const deployNodeMajor = (() => {
  const source = readFileSync(join(root, 'src', 'core', 'handler-code.ts'), 'utf8');
  const match = /TEMPLATE_RUNTIME = lambda\.Runtime\.NODEJS_(\d+)_X\b/.exec(source);
  if (!match) throw new Error('bundle-templates: TEMPLATE_RUNTIME in src/core/handler-code.ts is not a lambda.Runtime.NODEJS_<n>_X; update this script');
  return Number(match[1]);
})();
const target = `node${Math.min(deployNodeMajor, OLDEST_TEST_NODE_MAJOR)}`;

const TEMPLATE_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target,
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'eof',
  // Bundled CommonJS dependencies (the X-Ray SDK) still call require(), only ever for
  // builtins (every other module is bundled). process.getBuiltinModule (Node >= 20.16)
  // serves them without a static import of node:module and createRequire, which the ESM
  // loader would link at every cold start; crypto comes back lazy (see builtinsPlugin).
  banner: {
    js:
      'const require=(id)=>{const m=id.replace(/^node:/,"");if(m==="crypto")return __lazyCrypto;' +
      'const b=process.getBuiltinModule?.(id);if(b)return b;throw new Error(`require("${id}") in a bundled template: only builtins are available`)},' +
      '__lazyCrypto=new Proxy({},{get:(_,k)=>process.getBuiltinModule("node:crypto")[k]});',
  },
  logLevel: 'warning',
};

// Builtins are imported through process.getBuiltinModule, not `import ... from 'node:x'`.
// Measured in bench/ (BENCHMARKS.md): the ESM loader turns a builtin into a module facade
// by reading every export, which runs every lazy getter: `import http from 'node:http'`
// loads undici (its WebSocket getter) with http2, zlib and worker_threads, and
// `node:crypto` loads WebCrypto, at every cold start, used or not. A builtin import
// becomes a module that reads only the names the template imports, each through a
// side-effect-free call so unused names are tree-shaken. node:crypto (about 10 ms to load)
// is also lazy: its functions load it on first call, so a template that never hashes,
// signs or draws (the Logger imports randomInt only for log sampling) never loads it.
// A name the build's Node does not export fails the build ("No matching export").
const BUILTIN_NAMESPACE = 'builtin';
const LAZY_BUILTINS = new Set(['crypto']);
const builtinModuleSource = async (id) => {
  const real = await import(`node:${id}`);
  const names = Object.keys(real).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
  const lazy = LAZY_BUILTINS.has(id);
  const lines = [
    `let b;const m=()=>(b??=process.getBuiltinModule("node:${id}")),g=(k)=>m()[k];`,
    `export default /* @__PURE__ */ m();`,
  ];
  for (const name of names) {
    if (lazy && typeof real[name] === 'function' && /^[a-z]/.test(name)) lines.push(`export const ${name}=(...a)=>m().${name}(...a);`);
    else lines.push(`export const ${name}=/* @__PURE__ */ g(${JSON.stringify(name)});`);
  }
  return lines.join('\n');
};
const builtinsPlugin = {
  name: 'builtins-without-esm-facade',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?[a-z_0-9]+(\/[a-z_0-9]+)?$/ }, (args) => {
      // A dynamic import() of a builtin builds the same facade, on first use.
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      const id = args.path.replace(/^node:/, '');
      if (!isBuiltin(id)) return undefined;
      return { path: id, namespace: BUILTIN_NAMESPACE };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, async (args) => ({ contents: await builtinModuleSource(args.path), loader: 'js' }));
  },
};

// Powertools' stores (batch processor, logger, metrics) ask at every access whether Lambda
// runs this environment with concurrent invocations: a process.env read of
// AWS_LAMBDA_MAX_CONCURRENCY each time, ~0.6 µs, measured as 40 % of a 10-record batch of
// no-op logic (bench/, BENCHMARKS.md). Lambda sets that variable once, before init, for the
// life of the execution environment, so the templates' copy of Powertools reads it once.
// The build fails when Powertools no longer has the function this rewrites.
const INVOKE_STORE_CHECK = 'const shouldUseInvokeStore = () => {';
const invokeStoreOncePlugin = {
  name: 'powertools-invoke-store-check-once',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]@aws-lambda-powertools[\\/]commons[\\/]lib[\\/]esm[\\/]envUtils\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(INVOKE_STORE_CHECK).length !== 2) {
        throw new Error(`bundle-templates: ${args.path} no longer defines "${INVOKE_STORE_CHECK}" once; update invokeStoreOncePlugin`);
      }
      const rewritten = source.replace(
        INVOKE_STORE_CHECK,
        'let invokeStoreMode;\nconst shouldUseInvokeStore = () => (invokeStoreMode ??= readInvokeStoreMode());\nconst readInvokeStoreMode = () => {',
      );
      return { contents: rewritten, loader: 'js' };
    });
  },
};

// Optional template names as arguments bundle only those (handy while editing one).
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
// Code splitting: what a template only reaches through dynamic import() (the AWS SDK's
// SSO/STS credential providers, optional features) becomes a chunk loaded on first use
// instead of being parsed at every cold start.
const SPLITTING_OPTIONS = {
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
};

// Each capability keeps its templates beside its constructs: src/<capability>/runtime/<template>/.
// A runtime folder without index.ts (e.g. core/runtime/shared) is code templates share.
const templateEntries = new Map();
for (const capability of readdirSync(srcDir)) {
  const runtimeDir = join(srcDir, capability, 'runtime');
  if (!existsSync(runtimeDir) || !statSync(runtimeDir).isDirectory()) continue;
  for (const name of readdirSync(runtimeDir)) {
    const entry = join(runtimeDir, name, 'index.ts');
    if (!existsSync(entry) || (only.length > 0 && !only.includes(name))) continue;
    if (templateEntries.has(name)) throw new Error(`two templates are named ${name}: ${templateEntries.get(name)} and ${entry}`);
    templateEntries.set(name, entry);
  }
}
const templates = [...templateEntries.keys()].sort();

const manifestFile = join(assetsDir, 'manifest.json');
const manifest = only.length > 0 && existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : {};
for (const name of templates) {
  const outdir = join(assetsDir, name);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    ...TEMPLATE_BUILD_OPTIONS,
    ...SPLITTING_OPTIONS,
    entryPoints: { index: templateEntries.get(name) },
    outdir,
    metafile: true,
    plugins: [builtinsPlugin, invokeStoreOncePlugin],
  });
  const outputs = result.metafile.outputs;
  const entryKey = Object.keys(outputs).find((file) => resolve(root, file) === join(outdir, 'index.mjs'));
  // What a cold start parses: the entry and the chunks it imports statically, transitively.
  const loadedAtInit = new Set();
  const visit = (file) => {
    if (loadedAtInit.has(file)) return;
    loadedAtInit.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) visit(imp.path);
  };
  visit(entryKey);
  const initBytes = Buffer.concat([...loadedAtInit].map((file) => readFileSync(resolve(root, file))));
  const allFiles = Object.keys(outputs).map((file) => readFileSync(resolve(root, file)));
  manifest[name] = {
    initBytes: initBytes.length,
    initGzipBytes: gzipSync(initBytes).length,
    initFiles: loadedAtInit.size,
    totalBytes: allFiles.reduce((sum, f) => sum + f.length, 0),
    files: allFiles.length,
  };
  if (!quiet) {
    console.log(`bundled ${name}: ${initBytes.length} bytes loaded at init (${loadedAtInit.size} files), ${manifest[name].totalBytes} bytes in ${allFiles.length} files`);
  }
}
mkdirSync(assetsDir, { recursive: true });
writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
// HandlerCode.fromEntry() bundles user logic at synth with exactly these settings; shipping
// them beside the assets keeps one source of truth.
writeFileSync(join(assetsDir, 'esbuild-options.json'), JSON.stringify({ ...TEMPLATE_BUILD_OPTIONS, ...SPLITTING_OPTIONS }, null, 2) + '\n');
