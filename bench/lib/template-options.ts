import { execFileSync } from 'child_process';
import { templateAsset } from './anchors';
import { BENCH_LAMBDA_ENV } from './cold-init';
import { interleave, ratio, summarize, Summary } from './stats';

/**
 * The cold-init cost of each template option, against the same template without it, in one
 * interleaved run: tracing on (the X-Ray SDK chunk loaded at init, as in Lambda with active
 * tracing) and an entry schema (the validation chunk). Each sample: a fresh node process that
 * imports the asset, wraps an entry and handles one event (which awaits any chunk the init
 * started loading), timed inside the child.
 */
const TRACED_ENV = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  POWERTOOLS_TRACE_ENABLED: 'true',
};
// A synchronous Standard Schema v1 validator: measures the template's validation chunk, not zod (the entry brings zod).
const SCHEMA = "{ '~standard': { version: 1, vendor: 'bench', validate: (value) => ({ value }) } }";

interface Variant {
  readonly name: string;
  readonly template: string;
  readonly entry: string;
  readonly env?: Record<string, string>;
}

const VARIANTS: { option: string; without: Variant; with: Variant }[] = [
  ...['function', 'batch', 'api'].map((template) => ({
    option: 'tracing',
    without: { name: `${template}`, template, entry: entryOf(template, false) },
    with: { name: `${template} + tracing`, template, entry: entryOf(template, false), env: TRACED_ENV },
  })),
  ...['batch', 'stream', 'api'].map((template) => ({
    option: 'schema',
    without: { name: `${template}`, template, entry: entryOf(template, false) },
    with: { name: `${template} + schema`, template, entry: entryOf(template, true) },
  })),
];

function entryOf(template: string, schema: boolean): string {
  const wrap = { function: 'wrapFunction', batch: 'wrapBatch', stream: 'wrapStream', idempotent: 'wrapIdempotent', api: 'wrapApi' }[template]!;
  if (template === 'api') return `${wrap}({ routes: { 'POST /orders': () => ({}) }${schema ? `, schemas: { 'POST /orders': ${SCHEMA} }` : ''} })`;
  const fn = template === 'function' ? 'handle' : template === 'idempotent' ? 'processEvent' : 'processRecord';
  return `${wrap}({ ${fn}: () => ({})${schema ? `, schema: ${SCHEMA}` : ''} })`;
}

const kinesisData = Buffer.from('{}').toString('base64');
const EVENTS: Record<string, unknown> = {
  function: {},
  batch: { Records: [{ messageId: 'm', body: '{}', attributes: {}, messageAttributes: {} }] },
  stream: { Records: [{ eventSource: 'aws:kinesis', eventID: 'shardId-1:1', kinesis: { sequenceNumber: '1', partitionKey: 'p', data: kinesisData } }] },
  api: { httpMethod: 'POST', path: '/orders', resource: '/{proxy+}', headers: {}, body: '{}', requestContext: { requestId: 'r', httpMethod: 'POST', stage: 'b' } },
};

function sample(v: Variant): number {
  const script = [
    'const t0 = process.hrtime.bigint();',
    `const m = await import(${JSON.stringify(templateAsset(v.template))});`,
    `const handler = m.${v.entry};`,
    `await handler(${JSON.stringify(EVENTS[v.template])}, { functionName: 'bench', awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 });`,
    "process.stdout.write('\\nBENCH_MS=' + Number(process.hrtime.bigint() - t0) / 1e6 + '\\n');",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...BENCH_LAMBDA_ENV, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', STREAM_SOURCE_TYPE: 'KINESIS', ...v.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ms = /BENCH_MS=([\d.]+)/.exec(out.toString('utf8'));
  if (!ms) throw new Error(`template-options: no timing from ${v.name}`);
  return Number(ms[1]);
}

export interface OptionCost {
  readonly option: string;
  readonly template: string;
  readonly without: Summary;
  readonly with: Summary;
  readonly ratio: number;
}

export async function templateOptionCosts(rounds: number): Promise<OptionCost[]> {
  const subjects: Record<string, () => number> = {};
  for (const v of VARIANTS) {
    subjects[v.without.name] ??= () => sample(v.without);
    subjects[v.with.name] = () => sample(v.with);
  }
  const samples = await interleave(subjects, rounds);
  return VARIANTS.map((v) => {
    const without = summarize(samples[v.without.name]);
    const withOption = summarize(samples[v.with.name]);
    return { option: v.option, template: v.without.template, without, with: withOption, ratio: ratio(withOption.median, without.median) };
  });
}
