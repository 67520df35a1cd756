import { execFile } from 'child_process';
import { templateAsset } from './anchors';
import { BENCH_LAMBDA_ENV } from './cold-init';
import { restApiEvent } from './events';
import { LocalParametersServer, startLocalParametersServer } from './local-parameters-server';
import { interleave, ratio, summarize, Summary } from './stats';
import { OBSERVABILITY_DEFAULTS, OBSERVABILITY_ENV } from '../../src/core/contract/observability-env';
import { PARAMETERS_ENV } from '../../src/core/contract/parameters';
import { POWERTOOLS_ENV } from '../../src/core/contract/powertools-env';
import { IDEMPOTENCY_ENV } from '../../src/idempotency/contract';
import { createIdempotencyTable } from '../../test/handlers/idempotency-table';
import { InProcessDynalite, localDynamoDbClient, startDynalite } from '../../test/support/dynalite';

/**
 * The cold-init cost of each template option, against the same template without it, in one
 * interleaved run. Each sample: a fresh node process that imports the asset, wraps an entry
 * and handles one event (which awaits any chunk the init started loading), timed inside the
 * child. Every variable a "with" child gets is the one the option's prop makes the construct
 * set (names from the contracts in src/**):
 * - tracing: the X-Ray SDK chunk loaded at init, as in Lambda with active tracing;
 * - schema: the validation chunk;
 * - parameters: one SSM parameter and one secret declared (`parameters`, `secrets`) and read
 *   by the logic on the first invocation, from a local stand-in for the two endpoints (a
 *   round trip on 127.0.0.1, far below a real one: the figure is the chunks and the code path);
 * - logBuffering: Powertools log buffering on, Lambda's log filter opened to DEBUG, one DEBUG
 *   line buffered (and dropped: the invocation succeeds), both sides logging at INFO;
 * - keyPrefix and replayMarker: the idempotent template on dynalite, first (non-replayed) call.
 *   keyPrefix "without" is Powertools' default (the function name); the construct always sets one.
 * Correlation ids have no switch (every batch, stream and API invocation looks for one), so
 * they have no row: their cost is inside every template's figure.
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

// What `parameters: { dbUrl: ... }, secrets: { apiKey: ... }` writes (names only; values come from the server).
const SSM_NAME = '/bench/orders/db-url';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench/orders/api-key-AbCdEf';
const PARAMETERS_VARS = {
  [PARAMETERS_ENV.ssmParameterNames.name]: JSON.stringify({ dbUrl: SSM_NAME }),
  [PARAMETERS_ENV.secretIds.name]: JSON.stringify({ apiKey: SECRET_ARN }),
};
const READ_PARAMETERS = "await Promise.all([ctx.parameters.get('dbUrl'), ctx.parameters.secret('apiKey')]);";

// logLevel INFO on both sides; logBuffering adds its variables and makes Lambda's filter DEBUG.
const INFO_ENV = { [POWERTOOLS_ENV.logLevel.name]: 'INFO', [POWERTOOLS_ENV.lambdaLogLevel.name]: 'INFO', _X_AMZN_TRACE_ID: TRACED_ENV._X_AMZN_TRACE_ID };
const BUFFERING_ENV = {
  ...INFO_ENV,
  [POWERTOOLS_ENV.lambdaLogLevel.name]: 'DEBUG',
  [OBSERVABILITY_ENV.logBufferMaxBytes.name]: String(OBSERVABILITY_DEFAULTS.logBufferMaxBytes),
  [OBSERVABILITY_ENV.logBufferAtLevel.name]: OBSERVABILITY_DEFAULTS.logBufferAtLevel,
};
const LOG_A_DEBUG_LINE = "ctx.logger.debug('bench: a line the buffer holds', { step: 1 });";

const IDEMPOTENCY_TABLE = 'bench-template-options';
const IDEMPOTENT_ENV = { [IDEMPOTENCY_ENV.tableName.name]: IDEMPOTENCY_TABLE, [IDEMPOTENCY_ENV.eventKeyJmesPath.name]: 'orderId' };

interface Variant {
  readonly name: string;
  readonly template: string;
  readonly entry: string;
  readonly env?: Record<string, string>;
}

interface OptionVariants {
  readonly option: string;
  readonly without: Variant;
  readonly with: Variant;
}

const plain = (template: string, suffix = '', body = '', env?: Record<string, string>): Variant => ({
  name: `${template}${suffix}`,
  template,
  entry: entryOf(template, { body }),
  env,
});

const VARIANTS: OptionVariants[] = [
  ...['function', 'batch', 'api'].map((template) => ({
    option: 'tracing',
    without: plain(template),
    with: { ...plain(template, ' + tracing'), env: TRACED_ENV },
  })),
  ...['batch', 'stream', 'api'].map((template) => ({
    option: 'schema',
    without: plain(template),
    with: { name: `${template} + schema`, template, entry: entryOf(template, { schema: true }) },
  })),
  ...['function', 'batch', 'stream', 'api'].map((template) => ({
    option: 'parameters',
    without: plain(template),
    with: { ...plain(template, ' + parameters', READ_PARAMETERS), env: PARAMETERS_VARS },
  })),
  ...['function', 'batch', 'stream', 'api'].map((template) => {
    // The function template hands its logic no logger; it logs its own INFO line per event.
    const body = template === 'function' ? '' : LOG_A_DEBUG_LINE;
    return {
      option: 'logBuffering',
      without: plain(template, ' at INFO', body, INFO_ENV),
      with: plain(template, ' at INFO + logBuffering', body, BUFFERING_ENV),
    };
  }),
  {
    option: 'keyPrefix',
    without: plain('idempotent', '', '', IDEMPOTENT_ENV),
    with: plain('idempotent', ' + keyPrefix', '', { ...IDEMPOTENT_ENV, [IDEMPOTENCY_ENV.keyPrefix.name]: 'OrdersStack_Orders' }),
  },
  {
    option: 'replayMarker',
    without: plain('idempotent', '', '', IDEMPOTENT_ENV),
    with: plain('idempotent', ' + replayMarker', '', { ...IDEMPOTENT_ENV, [IDEMPOTENCY_ENV.replayField.name]: 'replayed' }),
  },
];

/** The entry module a `fromEntry` user writes, as the expression that wraps it; `body` runs first in the logic. */
function entryOf(template: string, options: { schema?: boolean; body?: string }): string {
  const wrap = { function: 'wrapFunction', batch: 'wrapBatch', stream: 'wrapStream', idempotent: 'wrapIdempotent', api: 'wrapApi' }[template]!;
  const body = options.body ?? '';
  if (template === 'api') {
    const schemas = options.schema ? `, schemas: { 'POST /orders': ${SCHEMA} }` : '';
    return `${wrap}({ routes: { 'POST /orders': async (ctx) => { ${body} return {}; } }${schemas} })`;
  }
  const logic = template === 'function' ? 'handle: async (event, ctx)' : template === 'idempotent' ? 'processEvent: async (event, ctx)' : 'processRecord: async (body, ctx)';
  return `${wrap}({ ${logic} => { ${body} return {}; }${options.schema ? `, schema: ${SCHEMA}` : ''} })`;
}

const kinesisData = Buffer.from('{}').toString('base64');
const EVENTS: Record<string, unknown> = {
  function: {},
  batch: { Records: [{ messageId: 'm', body: '{}', attributes: {}, messageAttributes: {} }] },
  stream: { Records: [{ eventSource: 'aws:kinesis', eventID: 'shardId-1:1', kinesis: { sequenceNumber: '1', partitionKey: 'p', data: kinesisData } }] },
  api: restApiEvent('POST', '/orders', '/orders', {}),
};

/** The servers the children call: dynalite for idempotency, the parameters stand-in. */
interface Servers {
  readonly dynalite: InProcessDynalite;
  readonly parameters: LocalParametersServer;
}

let sampleNumber = 0;

/** Async (a child, not execFileSync), so the servers in this process can answer it. */
function sample(v: Variant, servers: Servers): Promise<number> {
  // A fresh order id per sample: every idempotent sample is a first call, never a replay.
  const event = v.template === 'idempotent' ? { orderId: `order-${process.pid}-${++sampleNumber}` } : EVENTS[v.template];
  const script = [
    'const t0 = process.hrtime.bigint();',
    `const m = await import(${JSON.stringify(templateAsset(v.template))});`,
    `const handler = m.${v.entry};`,
    `const r = await handler(${JSON.stringify(event)}, { functionName: 'bench', awsRequestId: 'r', getRemainingTimeInMillis: () => 10000 });`,
    // A reported failure (a 4xx/5xx, a failed record) would time a different path: fail the sample instead.
    "if (r && (r.statusCode >= 400 || r.batchItemFailures?.length)) throw new Error('the invocation failed: ' + JSON.stringify(r));",
    "process.stdout.write('\\nBENCH_MS=' + Number(process.hrtime.bigint() - t0) / 1e6 + '\\n');",
  ].join('\n');
  const env = {
    ...process.env,
    ...BENCH_LAMBDA_ENV,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    STREAM_SOURCE_TYPE: 'KINESIS',
    AWS_ENDPOINT_URL_DYNAMODB: servers.dynalite.endpoint,
    ...servers.parameters.endpointEnv,
    ...v.env,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { env, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`template-options: ${v.name} failed: ${error.message} ${stderr}`));
      const ms = /BENCH_MS=([\d.]+)/.exec(stdout);
      if (!ms) return reject(new Error(`template-options: no timing from ${v.name}`));
      resolve(Number(ms[1]));
    });
  });
}

async function startServers(): Promise<Servers> {
  const dynalite = await startDynalite();
  const admin = localDynamoDbClient(dynalite);
  try {
    await createIdempotencyTable(admin, IDEMPOTENCY_TABLE);
  } finally {
    admin.destroy();
  }
  const parameters = await startLocalParametersServer({ ssm: { [SSM_NAME]: 'postgres://bench' }, secrets: { [SECRET_ARN]: 'bench-api-key' } });
  return { dynalite, parameters };
}

export interface OptionCost {
  readonly option: string;
  readonly template: string;
  readonly without: Summary;
  readonly with: Summary;
  readonly ratio: number;
}

export async function templateOptionCosts(rounds: number): Promise<OptionCost[]> {
  const servers = await startServers();
  try {
    const subjects: Record<string, () => Promise<number>> = {};
    for (const v of VARIANTS) {
      subjects[v.without.name] ??= () => sample(v.without, servers);
      subjects[v.with.name] = () => sample(v.with, servers);
    }
    const samples = await interleave(subjects, rounds);
    // The parameters rows are only true if the children really read through the stand-in.
    const reads = servers.parameters.requests;
    if (!reads['AmazonSSM.GetParameter'] || !reads['secretsmanager.GetSecretValue']) {
      throw new Error(`template-options: the parameters children never called the local endpoints (${JSON.stringify(reads)})`);
    }
    return VARIANTS.map((v) => {
      const without = summarize(samples[v.without.name]);
      const withOption = summarize(samples[v.with.name]);
      return { option: v.option, template: v.without.template, without, with: withOption, ratio: ratio(withOption.median, without.median) };
    });
  } finally {
    await Promise.all([servers.dynalite.stop(), servers.parameters.stop()]);
  }
}
