import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tempDir } from '../support/temp';

/**
 * What users read and import must be true: every TypeScript snippet of the README compiles
 * through jsii-rosetta in strict mode, and the Python example imports only names that the
 * generated Python package really has.
 */
const ROOT = path.join(__dirname, '..', '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd = ROOT) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });

let pythonDir: string;

/**
 * Whether .jsii was compiled after every file it is compiled from changed (the README it
 * carries, package.json and src/). CI's `ci` task compiles before `npm test`, so the test reads
 * that assembly instead of compiling the library a second time; anywhere else (a fresh clone,
 * an edit since the last build) it compiles its own.
 */
function assemblyIsCurrent(): boolean {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assembly)) return false;
  const built = fs.statSync(assembly).mtimeMs;
  const inputs = [path.join(ROOT, 'README.md'), path.join(ROOT, 'package.json'), ...filesUnder(path.join(ROOT, 'src'))];
  return inputs.every((file) => fs.statSync(file).mtimeMs <= built);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(file) : [file];
  });
}

beforeAll(() => {
  // The assembly (.jsii) carries the README that rosetta checks and the API pacmak generates from.
  if (!assemblyIsCurrent()) run(bin('jsii'), []);
  pythonDir = tempDir('csp-python-');
  run(bin('jsii-pacmak'), ['--target', 'python', '--code-only', '--outdir', pythonDir]);
}, 300_000);

afterAll(() => {
  if (pythonDir) fs.rmSync(pythonDir, { recursive: true, force: true });
});

test('README TypeScript snippets compile with jsii-rosetta --strict', () => {
  // No cached translations: every snippet is compiled afresh.
  fs.rmSync(path.join(ROOT, '.jsii.tabl.json'), { force: true });
  // Throws (and fails the test with rosetta's diagnostics) on any snippet that does not compile.
  // --batch compiles the snippets as the files of one TypeScript program instead of one program
  // each (each loads aws-cdk-lib's declarations: 52 s of CPU unbatched, 35 s batched). Every
  // snippet is still its own module (the fixtures import), so none sees another's declarations,
  // and an error in any snippet still fails the run.
  const out = run(bin('jsii-rosetta'), ['extract', '--strict', '--batch', '--output', path.join(os.tmpdir(), 'csp-rosetta.tabl.json')]);
  expect(out).not.toMatch(/error TS\d+/);
}, 300_000);

describe('Python example (examples/python/app.py)', () => {
  const app = path.join(ROOT, 'examples', 'python', 'app.py');

  test('byte-compiles', () => {
    // Compile to a temp file: no __pycache__ left in the example folder.
    const cfile = path.join(pythonDir, 'app.pyc');
    run('python3', ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', app, cfile]);
    expect(fs.existsSync(cfile)).toBe(true);
  });

  test('imports only names that exist in the generated package', () => {
    const init = fs.readFileSync(path.join(pythonDir, 'python', 'src', 'cdk_serverless_powertools', '__init__.py'), 'utf8');
    const imported = importedNames(fs.readFileSync(app, 'utf8'));
    expect(imported.length).toBeGreaterThanOrEqual(8);
    const missing = imported.filter((name) => !definedIn(init, name));
    expect(missing).toEqual([]);
    // The check itself can fail.
    expect(definedIn(init, 'NoSuchConstruct')).toBe(false);
  });
});

function importedNames(source: string): string[] {
  const match = /from cdk_serverless_powertools import \(([^)]*)\)|from cdk_serverless_powertools import ([^\n]+)/.exec(source);
  if (!match) return [];
  return (match[1] ?? match[2])
    .split(/[,\s]+/)
    .map((n) => n.trim())
    .filter((n) => n && !n.startsWith('#'));
}

function definedIn(init: string, name: string): boolean {
  return new RegExp(`^class ${name}\\b`, 'm').test(init) || new RegExp(`^${name}\\s*=`, 'm').test(init);
}
