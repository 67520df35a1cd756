import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HandlerCode } from '../../src/core/handler-code';
import { PowerTunedFunction } from '../../src/power-tuning';
import { createTestApp } from '../support/app';
import { importTemplate, lambdaContext } from '../support/assets';
import { tempDir } from '../support/temp';

// The tuned function's default template, run as it ships (assets/power-tuned/index.mjs).
let mod: any;
const logs: string[] = [];
beforeAll(async () => {
  process.env.POWERTOOLS_SERVICE_NAME = 'tuned';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Test';
  mod = await importTemplate('power-tuned');
});
beforeEach(() => {
  logs.length = 0;
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    logs.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    logs.push(String(chunk));
    return true;
  });
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
  jest.spyOn(console, 'info').mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
});
afterEach(() => jest.restoreAllMocks());

describe('power-tuned template (bundled)', () => {
  test('the demo logic hashes n times and returns the digest, deterministically', async () => {
    const small = await mod.handler({ iterations: 10 }, lambdaContext());
    expect(small).toEqual({ iterations: 10, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await mod.handler({ iterations: 10 }, lambdaContext())).toEqual(small);
    expect((await mod.handler({}, lambdaContext())).iterations).toBe(20_000);
    // EMF metrics are published after each invocation
    expect(logs.join('\n')).toContain('"Processed"');
  });

  test('a bad "iterations" fails the invocation with a clear error (never a silent success)', async () => {
    await expect(mod.handler({ iterations: 'lots' }, lambdaContext())).rejects.toMatchObject({
      name: 'BadEventError',
      message: '"iterations" must be a whole number from 1 to 5000000 (got "lots").',
    });
    expect(logs.join('\n')).toContain('"Failed"');
  });

  test.each([
    ['null', null, 'null'],
    ['a string', 'go', 'a string'],
    ['a number', 7, 'a number'],
    ['an array', [{ iterations: 10 }], 'an array'],
  ])('an event that is %s is a bad event: BadEventError, not the default work', async (_name, event, got) => {
    await expect(mod.handler(event, lambdaContext())).rejects.toMatchObject({
      name: 'BadEventError',
      message: `The event must be a JSON object such as {"iterations": 20000} ({} for the default); got ${got}.`,
    });
    expect(logs.join('\n')).toContain('"Failed"');
  });

  test('wrapPowerTuned wraps the user\'s handle and checks the module at init', async () => {
    const handler = mod.wrapPowerTuned({ handle: async (event: any) => ({ echo: event.x }) });
    await expect(handler({ x: 1 }, lambdaContext())).resolves.toEqual({ echo: 1 });
    expect(() => mod.wrapPowerTuned({ process: () => 1 })).toThrow(
      /^PowerTunedFunction entry: the module must export a function "handle" \(export function handle\(event, context\) .*\); it exports process\./,
    );
    expect(() => mod.wrapPowerTuned({})).toThrow(/it exports nothing/);
  });

  test('HandlerCode.fromEntry bundles a user module with the template, and the bundle runs it', async () => {
    const dir = tempDir('power-tuned-entry-');
    const entry = path.join(dir, 'work.ts');
    fs.writeFileSync(entry, 'export async function handle(event: { n: number }) { return { doubled: event.n * 2 }; }\n');
    const app = createTestApp();
    const stack = new Stack(app, 'S');
    new PowerTunedFunction(stack, 'Fn', { handlerCode: HandlerCode.fromEntry(entry) });
    const template = Template.fromStack(stack);
    const tuned = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    expect(Object.keys(tuned)).toEqual([expect.stringMatching(/^FnHandlerFunction/)]);
    app.synth();
    const assetHash = String(Object.values(tuned)[0].Properties.Code.S3Key).replace(/\.zip$/, '');
    const assetDir = path.join(app.outdir, `asset.${assetHash}`);
    const bundled = await import(path.join(assetDir, 'index.mjs'));
    await expect(bundled.handler({ n: 21 }, lambdaContext())).resolves.toEqual({ doubled: 42 });
  });
});
