/**
 * The idempotency options on the *bundled* templates (assets/idempotent, assets/batch)
 * against a real DynamoDB-compatible server (dynalite, in this process on 127.0.0.1):
 * a stable key prefix, marked replays, and a table with other attribute names.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { localTemplateConfig } from './idempotency-table';
import { importTemplate, lambdaContext } from '../support/assets';
import { idempotencyTestEnv, QUIET_POWERTOOLS } from '../support/idempotency-env';

const local = idempotencyTestEnv({ env: { AWS_LAMBDA_FUNCTION_NAME: 'shop-Payments-A1B2C3', ...QUIET_POWERTOOLS, BATCH_QUEUE_TYPE: 'STANDARD' } });

let idempotent: any;
let batch: any;
let stream: any;
let tables = 0;

beforeAll(async () => {
  idempotent = await importTemplate('idempotent');
  batch = await importTemplate('batch');
  stream = await importTemplate('stream');
});

const newTable = () => local.createTable(`options-${++tables}`);
const items = (table: string) => local.items(table);

/** A table like one another team created: partition key `pk`, not Powertools' `id`. */
async function customTable(): Promise<string> {
  const name = `custom-${++tables}`;
  await local.client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  return name;
}

const config = (tableName: string, overrides: Record<string, unknown> = {}) => localTemplateConfig(tableName, local.server.endpoint, overrides);

const noMetrics = { addMetric: () => undefined, publishStoredMetrics: () => undefined };

/** Counts runs and returns a fresh token each time, so a replay is visible. */
function counting(result: (event: any, run: number) => unknown = (event, run) => ({ orderId: event.orderId, run })) {
  let runs = 0;
  return { runs: () => runs, logic: async (event: any) => result(event, ++runs) };
}

/** A handler built the way the template builds it, in an environment whose function is named `functionName`. */
function handlerIn(functionName: string, logic: (event: any) => unknown, cfg: ReturnType<typeof config>) {
  const saved = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = functionName;
  try {
    return idempotent.createIdempotentHandler(logic, cfg, { metrics: noMetrics });
  } finally {
    process.env.AWS_LAMBDA_FUNCTION_NAME = saved;
  }
}

describe('key prefix (IDEMPOTENCY_KEY_PREFIX)', () => {
  test('keys start with the configured prefix, not the function name', async () => {
    const table = await newTable();
    const { logic } = counting();
    await handlerIn('shop-Payments-A1B2C3', logic, config(table, { keyPrefix: 'Shop/Payments' }))({ orderId: 'k-1' }, lambdaContext());
    const [record] = await items(table);
    expect(record.id.S).toMatch(/^Shop\/Payments#[A-Za-z0-9+/]{22}==$/);
  });

  test('a replaced function (new name) with the same prefix replays the stored result instead of running again', async () => {
    const table = await newTable();
    const { logic, runs } = counting();
    const cfg = config(table, { keyPrefix: 'Shop/Payments' });
    const before = await handlerIn('shop-Payments-A1B2C3', logic, cfg)({ orderId: 'r-1' }, lambdaContext());
    const after = await handlerIn('shop-Payments-Z9Y8X7', logic, cfg)({ orderId: 'r-1' }, lambdaContext());
    expect(runs()).toBe(1);
    expect(after).toEqual(before);
  });

  test('without a prefix (Powertools keyed by function name) the replacement runs the side effect again', async () => {
    const table = await newTable();
    const { logic, runs } = counting();
    const cfg = config(table);
    await handlerIn('shop-Payments-A1B2C3', logic, cfg)({ orderId: 'r-2' }, lambdaContext());
    await handlerIn('shop-Payments-Z9Y8X7', logic, cfg)({ orderId: 'r-2' }, lambdaContext());
    expect(runs()).toBe(2);
  });

  test('the batch template keys records with its prefix too', async () => {
    const table = await newTable();
    const settings = batch.readSettings({
      BATCH_QUEUE_TYPE: 'STANDARD',
      IDEMPOTENCY_TABLE_NAME: table,
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'messageId',
      IDEMPOTENCY_KEY_PREFIX: 'Shop/Orders',
    });
    expect(settings.idempotency).toEqual(expect.objectContaining({ keyPrefix: 'Shop/Orders' }));
    let runs = 0;
    const handler = batch.createBatchHandler({ bodyFormat: 'json', processRecord: () => void runs++ }, settings);
    const record = { messageId: 'm-1', body: '{"orderId":"o-1"}', attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, eventSource: 'aws:sqs' };
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(runs).toBe(1);
    const [stored] = await items(table);
    expect(stored.id.S).toMatch(/^Shop\/Orders#[A-Za-z0-9+/]{22}==$/);
  });
});

describe('the stream template (shared core record idempotency)', () => {
  test('keys records with the construct-path prefix, on a table with other attribute names', async () => {
    const table = await customTable();
    const settings = stream.readSettings({
      STREAM_SOURCE_TYPE: 'KINESIS',
      IDEMPOTENCY_TABLE_NAME: table,
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'eventId',
      IDEMPOTENCY_KEY_PREFIX: 'Shop/Clicks',
      IDEMPOTENCY_KEY_ATTR: 'pk',
      IDEMPOTENCY_EXPIRY_ATTR: 'ttl',
    });
    expect(settings.idempotency).toEqual(expect.objectContaining({ keyPrefix: 'Shop/Clicks', attributes: { keyAttr: 'pk', expiryAttr: 'ttl' } }));
    let runs = 0;
    const handler = stream.createStreamHandler({ bodyFormat: 'json', processRecord: () => void runs++ }, settings);
    const record = { eventSource: 'aws:kinesis', eventID: 'shardId-000:1', kinesis: { sequenceNumber: '1', partitionKey: 'k', data: Buffer.from('{}').toString('base64') } };
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record] }, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(runs).toBe(1);
    const [stored] = await items(table);
    expect(stored.pk.S).toMatch(/^Shop\/Clicks#/);
    expect(stored.ttl.N).toBeDefined();
  });
});

describe('marked replays (responseHook)', () => {
  test('off by default: a replay equals the fresh result', async () => {
    const table = await newTable();
    const handler = handlerIn('fn', counting().logic, config(table));
    const fresh = await handler({ orderId: 'm-0' }, lambdaContext());
    expect(await handler({ orderId: 'm-0' }, lambdaContext())).toEqual(fresh);
  });

  test('a field marker: only the replay carries the field', async () => {
    const table = await newTable();
    const handler = handlerIn('fn', counting().logic, config(table, { replayMarker: { kind: 'field', name: 'replayed' } }));
    const fresh = await handler({ orderId: 'm-1' }, lambdaContext());
    const replay = await handler({ orderId: 'm-1' }, lambdaContext());
    expect(fresh).toEqual({ orderId: 'm-1', run: 1 });
    expect(replay).toEqual({ orderId: 'm-1', run: 1, replayed: true });
    // the stored result stays unmarked, so every replay is marked the same way
    const [record] = await items(table);
    expect(record.data).toEqual({ M: { orderId: { S: 'm-1' }, run: { N: '1' } } });
  });

  test('a header marker: an HTTP-shaped replay gets the header, the fresh response none', async () => {
    const table = await newTable();
    const http = (event: any, run: number) => ({ statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: event.orderId, run }) });
    const handler = handlerIn('fn', counting(http).logic, config(table, { replayMarker: { kind: 'header', name: 'Idempotent-Replayed' } }));
    const fresh = await handler({ orderId: 'm-2' }, lambdaContext());
    const replay = await handler({ orderId: 'm-2' }, lambdaContext());
    expect(fresh.headers).toEqual({ 'content-type': 'application/json' });
    expect(replay).toEqual({ ...fresh, headers: { 'content-type': 'application/json', 'Idempotent-Replayed': 'true' } });
  });

  test('a result the marker cannot carry is replayed unchanged, with a WARN line', async () => {
    const table = await newTable();
    const warnings: unknown[] = [];
    const logger = {
      warn: (...args: unknown[]) => warnings.push(args),
      info: () => undefined,
      error: () => undefined,
      addContext: () => undefined,
      refreshSampleRateCalculation: () => undefined,
      // Log buffering ends each invocation with one of these.
      clearBuffer: () => undefined,
      flushBuffer: () => undefined,
    };
    const handler = idempotent.createIdempotentHandler(counting(() => ['a', 'b']).logic, config(table, { replayMarker: { kind: 'field', name: 'replayed' } }), { metrics: noMetrics, logger });
    await handler({ orderId: 'm-3' }, lambdaContext());
    expect(await handler({ orderId: 'm-3' }, lambdaContext())).toEqual(['a', 'b']);
    expect(JSON.stringify(warnings)).toMatch(/Replayed result not marked: the field marker \\"replayed\\" needs a JSON object/);
  });

  test('an unstorable result still fails on replay, unmarked', async () => {
    const table = await newTable();
    const handler = handlerIn('fn', counting(() => ({ big: BigInt(1) })).logic, config(table, { replayMarker: { kind: 'field', name: 'replayed' } }));
    await expect(handler({ orderId: 'm-4' }, lambdaContext())).rejects.toThrow(idempotent.UnstorableResultError);
    await expect(handler({ orderId: 'm-4' }, lambdaContext())).rejects.toThrow(idempotent.UnstorableResultError);
  });

  test('configFromEnv reads the marker the construct writes', () => {
    expect(idempotent.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_REPLAY_FIELD: 'replayed' }).replayMarker).toEqual({ kind: 'field', name: 'replayed' });
  });
});

describe('a table with other attribute names', () => {
  const ATTRIBUTES = { keyAttr: 'pk', expiryAttr: 'ttl', inProgressExpiryAttr: 'lease_until', statusAttr: 'state', dataAttr: 'result', validationKeyAttr: 'payload_hash' };

  test('records use the configured names, and duplicates replay', async () => {
    const table = await customTable();
    const { logic, runs } = counting();
    const handler = handlerIn('fn', logic, config(table, { attributes: ATTRIBUTES, payloadValidationJmesPath: 'amount', keyPrefix: 'Shop/Legacy' }));
    const first = await handler({ orderId: 'c-1', amount: 5 }, lambdaContext());
    expect(await handler({ orderId: 'c-1', amount: 5 }, lambdaContext())).toEqual(first);
    expect(runs()).toBe(1);
    const [record] = await items(table);
    expect(Object.keys(record).sort()).toEqual(['lease_until', 'payload_hash', 'pk', 'result', 'state', 'ttl']);
    expect(record.state.S).toBe('COMPLETED');
    expect(record.pk.S).toMatch(/^Shop\/Legacy#/);
    // the payload check reads the renamed validation attribute
    await expect(handler({ orderId: 'c-1', amount: 6 }, lambdaContext())).rejects.toThrow(/IdempotencyValidationError|Payload does not match/);
  });

  test('the default names against that table fail, which the synth-time check prevents', async () => {
    const table = await customTable();
    await expect(handlerIn('fn', counting().logic, config(table))({ orderId: 'c-2' }, lambdaContext())).rejects.toThrow(/table "custom-\d+"/);
  });

  test('configFromEnv and the batch settings read every attribute variable', () => {
    const vars = {
      IDEMPOTENCY_TABLE_NAME: 't',
      IDEMPOTENCY_KEY_ATTR: 'pk',
      IDEMPOTENCY_EXPIRY_ATTR: 'ttl',
      IDEMPOTENCY_IN_PROGRESS_EXPIRY_ATTR: 'lease_until',
      IDEMPOTENCY_STATUS_ATTR: 'state',
      IDEMPOTENCY_DATA_ATTR: 'result',
      IDEMPOTENCY_VALIDATION_KEY_ATTR: 'payload_hash',
    };
    expect(idempotent.configFromEnv(vars).attributes).toEqual(ATTRIBUTES);
    expect(batch.readSettings(vars).idempotency.attributes).toEqual(ATTRIBUTES);
  });
});
