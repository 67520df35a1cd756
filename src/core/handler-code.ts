import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
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
}

/** The code, handler and runtime a function gets. @internal */
export interface BoundHandlerCode {
  readonly code: lambda.Code;
  readonly handler: string;
  readonly runtime: lambda.Runtime;
  /** `template` and `entry` run our template; `custom` is the user's own code. */
  readonly kind: 'template' | 'entry' | 'custom';
  /** Variables the code needs to run as bundled (e.g. `NODE_OPTIONS` for source maps). */
  readonly environment?: { [key: string]: string };
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
   * @param entry path to the file (absolute, or relative to the current directory)
   */
  public static fromEntry(entry: string): HandlerCode {
    return new EntryCode(entry);
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
  constructor(private readonly entry: string) {
    super();
  }

  public _bind(scope: IConstruct, template: TemplateRef): BoundHandlerCode {
    const entry = path.resolve(this.entry);
    if (!fs.existsSync(entry)) {
      invalidProp(scope.node.path, 'handlerCode', this.entry, `HandlerCode.fromEntry() needs an existing file; ${entry} does not exist.`);
    }
    const outdir = bundleEntry(entry, template);
    return { code: lambda.Code.fromAsset(outdir), handler: 'index.handler', runtime: TEMPLATE_RUNTIME, kind: 'entry' };
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

/**
 * Bundles `entry` wrapped by the template with the same esbuild settings the library's
 * own build uses (shipped as assets/esbuild-options.json).
 */
function bundleEntry(entry: string, template: TemplateRef): string {
  const esbuild = loadEsbuild(entry);
  const options = JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'esbuild-options.json'), 'utf8'));
  const templateModule = path.join(ASSETS_DIR, template.name, 'index.mjs');
  // A fresh private directory per bundle: a predictable shared path could be pre-created by
  // another user, and parallel synths would race on it. The asset hash is content-based anyway.
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-serverless-powertools-'));
  const outdir = path.join(workdir, 'asset');
  const stub = [
    `import * as userModule from ${JSON.stringify(entry)};`,
    `import { ${template.wrapExport} as wrap } from ${JSON.stringify(templateModule)};`,
    'export const handler = wrap(userModule);',
  ].join('\n');
  // A real file, not stdin: code splitting (lazy chunks, as in the templates) needs entry points.
  const stubFile = path.join(workdir, 'entry.mjs');
  fs.writeFileSync(stubFile, stub);
  esbuild.buildSync({
    ...options,
    entryPoints: { index: stubFile },
    outdir,
    logLevel: 'error',
  });
  return outdir;
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
