/**
 * The api template's first request must not load Node's undici (web Request, Response,
 * Headers): on Node 24 that was ~40 ms of the cold start. A fresh node process imports the
 * bundled asset, answers GET /health as REST v1 and HTTP v2 events, and lists the builtin
 * modules it loaded beyond those node starts with (`process.moduleLoadList`). A route that returns a web Response still
 * works, and is the only thing that loads undici.
 */
import { execFileSync } from 'child_process';
import { restEvent, httpEvent } from './api-events';
import { assetPath } from '../support/assets';

function builtinsLoadedBy(body: string): string[] {
  const script = [
    // Node 20 itself loads a few webstreams internals at startup: only what the template adds counts.
    'const atStart = new Set(process.moduleLoadList);',
    `const t = await import(${JSON.stringify(assetPath('api'))});`,
    "const ctx = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 30000 };",
    body,
    "process.stdout.write(JSON.stringify({ results, loaded: process.moduleLoadList.filter((m) => !atStart.has(m) && (m.includes('undici') || m.includes('webstreams'))) }));",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_SERVICE_NAME: 'cold', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out);
  expect(parsed.results.every((r: { statusCode: number }) => r.statusCode < 300)).toBe(true);
  return parsed.loaded;
}

test('GET /health (REST v1 and HTTP v2) loads neither undici nor web streams', () => {
  const events = [restEvent({ method: 'GET', path: '/health', requestId: 'a' }), httpEvent({ method: 'POST', path: '/orders', body: '{"item":"pen","quantity":1}', requestId: 'b' })];
  const loaded = builtinsLoadedBy(`const results = []; for (const e of ${JSON.stringify(events)}) results.push(await t.handler(e, ctx));`);
  expect(loaded).toEqual([]);
});

test('the check can fail: a route that returns a web Response loads undici', () => {
  const event = restEvent({ method: 'GET', path: '/web', requestId: 'c' });
  const loaded = builtinsLoadedBy(
    `const app = t.wrapApi({ routes: { 'GET /web': () => new Response('hi') } }); const results = [await app(${JSON.stringify(event)}, ctx)];`,
  );
  expect(loaded.some((m) => m.includes('undici'))).toBe(true);
});
