import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage, ILocalBundling, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { EntryContract } from './contract/entry';
import { invalidProp } from './validation';

/** The Node.js runtime every template and wrapped entry runs on. */
export const TEMPLATE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Where bundled templates live: `<package>/assets`, both from src/ (tests) and lib/ (published). */
export const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/** A construct's runtime template. @internal */
export interface TemplateRef {
  /** Folder under assets/, e.g. `idempotent`. */
  readonly name: string;
  /** Export of the template module that wraps a user's logic module. */
  readonly wrapExport: string;
  /**
   * What a `fromEntry()` module must export; checked at synth when esbuild can see the
   * entry's exports (an ES module, e.g. any TypeScript file).
   * @default - not checked at synth (the template still checks at cold start)
   */
  readonly entry?: EntryContract;
}

/** The code, handler and runtime a function gets. @internal */
export interface BoundHandlerCode {
  readonly code: lambda.Code;
  readonly handler: string;
  readonly runtime: lambda.Runtime;
  /** `template` and `entry` run our template; `custom` is the user's own code. */
  readonly kind: 'template' | 'entry' | 'custom';
  /**
   * Variables the code needs to run as bundled (e.g. NODE_OPTIONS for source maps); the
   * function builder merges them with its own.
   */
  readonly environment?: { [key: string]: string };
}

/**
 * esbuild options for `HandlerCode.fromEntry()`: the subset of `NodejsFunction`'s `bundling`
 * that applies to a business-logic file wrapped by an already-bundled template.
 */
export interface EntryBundlingOptions {
  /**
   * Modules your entry imports that are left out of the bundle, e.g. `['@aws-sdk/*']`. Each
   * must be resolvable by the function at run time: list it in `nodeModules` too, unless the
   * runtime provides it. A name covers its subpaths; `*` is a wildcard. The template itself is
   * already bundled, so this only changes what your own code imports.
   *
   * @default - everything your entry imports is bundled
   */
  readonly externalModules?: string[];

  /**
   * Write source maps beside the bundle and set `NODE_OPTIONS=--enable-source-maps`, so stack
   * traces point at your TypeScript lines. Costs cold-start time and asset size.
   *
   * @default false
   */
  readonly sourceMap?: boolean;

  /**
   * Identifiers replaced with constant expressions at bundle time (esbuild `define`). Each
   * value is JavaScript source, so a string must be JSON-quoted:
   * `{ 'process.env.STAGE': JSON.stringify('prod') }`.
   *
   * @default - no replacements
   */
  readonly define?: { [key: string]: string };

  /**
   * JavaScript placed at the top of every output file, after the library's own
   * `require` shim (so it may call `require`), e.g. a license header or a polyfill.
   *
   * @default - no banner of your own
   */
  readonly banner?: string;

  /**
   * Packages that are not bundled but copied, with their dependencies, into the asset's
   * `node_modules` from the `node_modules` your entry resolves them from. For packages that
   * break when bundled (native addons, files read at run time). Install them in your app
   * first; a native addon must be built for Lambda's platform (linux, the function's
   * architecture).
   *
   * @default - none: every import is bundled
   */
  readonly nodeModules?: string[];
}

/**
 * Which code a construct's function runs.
 *
 * - `HandlerCode.template()`: the construct's bundled Powertools template (the default).
 * - `HandlerCode.fromEntry(path)`: your business logic in a TS/JS file, wrapped by the
 *   template and bundled at synth with esbuild (add `esbuild` to your devDependencies).
 * - `HandlerCode.fromCode(code, handler, runtime)`: any Lambda code in any runtime, e.g.
 *   Python with Powertools for Python. The construct still sets env vars and permissions.
 */
export abstract class HandlerCode {
  /** The construct's bundled Powertools template with its demo business logic. */
  public static template(): HandlerCode {
    return new TemplateCode();
  }

  /**
   * Your business logic from a TypeScript or JavaScript file, wrapped by the construct's
   * template (logger, metrics, idempotency/batch/routing stay ours). The file's required
   * exports are documented per construct. Bundled at synth with esbuild, which must be
   * installed in your project; no Docker is used.
   *
   * The code is bundled into the cloud assembly's own staging directory (cdk.out); nothing
   * is left in the OS temp dir.
   *
   * @param entry path to the file (absolute, or relative to the current directory)
   * @param bundling esbuild options for your entry
   */
  public static fromEntry(entry: string, bundling?: EntryBundlingOptions): HandlerCode {
    return new EntryCode(entry, bundling ?? {});
  }

  /**
   * Any Lambda code, handler and runtime. The construct still injects its environment
   * variables and permissions; the code must do the pattern's work itself (for example
   * with Powertools for Python).
   */
  public static fromCode(code: lambda.Code, handler: string, runtime: lambda.Runtime): HandlerCode {
    return new CustomCode(code, handler, runtime);
  }

  /** @internal */
  public abstract _bind(scope: IConstruct, template: TemplateRef): BoundHandlerCode;
}

/** The bundled template's asset code, shared by every function of a stack that uses it. */
export function templateCode(scope: IConstruct, template: string): lambda.Code {
  const stack = Stack.of(scope);
  let perStack = CODE_CACHE.get(stack);
  if (!perStack) {
    perStack = new Map();
    CODE_CACHE.set(stack, perStack);
  }
  let code = perStack.get(template);
  if (!code) {
    const dir = path.join(ASSETS_DIR, template);
    if (!fs.existsSync(path.join(dir, 'index.mjs'))) {
      throw new Error(
        `cdk-serverless-powertools: the bundled template "${template}" is missing at ${dir}. ` +
          'In a clone of this library run "npx projen bundle:templates"; in an installed package, reinstall it.',
      );
    }
    code = lambda.Code.fromAsset(dir);
    perStack.set(template, code);
  }
  return code;
}

// An AssetCode binds to one stack, so the cache is per stack; it saves re-hashing the
// same template for every construct instance.
const CODE_CACHE = new WeakMap<Stack, Map<string, lambda.Code>>();

class TemplateCode extends HandlerCode {
  public _bind(scope: IConstruct, template: TemplateRef): BoundHandlerCode {
    return { code: templateCode(scope, template.name), handler: 'index.handler', runtime: TEMPLATE_RUNTIME, kind: 'template' };
  }
}

class EntryCode extends HandlerCode {
  constructor(private readonly entry: string, private readonly bundling: EntryBundlingOptions) {
    super();
  }

  public _bind(scope: IConstruct, template: TemplateRef): BoundHandlerCode {
    const entry = path.resolve(this.entry);
    if (!fs.existsSync(entry)) {
      invalidProp(scope.node.path, 'handlerCode', this.entry, `HandlerCode.fromEntry() needs an existing file; ${entry} does not exist.`);
    }
    const options = checkBundlingOptions(scope.node.path, this.bundling);
    const nodeModules = (options.nodeModules ?? []).map((name) => {
      const dir = findPackageDir(name, path.dirname(entry));
      if (!dir) {
        invalidProp(
          scope.node.path,
          'bundling.nodeModules',
          name,
          `It is not installed where ${entry} resolves packages from; run "npm install ${name}" in your app, or remove it from nodeModules.`,
        );
      }
      return { name, dir };
    });
    const esbuild = loadEsbuild(entry);
    // In the constructor, like every prop check (an error inside tryBundle reaches the user
    // wrapped in CDK's "Failed to bundle asset" message).
    if (template.entry) checkEntryExport(esbuild, scope.node.path, this.entry, entry, template.entry);
    const bundler: ILocalBundling & { readonly key: string } = {
      // Serialized into AssetStaging's cache key, so functions share one staged bundle only when
      // they would bundle the same thing.
      key: JSON.stringify({ entry, template: template.name, options }),
      tryBundle: (outputDir: string) => {
        bundleEntry(esbuild, entry, template, options, nodeModules, outputDir);
        return true;
      },
    };
    // Local bundling through AssetStaging instead of bundling first and then fromAsset(dir): CDK
    // gives us a directory inside the cloud assembly and moves it into place, so nothing is
    // left outside cdk.out, and stacks that `cdk synth StackName` skips are not bundled at all.
    // The hash is of the output, so where the app lives does not enter it.
    const code = lambda.Code.fromAsset(path.dirname(entry), {
      assetHashType: AssetHashType.OUTPUT,
      // Never run: tryBundle always succeeds or throws. CDK requires an image.
      bundling: { image: DockerImage.fromRegistry('dummy'), local: bundler },
    });
    return {
      code,
      handler: 'index.handler',
      runtime: TEMPLATE_RUNTIME,
      kind: 'entry',
      ...(options.sourceMap ? { environment: { NODE_OPTIONS: '--enable-source-maps' } } : {}),
    };
  }
}
class CustomCode extends HandlerCode {
  constructor(private readonly code: lambda.Code, private readonly handler: string, private readonly runtime: lambda.Runtime) {
    super();
  }

  public _bind(scope: IConstruct): BoundHandlerCode {
    if (!this.handler || this.handler.trim() === '') {
      invalidProp(scope.node.path, 'handlerCode', this.handler, 'HandlerCode.fromCode() needs a handler such as "index.handler" or "app.lambda_handler".');
    }
    return { code: this.code, handler: this.handler, runtime: this.runtime, kind: 'custom' };
  }
}

// An npm package name, optionally scoped; esbuild also takes `*` wildcards and paths in externals.
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const EXTERNAL_PATTERN = /^[^\s*]*\*?[^\s*]*$/;
// What esbuild accepts as a define key: an identifier or a dotted member chain.
const DEFINE_KEY = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function checkBundlingOptions(construct: string, options: EntryBundlingOptions): EntryBundlingOptions {
  // Bundling runs at synth, before any token can resolve.
  const noToken = (prop: string, value: string) => {
    if (Token.isUnresolved(value)) {
      invalidProp(construct, prop, value, 'fromEntry() bundles at synth, when tokens are not resolved yet; use a literal string.');
    }
  };
  for (const name of options.externalModules ?? []) {
    noToken('bundling.externalModules', name);
    if (typeof name !== 'string' || name.trim() === '' || !EXTERNAL_PATTERN.test(name)) {
      invalidProp(construct, 'bundling.externalModules', name, 'Give module names such as "@aws-sdk/*" or "sharp": no spaces, at most one "*".');
    }
  }
  for (const name of options.nodeModules ?? []) {
    noToken('bundling.nodeModules', name);
    if (typeof name !== 'string' || !PACKAGE_NAME.test(name)) {
      invalidProp(construct, 'bundling.nodeModules', name, 'Give npm package names such as "sharp" or "@scope/pkg", without a version or subpath.');
    }
  }
  if (options.sourceMap !== undefined && typeof options.sourceMap !== 'boolean') {
    invalidProp(construct, 'bundling.sourceMap', options.sourceMap, 'Use true or false.');
  }
  for (const [key, value] of Object.entries(options.define ?? {})) {
    noToken(`bundling.define["${key}"]`, value);
    if (!DEFINE_KEY.test(key)) {
      invalidProp(construct, 'bundling.define', key, 'Keys are identifiers or dotted names such as "process.env.STAGE" or "DEBUG".');
    }
    if (typeof value !== 'string' || !isDefineValue(value)) {
      invalidProp(
        construct,
        `bundling.define["${key}"]`,
        value,
        `Values are JavaScript: JSON (e.g. JSON.stringify(${JSON.stringify(String(value))}), true, 42) or an identifier.`,
      );
    }
  }
  if (options.banner !== undefined) {
    noToken('bundling.banner', options.banner);
    if (typeof options.banner !== 'string' || options.banner.trim() === '') {
      invalidProp(construct, 'bundling.banner', options.banner, 'Give JavaScript source, or leave banner unset.');
    }
  }
  return options;
}

// esbuild's own rule: a define value is JSON or an identifier chain.
function isDefineValue(value: string): boolean {
  if (DEFINE_KEY.test(value)) return true;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bundles `entry` wrapped by the template into `outdir` with the same esbuild settings the
 * library's own build uses (shipped as assets/esbuild-options.json) plus the user's options.
 */
function bundleEntry(
  esbuild: any,
  entry: string,
  template: TemplateRef,
  options: EntryBundlingOptions,
  nodeModules: Array<{ name: string; dir: string }>,
  outdir: string,
): void {
  const base = JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'esbuild-options.json'), 'utf8'));
  const templateModule = path.join(ASSETS_DIR, template.name, 'index.mjs');
  // The stub must be a real file (code splitting needs entry points) outside the asset. A
  // private directory beside the bundle, inside the cloud assembly, removed when done.
  const workdir = fs.mkdtempSync(path.join(path.dirname(outdir), '.cdk-serverless-powertools-'));
  try {
    const stubFile = path.join(workdir, 'entry.mjs');
    fs.writeFileSync(
      stubFile,
      [
        `import * as userModule from ${JSON.stringify(entry)};`,
        `import { ${template.wrapExport} as wrap } from ${JSON.stringify(templateModule)};`,
        'export const handler = wrap(userModule);',
      ].join('\n'),
    );
    const banner = [base.banner?.js, options.banner].filter((b) => b).join('\n');
    esbuild.buildSync({
      ...base,
      entryPoints: { index: stubFile },
      outdir,
      // Legal-comment headers and error messages name files relative to this.
      absWorkingDir: fs.realpathSync(projectRoot(entry)),
      external: [...(options.externalModules ?? []), ...nodeModules.map((m) => m.name)],
      define: options.define ?? {},
      banner: banner ? { js: banner } : undefined,
      sourcemap: options.sourceMap === true,
      logLevel: 'error',
    });
    if (options.sourceMap) normalizeSourceMaps(outdir, entry, stubFile);
    renameChunksByContent(outdir);
    copyNodeModules(nodeModules, outdir);
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

/**
 * Fails synth when the entry is an ES module (any TypeScript or ESM file) that does not
 * export what the template calls, instead of failing the first cold start. esbuild reports an
 * ES module's exports (its own and re-exported) in the metafile; a CommonJS entry's exports
 * are only known at run time, so it is left to the template's check. An entry with a default
 * export is also left to it: the template accepts `export default { processEvent }`.
 */
function checkEntryExport(esbuild: any, construct: string, given: string, entry: string, contract: EntryContract): void {
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: 'out',
    absWorkingDir: fs.realpathSync(projectRoot(entry)),
    logLevel: 'silent',
  });
  const inputs: Record<string, { format?: string }> = result.metafile.inputs;
  const root = Object.entries(inputs).find(([file]) => path.resolve(fs.realpathSync(projectRoot(entry)), file) === fs.realpathSync(entry));
  if (!root || root[1].format !== 'esm') return;
  const output = Object.values(result.metafile.outputs as Record<string, { entryPoint?: string; exports: string[] }>).find((o) => o.entryPoint);
  const exported = output?.exports ?? [];
  if (exported.includes(contract.exportName) || exported.includes('default')) return;
  const found = exported.length > 0 ? exported.map((e) => `"${e}"`).join(', ') : 'nothing';
  invalidProp(
    construct,
    'handlerCode',
    given,
    `The fromEntry() file ${entry} must export "${contract.exportName}" (${contract.description}); it exports ${found}. ` +
      `Rename or add the export "${contract.exportName}"; the template provides the Lambda handler itself. ` +
      'Types for it: cdk-serverless-powertools/lib/entry-types.',
  );
}

/**
 * esbuild writes each source as a path relative to the map file, which would put the app's
 * location, the temp stub and any symlinked node_modules tree into the asset hash. Rewrite
 * them to stable names: package files from their `node_modules/` segment on, the library's
 * templates as if installed, the user's files relative to their project root.
 */
function normalizeSourceMaps(outdir: string, entry: string, stubFile: string): void {
  const assetsReal = fs.realpathSync(ASSETS_DIR);
  const root = fs.realpathSync(projectRoot(entry));
  const label = (abs: string): string => {
    if (abs === stubFile) return 'cdk-serverless-powertools-entry.mjs';
    const real = fs.existsSync(abs) ? fs.realpathSync(abs) : abs;
    if (isInside(real, assetsReal)) return `node_modules/cdk-serverless-powertools/assets/${toPosix(path.relative(assetsReal, real))}`;
    const nm = toPosix(real).lastIndexOf('/node_modules/');
    if (nm >= 0) return toPosix(real).slice(nm + 1);
    return toPosix(path.relative(root, real));
  };
  for (const mapFile of listFiles(outdir).filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
    const mapDir = path.dirname(mapFile);
    const fromAssetRoot = toPosix(path.relative(outdir, mapDir));
    const absolute = (map.sources as string[]).map((s) => path.resolve(mapDir, s));
    map.sources = absolute.map((abs) => path.posix.relative(fromAssetRoot, label(abs)));
    // The stub's own text names the entry and the template by absolute path.
    const stub = absolute.indexOf(stubFile);
    if (stub >= 0 && map.sourcesContent?.[stub]) {
      map.sourcesContent[stub] = map.sourcesContent[stub].replace(/"([^"]+)"/g, (_m: string, p: string) => JSON.stringify(label(p)));
    }
    fs.writeFileSync(mapFile, JSON.stringify(map));
  }
}

/**
 * esbuild's chunk hashes cover the input paths relative to its working directory (so where
 * the library is installed, e.g. a symlinked node_modules) and the source maps as written.
 * Rename each chunk after its content alone, with every chunk file name masked (chunks import
 * each other, possibly in cycles), and rewrite the references.
 */
function renameChunksByContent(outdir: string): void {
  const chunkDir = path.join(outdir, 'chunks');
  if (!fs.existsSync(chunkDir)) return;
  const chunks = fs.readdirSync(chunkDir).filter((f) => /-[A-Z2-7]{8}\.mjs$/.test(f));
  const files = listFiles(outdir);
  const text = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const prefix = (chunk: string) => chunk.replace(/-[A-Z2-7]{8}\.mjs$/, '');
  const mask = (content: string) => chunks.reduce((t, c) => t.split(c).join(`<${prefix(c)}>`), content);
  const renamed = new Map<string, string>();
  for (const chunk of chunks) {
    const file = path.join(chunkDir, chunk);
    const digest = crypto
      .createHash('sha256')
      .update(mask(text.get(file)!))
      .update(mask(text.get(`${file}.map`) ?? ''))
      .digest('hex');
    renamed.set(chunk, `${prefix(chunk)}-${digest.slice(0, 8).toUpperCase()}.mjs`);
  }
  // Two chunks with the same masked content would collide: keep esbuild's names, which are
  // correct, only not path-independent.
  if (new Set(renamed.values()).size !== renamed.size) return;
  const rewrite = (content: string) => chunks.reduce((t, c) => t.split(c).join(renamed.get(c)!), content);
  for (const file of files) {
    const base = path.basename(file);
    const chunk = chunks.find((c) => base === c || base === `${c}.map`);
    const target = chunk ? path.join(path.dirname(file), base.replace(chunk, renamed.get(chunk)!)) : file;
    fs.rmSync(file);
    fs.writeFileSync(target, rewrite(text.get(file)!));
  }
}

/**
 * Copies each package and its dependencies (transitively, resolved the way Node resolves them
 * from the package's real location) into `<outdir>/node_modules`. A copy rather than an
 * `npm install` at synth: no network or registry at synth, and the function gets exactly the
 * versions the app was tested with. A dependency whose name is already taken at the top by
 * another version goes into its dependent's own node_modules, as npm would nest it.
 */
function copyNodeModules(packages: Array<{ name: string; dir: string }>, outdir: string): void {
  const topLevel = new Map<string, string>();
  const copied: string[] = [];
  const queue = packages.map((p) => ({ name: p.name, dir: p.dir, parentTarget: undefined as string | undefined }));
  while (queue.length > 0) {
    const { name, dir, parentTarget } = queue.shift()!;
    // Nested in a package already copied whole.
    if (copied.some((c) => isInside(dir, c) && dir !== c)) continue;
    let target: string;
    const taken = topLevel.get(name);
    if (taken === dir) continue;
    if (taken === undefined) {
      target = path.join(outdir, 'node_modules', name);
      topLevel.set(name, dir);
    } else {
      target = path.join(parentTarget ?? outdir, 'node_modules', name);
      if (fs.existsSync(target)) continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(dir, target, { recursive: true, dereference: true });
    copied.push(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const depDir = findPackageDir(dep, dir);
      if (!depDir) {
        // An optional dependency for another platform is legitimately absent.
        if (optional.includes(dep)) continue;
        throw new Error(`HandlerCode.fromEntry() nodeModules: ${name} depends on ${dep}, which is not installed; reinstall your app's dependencies.`);
      }
      queue.push({ name: dep, dir: depDir, parentTarget: target });
    }
  }
}

/** Node's lookup of `node_modules/<name>` from `from` upwards, as the package's real directory. */
function findPackageDir(name: string, from: string): string | undefined {
  let dir = fs.existsSync(from) ? fs.realpathSync(from) : from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The nearest directory above `entry` with a package.json, else the entry's directory. */
function projectRoot(entry: string): string {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(entry);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

function loadEsbuild(entry: string): any {
  try {
    const resolved = require.resolve('esbuild', { paths: [process.cwd(), path.dirname(entry)] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(resolved);
  } catch {
    throw new Error(
      `HandlerCode.fromEntry(${JSON.stringify(entry)}) bundles your logic at synth with esbuild, which is not installed. ` +
        'Run "npm install --save-dev esbuild" in your CDK app, or use HandlerCode.template() / HandlerCode.fromCode().',
    );
  }
}
