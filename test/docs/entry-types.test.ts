import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/temp';

/**
 * The handler types a `HandlerCode.fromEntry()` author imports from
 * `cdk-serverless-powertools/lib/entry-types`. They are emitted as declarations the way the
 * package ships them (lib/ beside lib/<capability>/contract), into a fresh app's node_modules,
 * and each construct's example entry (test/docs/entry-types/) is compiled against them with
 * `tsc --noEmit --strict` and no @types at all: the correct entries pass, the wrong ones fail
 * with the error their mistake deserves.
 */
const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'entry-types');
const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');

let app: string;

// No @types at all: the entry types need neither @types/aws-lambda nor Powertools.
const COMPILER_OPTIONS = { strict: true, types: [], target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false };

/** Type-checks `files` of the fresh app with their own tsconfig. */
function compile(files: string[]): { ok: boolean; output: string } {
  const project = path.join(app, `tsconfig.${files.length}-${files[0]}.json`);
  fs.writeFileSync(project, JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, noEmit: true }, files }));
  try {
    const output = execFileSync(tsc, ['-p', project, '--pretty', 'false'], {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return { ok: true, output };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

beforeAll(() => {
  app = fs.realpathSync(tempDir('csp-entry-types-'));
  const lib = path.join(app, 'node_modules', 'cdk-serverless-powertools', 'lib');
  // The same declarations jsii writes to lib/ (it compiles src/ except the runtime folders).
  const emit = path.join(app, 'tsconfig.emit.json');
  fs.writeFileSync(
    emit,
    JSON.stringify({
      compilerOptions: { ...COMPILER_OPTIONS, declaration: true, emitDeclarationOnly: true, rootDir: path.join(ROOT, 'src'), outDir: lib },
      files: [path.join(ROOT, 'src', 'entry-types', 'index.ts')],
    }),
  );
  execFileSync(tsc, ['-p', emit], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  fs.writeFileSync(path.join(app, 'node_modules', 'cdk-serverless-powertools', 'package.json'), JSON.stringify({ name: 'cdk-serverless-powertools', types: 'lib/index.d.ts' }));
  for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(app, f));
  // The README's entry example (a TypeScript-only file, so not a jsii-rosetta snippet).
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /```tsx\n(\/\/ src\/orders\.ts[\s\S]*?)```/.exec(readme);
  if (!snippet) throw new Error('README.md: the entry-types example (```tsx // src/orders.ts) is missing');
  fs.writeFileSync(path.join(app, 'readme-orders.ts'), snippet[1]);
}, 120_000);

afterAll(() => {
  if (app) fs.rmSync(app, { recursive: true, force: true });
});

test('the shipped declarations hold only types and reach no runtime folder', () => {
  const lib = path.join(app, 'node_modules', 'cdk-serverless-powertools', 'lib');
  expect(fs.existsSync(path.join(lib, 'entry-types', 'index.d.ts'))).toBe(true);
  const emitted = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? emitted(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  expect(emitted(lib).filter((f) => f.includes(`${path.sep}runtime${path.sep}`))).toEqual([]);
});

test('a correct entry for every construct, and the README example, type-check against the shipped types', () => {
  const { ok, output } = compile(['idempotent.ts', 'batch.ts', 'api.ts', 'handle.ts', 'readme-orders.ts']);
  expect(output).toBe('');
  expect(ok).toBe(true);
});

const WRONG = ['idempotent.wrong.ts', 'batch.wrong.ts', 'api.wrong.ts', 'handle.wrong.ts'];
// One tsc run for every wrong entry (each file's errors carry its name).
let wrong: { ok: boolean; output: string } | undefined;

test.each([
  ['idempotent.wrong.ts', [/idempotent\.wrong\.ts\(4,\d+\): error TS2551: Property 'requestId' does not exist on type 'TemplateContext'/]],
  [
    'batch.wrong.ts',
    [
      /batch\.wrong\.ts\(4,\d+\): error TS2322: Type '"xml"' is not assignable to type 'BodyFormat'/,
      /batch\.wrong\.ts\(8,\d+\): error TS2554: Expected 3 arguments, but got 2/,
      /batch\.wrong\.ts\(9,\d+\): error TS2551: Property 'messageID' does not exist on type 'RecordContext'/,
    ],
  ],
  [
    'api.wrong.ts',
    [
      /api\.wrong\.ts\(5,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'/,
      /api\.wrong\.ts\(5,\d+\): error TS2551: Property 'param' does not exist on type 'ApiRequest'/,
    ],
  ],
  ['handle.wrong.ts', [/handle\.wrong\.ts\(4,\d+\): error TS2322: Type '\(.*\) => void' is not assignable to type 'HandleFunction'/]],
])('a wrong entry, %s, fails to type-check', (file, errors) => {
  wrong ??= compile(WRONG);
  expect(wrong.ok).toBe(false);
  for (const error of errors) expect(wrong.output).toMatch(error);
  // Nothing else in the file fails: each line above is the one mistake it shows.
  const lines = wrong.output.split('\n').filter((l) => l.startsWith(`${file}(`));
  expect(lines).toHaveLength(errors.length);
});
