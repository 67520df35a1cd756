/**
 * A function that declares parameters loads their Powertools providers (the ssm / secrets
 * chunks) while its module initializes, when Lambda gives init the most CPU, not on the
 * first read; one that declares none never loads them. A fresh node process with a
 * module-resolution hook imports the bundled asset and runs no invocation at all.
 */
import { assetPath } from '../support/assets';
import { modulesLoadedBy } from '../support/loaded-modules';

function chunksLoadedAtImport(template: string, env: Record<string, string>): string[] {
  const script = [
    `await import(${JSON.stringify(assetPath(template))});`,
    // No invocation: only what the module's initialization started may load.
    'await new Promise((r) => setTimeout(r, 200));',
  ].join('\n');
  const loaded = modulesLoadedBy(script, {
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'init-load',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...(template === 'idempotent' ? { IDEMPOTENCY_TABLE_NAME: 'init-load' } : {}),
    ...env,
  });
  return loaded.filter((url) => /\/chunks\/(ssm|secrets)-[A-Z0-9]+\.mjs$/.test(url)).map((url) => url.replace(/^.*\/chunks\/(ssm|secrets)-.*$/, '$1'));
}

describe.each(['function', 'batch', 'stream', 'api', 'idempotent'])('%s template', (template) => {
  test('declared parameters and secrets: both providers load during init', () => {
    const loaded = chunksLoadedAtImport(template, {
      PARAMETERS_SSM_NAMES: JSON.stringify({ apiUrl: '/shop/api-url' }),
      PARAMETERS_SECRET_IDS: JSON.stringify({ apiKey: 'shop/api-key' }),
    });
    expect([...new Set(loaded)].sort()).toEqual(['secrets', 'ssm']);
  });

  test('none declared: neither provider loads', () => {
    expect(chunksLoadedAtImport(template, {})).toEqual([]);
  });
});
