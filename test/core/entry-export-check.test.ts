/**
 * HandlerCode.fromEntry checks at synth that an ES module entry exports what the construct's
 * template calls (esbuild's metafile lists the entry's exports), for every construct; a
 * CommonJS entry, whose exports are only known at run time, is left to the template's check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ObservableApi } from '../../src/api';
import { SqsBatchConsumer } from '../../src/batch';
import { HandlerCode, PowertoolsFunction } from '../../src/core';
import { IdempotentFunction } from '../../src/idempotency';
import { PowerTunedFunction } from '../../src/power-tuning';
import { TEST_CONTEXT } from '../support/app';
import { tempDir } from '../support/temp';

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(tempDir('csp-export-check-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

type Build = (stack: Stack, code: HandlerCode) => void;
const CONSTRUCTS: Array<[string, string, Build]> = [
  ['IdempotentFunction', 'processEvent', (s, handlerCode) => new IdempotentFunction(s, 'C', { handlerCode })],
  ['SqsBatchConsumer', 'processRecord', (s, handlerCode) => new SqsBatchConsumer(s, 'C', { handlerCode })],
  ['ObservableApi', 'routes', (s, handlerCode) => new ObservableApi(s, 'C', { handlerCode })],
  ['PowertoolsFunction', 'handle', (s, handlerCode) => new PowertoolsFunction(s, 'C', { handlerCode })],
  ['PowerTunedFunction', 'handle', (s, handlerCode) => new PowerTunedFunction(s, 'C', { handlerCode })],
];

function synth(build: Build, entry: string): void {
  const app = new App({ context: TEST_CONTEXT, outdir: fs.mkdtempSync(path.join(dir, 'cdk.out-')) });
  build(new Stack(app, 'S'), HandlerCode.fromEntry(entry));
  app.synth();
}

describe.each(CONSTRUCTS)('%s entry', (construct, exportName, build) => {
  const good = exportName === 'routes' ? "export const routes = { 'GET /x': () => 1 };\n" : `export function ${exportName}() { return 1; }\n`;

  test(`a TypeScript entry without "${exportName}" fails synth naming the prop, the file, its exports and the fix`, () => {
    const wrong = file(`${construct}-wrong.ts`, `export function ${exportName}X() { return 1; }\nexport const other = 2;\n`);
    let message = '';
    try {
      synth(build, wrong);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('invalid `handlerCode`');
    expect(message).toContain(`The fromEntry() file ${wrong} must export "${exportName}"`);
    expect(message).toMatch(new RegExp(`it exports ("${exportName}X", "other"|"other", "${exportName}X")\\. `));
    expect(message).toMatch(/^S\/C(\/Handler)?: invalid `handlerCode`/);
    expect(message).toContain(`Rename or add the export "${exportName}"`);
  });

  test(`an entry exporting "${exportName}" synthesizes, also when it is re-exported`, () => {
    expect(() => synth(build, file(`${construct}-good.ts`, good))).not.toThrow();
    file(`${construct}-impl.ts`, good);
    expect(() => synth(build, file(`${construct}-reexport.ts`, `export * from './${construct}-impl';\n`))).not.toThrow();
  });
});

test('an empty ES module is told it exports nothing', () => {
  expect(() => synth(CONSTRUCTS[1][2], file('empty.mjs', 'export {};\n'))).toThrow(/it exports nothing\./);
});

test('a CommonJS entry and an entry with a default export are left to the template\'s cold-start check', () => {
  expect(() => synth(CONSTRUCTS[1][2], file('cjs.js', 'module.exports = { processRecrd() {} };\n'))).not.toThrow();
  expect(() => synth(CONSTRUCTS[1][2], file('default.mjs', 'export default { processRecord() {} };\n'))).not.toThrow();
});

