/**
 * An entry without a schema must not pay for validation at cold start. Each bundled template
 * keeps Powertools parser in a lazy chunk (chunks/schema-validation-*.mjs) that it imports
 * only when the entry exports a schema, and no template bundles zod itself (zod comes from
 * the entry that uses it). A fresh node process with a module-resolution hook records every
 * module the asset loads, with and without a schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { assetPath } from '../support/assets';
import { modulesLoadedBy } from '../support/loaded-modules';

const TEMPLATES = [
  { template: 'batch', wrap: 'wrapBatch', entry: 'processRecord', event: { Records: [] } },
  { template: 'stream', wrap: 'wrapStream', entry: 'processRecord', event: { Records: [] } },
  { template: 'idempotent', wrap: 'wrapIdempotent', entry: 'processEvent', event: undefined },
  { template: 'api', wrap: 'wrapApi', entry: 'routes', event: undefined },
];

/** The modules a fresh process loads to import the asset, wrap an entry and run one event. */
function modulesLoaded(t: (typeof TEMPLATES)[number], withSchema: boolean): string[] {
  // A minimal Standard Schema v1 validator: no zod in the child, so whatever loads is the template's own doing.
  const schema = "{ '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } }";
  const logic = t.entry === 'routes' ? "{ 'POST /orders': () => ({}) }" : '() => ({})';
  const schemaExport = t.entry === 'routes' ? `{ 'POST /orders': ${schema} }` : schema;
  const exportName = t.entry === 'routes' ? 'schemas' : 'schema';
  const script = [
    `const m = await import(${JSON.stringify(assetPath(t.template))});`,
    `const handler = m.${t.wrap}({ ${t.entry}: ${logic}${withSchema ? `, ${exportName}: ${schemaExport}` : ''} });`,
    t.event ? `await handler(${JSON.stringify(t.event)});` : '',
    // Give a preload started at init the time to resolve its chunk.
    'await new Promise((r) => setTimeout(r, 50));',
  ].join('\n');
  return modulesLoadedBy(script, {
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'lazy',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    IDEMPOTENCY_TABLE_NAME: t.template === 'idempotent' ? 'lazy' : '',
  });
}

describe.each(TEMPLATES)('$template template', (t) => {
  test('without a schema the validation chunk is never loaded; with one it is', () => {
    const without = modulesLoaded(t, false);
    expect(without.some((url) => url.includes(`/assets/${t.template}/index.mjs`))).toBe(true);
    expect(without.filter((url) => /schema-validation-/.test(url))).toEqual([]);
    const withSchema = modulesLoaded(t, true);
    expect(withSchema.filter((url) => /chunks\/schema-validation-[A-Z0-9]+\.mjs$/.test(url))).toHaveLength(1);
  });
});

test('no template bundles zod: it comes only from an entry that imports it', () => {
  const files = (dirPath: string): string[] =>
    fs.readdirSync(dirPath, { withFileTypes: true }).flatMap((e) => {
      const file = path.join(dirPath, e.name);
      return e.isDirectory() ? files(file) : [file];
    });
  const assets = files(path.dirname(path.dirname(assetPath('batch')))).filter((f) => f.endsWith('.mjs'));
  expect(assets.length).toBeGreaterThan(7);
  // Markers of zod's runtime (its error class and the core type every schema extends).
  const withZod = assets.filter((f) => /\$ZodType|ZodError|\b_zod\b/.test(fs.readFileSync(f, 'utf8')));
  expect(withZod).toEqual([]);
});
