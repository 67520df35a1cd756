/**
 * Runs the *bundled* idempotent template (assets/idempotent/index.mjs) against a real
 * DynamoDB-compatible server (dynalite) started in this process on 127.0.0.1.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createIdempotencyTable, localTemplateConfig } from './idempotency-table';
import { importTemplate, lambdaContext } from '../support/assets';
import { startDynalite } from '../support/dynalite';
import { idempotencyTestEnv, QUIET_POWERTOOLS } from '../support/idempotency-env';

/** The table the default handler (configured from the environment) uses. */
const ENV_TABLE = 'idempotency-env';
const local = idempotencyTestEnv({
  env: {
    AWS_LAMBDA_FUNCTION_NAME: 'test-fn',
    POWERTOOLS_SERVICE_NAME: 'orders',
    POWERTOOLS_METRICS_NAMESPACE: 'IdempotencyTest',
    ...QUIET_POWERTOOLS,
    IDEMPOTENCY_TABLE_NAME: ENV_TABLE,
    IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId',
    IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
  },
  tables: [{ name: ENV_TABLE }],
});
let template: any;
let tableCounter = 0;

beforeAll(async () => {
  template = await importTemplate('idempotent');
});

/** A fresh idempotency table, optionally in the sort-key layout. */
function createTable(sortKey?: string, target: DynamoDBClient = local.client): Promise<string> {
  return createIdempotencyTable(target, `idempotency-${++tableCounter}`, sortKey);
}

const items = (table: string) => local.items(table);

function config(tableName: string, overrides: Record<string, unknown> = {}, endpoint = local.server.endpoint) {
  return localTemplateConfig(tableName, endpoint, overrides);
}

/** Records the EMF metric names the handler emits. */
function metricsRecorder() {
  const names: string[] = [];
  return { names, addMetric: (name: string) => names.push(name), publishStoredMetrics: () => undefined };
}

/** Business logic that counts its executions and returns a fresh token each time. */
function countingLogic(body?: (event: any) => unknown) {
  const calls: any[] = [];
  const logic = async (event: any) => {
    calls.push(event);
    return body ? body(event) : { orderId: event.orderId, run: calls.length, token: Math.random() };
  };
  return { calls, logic };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('default handler (demo logic, configured from env)', () => {
  test('acknowledges an order once; a duplicate returns the stored acknowledgement', async () => {
    const first = await template.handler({ orderId: 'o-1', amount: 42 }, lambdaContext());
    const second = await template.handler({ orderId: 'o-1', amount: 42 }, lambdaContext());
    expect(first).toEqual(expect.objectContaining({ orderId: 'o-1', status: 'ACCEPTED', amount: 42 }));
    expect(first.acknowledgementId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toEqual(first);
    const stored = await items(process.env.IDEMPOTENCY_TABLE_NAME!);
    expect(stored).toHaveLength(1);
    expect(stored[0].status.S).toBe('COMPLETED');
    expect(stored[0].id.S).toMatch(/^test-fn#/);
    expect(Number(stored[0].expiration.N)).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  test('a bad event fails the invocation and stores nothing', async () => {
    const table = process.env.IDEMPOTENCY_TABLE_NAME!;
    const before = (await items(table)).length;
    await expect(template.handler({ orderId: 'o-bad', amount: -1 }, lambdaContext())).rejects.toThrow(/"amount", when given, must be a non-negative number/);
    await expect(template.handler('not an order', lambdaContext())).rejects.toMatchObject({ name: 'InvalidOrderError' });
    expect(await items(table)).toHaveLength(before);
  });
});

describe('createIdempotentHandler against dynalite', () => {
  test('the same payload twice: the logic runs once and the second call returns the stored result', async () => {
    const table = await createTable();
    const { calls, logic } = countingLogic();
    const metrics = metricsRecorder();
    const handler = template.createIdempotentHandler(logic, config(table), { metrics });
    const first = await handler({ orderId: 'a' }, lambdaContext());
    const second = await handler({ orderId: 'a' }, lambdaContext());
    expect(calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(metrics.names).toEqual(['IdempotentExecutions', 'IdempotentReplays']);
    // A different key is a different execution.
    await handler({ orderId: 'b' }, lambdaContext());
    expect(calls).toHaveLength(2);
  });

  test('same key, different payload, with a validation path: a clear validation error', async () => {
    const table = await createTable();
    const { calls, logic } = countingLogic();
    const handler = template.createIdempotentHandler(logic, config(table, { payloadValidationJmesPath: 'amount' }), { metrics: metricsRecorder() });
    await handler({ orderId: 'v', amount: 10 }, lambdaContext());
    await expect(handler({ orderId: 'v', amount: 99 }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyValidationError',
      message: 'Payload does not match stored record for this event key',
    });
    // Same validated part: a normal replay.
    await expect(handler({ orderId: 'v', amount: 10 }, lambdaContext())).resolves.toEqual(expect.objectContaining({ run: 1 }));
    expect(calls).toHaveLength(1);
  });

  test('50 concurrent duplicates: exactly one execution, the rest are rejected as in progress', async () => {
    const table = await createTable();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { calls, logic } = countingLogic(async (event) => {
      await gate; // hold the first execution open so every duplicate overlaps it
      return { orderId: event.orderId, executedAt: Date.now() };
    });
    const metrics = metricsRecorder();
    const handler = template.createIdempotentHandler(logic, config(table), { metrics });
    const results = Promise.allSettled(Array.from({ length: 50 }, () => handler({ orderId: 'dup' }, lambdaContext())));
    // Let every duplicate reach the store before the single execution completes.
    await waitFor(() => metrics.names.length === 49);
    release();
    const settled = await results;
    const fulfilled = settled.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<any>[];
    const rejected = settled.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(calls).toHaveLength(1);
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(49);
    expect(new Set(rejected.map((r) => r.reason.name))).toEqual(new Set(['IdempotencyAlreadyInProgressError']));
    expect(metrics.names.filter((n) => n === 'IdempotentExecutions')).toHaveLength(1);
    // Lambda retries those 49 later: each now replays the one stored result, never a second execution.
    const retries = await Promise.all(Array.from({ length: 49 }, () => handler({ orderId: 'dup' }, lambdaContext())));
    expect(calls).toHaveLength(1);
    for (const retry of retries) expect(retry).toEqual(fulfilled[0].value);
  });

  test('the logic throws: the record is removed and a retry runs again', async () => {
    const table = await createTable();
    let fail = true;
    const { calls, logic } = countingLogic((event) => {
      if (fail) throw new Error('payment provider unavailable');
      return { orderId: event.orderId, ok: true };
    });
    const metrics = metricsRecorder();
    const handler = template.createIdempotentHandler(logic, config(table), { metrics });
    await expect(handler({ orderId: 't' }, lambdaContext())).rejects.toThrow('payment provider unavailable');
    expect(await items(table)).toEqual([]);
    fail = false;
    await expect(handler({ orderId: 't' }, lambdaContext())).resolves.toEqual({ orderId: 't', ok: true });
    expect(calls).toHaveLength(2);
    expect(metrics.names).toEqual(['IdempotentFailures', 'IdempotentExecutions']);
  });

  test('an invocation that times out: in progress until its deadline, then a retry executes', async () => {
    const table = await createTable();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const { calls, logic } = countingLogic(async (event) => {
      if (first) {
        first = false;
        await stuck; // the invocation that Lambda would kill at its timeout
      }
      return { orderId: event.orderId };
    });
    const handler = template.createIdempotentHandler(logic, config(table), { metrics: metricsRecorder() });
    const timedOut = handler({ orderId: 'slow' }, lambdaContext({ remainingMs: 400 }));
    await waitFor(() => calls.length === 1);
    const [record] = await items(table);
    expect(record.status.S).toBe('INPROGRESS');
    const inProgressExpiry = Number(record.in_progress_expiration.N);
    expect(inProgressExpiry).toBeLessThanOrEqual(Date.now() + 400);

    // Before the deadline, a retry is refused, not run twice.
    await expect(handler({ orderId: 'slow' }, lambdaContext())).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' });
    expect(calls).toHaveLength(1);

    await sleep(Math.max(0, inProgressExpiry - Date.now()) + 50);
    await expect(handler({ orderId: 'slow' }, lambdaContext())).resolves.toEqual({ orderId: 'slow' });
    expect(calls).toHaveLength(2);
    release();
    await timedOut.catch(() => undefined);
  });

  test('an event without the key runs without idempotency when throwOnNoIdempotencyKey is false', async () => {
    const table = await createTable();
    const { calls, logic } = countingLogic();
    const handler = template.createIdempotentHandler(logic, config(table, { throwOnNoIdempotencyKey: false }), { metrics: metricsRecorder() });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await handler({ customer: 'c-1' }, lambdaContext());
      await handler({ customer: 'c-1' }, lambdaContext());
    } finally {
      warn.mockRestore();
    }
    expect(calls).toHaveLength(2);
    expect(await items(table)).toEqual([]);
  });

  test('an event without the key fails with IdempotencyKeyError when throwOnNoIdempotencyKey is true', async () => {
    const table = await createTable();
    const { calls, logic } = countingLogic();
    const metrics = metricsRecorder();
    const handler = template.createIdempotentHandler(logic, config(table, { throwOnNoIdempotencyKey: true }), { metrics });
    await expect(handler({ customer: 'c-1' }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyKeyError',
      message: 'No data found to create a hashed idempotency_key',
    });
    expect(calls).toHaveLength(0);
    expect(metrics.names).toEqual(['IdempotentFailures']);
  });

  test('the DynamoDB server is stopped: the invocation fails with a clear error and nothing runs or succeeds', async () => {
    const own = await startDynalite();
    const ownClient = new DynamoDBClient({ endpoint: own.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const table = await createTable(undefined, ownClient);
    ownClient.destroy();
    const { calls, logic } = countingLogic();
    const metrics = metricsRecorder();
    const handler = template.createIdempotentHandler(logic, config(table, {}, own.endpoint), { metrics });
    await own.stop();
    const outcome = await handler({ orderId: 'down' }, lambdaContext()).then(
      (value: unknown) => ({ ok: true, value }),
      (error: Error) => ({ ok: false, error }),
    );
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: Error }).error;
    expect(error.name).toBe('IdempotencyPersistenceLayerError');
    expect(error.message).toMatch(new RegExp(`^Failed to save in progress record to idempotency store \\(table "${table}": .*ECONNREFUSED`));
    expect(calls).toHaveLength(0);
    expect(metrics.names).toEqual(['IdempotentFailures']);
  });

  test('a result over the 400 KB item limit: IdempotentResultTooLargeError, and a retry fails the same way without running again', async () => {
    const table = await createTable();
    const { calls, logic } = countingLogic(() => ({ blob: 'x'.repeat(450 * 1024) }));
    const handler = template.createIdempotentHandler(logic, config(table), { metrics: metricsRecorder() });
    await expect(handler({ orderId: 'big' }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotentResultTooLargeError',
      message: expect.stringMatching(/^The result is 46\d{4} bytes as JSON, over the 405504-byte limit .*DynamoDB items are limited to 400 KB/),
    });
    expect((await items(table)).map((item) => item.status.S)).toEqual(['COMPLETED']);
    await expect(handler({ orderId: 'big' }, lambdaContext())).rejects.toMatchObject({ name: 'IdempotentResultTooLargeError' });
    expect(calls).toHaveLength(1);
    expect(template.MAX_STORED_RESULT_BYTES).toBe(405504);
  });

  test('a result small as JSON but over the limit in DynamoDB: DynamoDB\'s rejection becomes the same documented error', async () => {
    const table = await createTable();
    // Numbers in a list cost more in DynamoDB's item-size accounting than in JSON.
    const { logic } = countingLogic(() => ({ values: Array.from({ length: 150_000 }, () => 7) }));
    const handler = template.createIdempotentHandler(logic, config(table), { metrics: metricsRecorder() });
    await expect(handler({ orderId: 'dense' }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotentResultTooLargeError',
      message: expect.stringMatching(/^DynamoDB rejected the stored result .*maximum allowed size.*DynamoDB items are limited to 400 KB/),
    });
  });

  test('local cache: a replay is served from memory, even while DynamoDB is unreachable', async () => {
    const own = await startDynalite();
    const ownClient = new DynamoDBClient({ endpoint: own.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const table = await createTable(undefined, ownClient);
    ownClient.destroy();
    const { calls, logic } = countingLogic();
    const cached = template.createIdempotentHandler(logic, config(table, { useLocalCache: true }, own.endpoint), { metrics: metricsRecorder() });
    const uncached = template.createIdempotentHandler(logic, config(table, { useLocalCache: false }, own.endpoint), { metrics: metricsRecorder() });
    const first = await cached({ orderId: 'c' }, lambdaContext());
    await own.stop();
    await expect(cached({ orderId: 'c' }, lambdaContext())).resolves.toEqual(first);
    await expect(uncached({ orderId: 'c' }, lambdaContext())).rejects.toMatchObject({ name: 'IdempotencyPersistenceLayerError' });
    expect(calls).toHaveLength(1);
  });

  test('sort-key layout: records use the static partition value and the hashed key as sort key', async () => {
    const table = await createTable('sk');
    const { calls, logic } = countingLogic();
    const handler = template.createIdempotentHandler(logic, config(table, { sortKeyAttr: 'sk', staticPkValue: 'orders-service' }), { metrics: metricsRecorder() });
    await handler({ orderId: 's' }, lambdaContext());
    await handler({ orderId: 's' }, lambdaContext());
    expect(calls).toHaveLength(1);
    const [record] = await items(table);
    expect(record.id.S).toBe('orders-service');
    expect(record.sk.S).toMatch(/^test-fn#/);
  });
});

describe('configuration and entry contract', () => {
  test('configFromEnv reads every variable and rejects malformed values', () => {
    const env = {
      IDEMPOTENCY_TABLE_NAME: 't',
      IDEMPOTENCY_SORT_KEY_ATTR: 'sk',
      IDEMPOTENCY_STATIC_PK_VALUE: 'svc',
      IDEMPOTENCY_EVENT_KEY_JMESPATH: 'body.id',
      IDEMPOTENCY_PAYLOAD_VALIDATION_JMESPATH: 'body.amount',
      IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '120',
      IDEMPOTENCY_THROW_ON_NO_KEY: 'true',
      IDEMPOTENCY_USE_LOCAL_CACHE: 'true',
      IDEMPOTENCY_LOCAL_CACHE_MAX_ITEMS: '50',
      IDEMPOTENCY_KEY_PREFIX: 'Shop/Orders',
      IDEMPOTENCY_REPLAY_HEADER: 'Idempotent-Replayed',
      IDEMPOTENCY_KEY_ATTR: 'pk',
      IDEMPOTENCY_EXPIRY_ATTR: 'ttl',
      IDEMPOTENCY_IN_PROGRESS_EXPIRY_ATTR: 'lease',
      IDEMPOTENCY_STATUS_ATTR: 'state',
      IDEMPOTENCY_DATA_ATTR: 'result',
      IDEMPOTENCY_VALIDATION_KEY_ATTR: 'hash',
    };
    expect(template.configFromEnv(env)).toEqual({
      tableName: 't',
      sortKeyAttr: 'sk',
      staticPkValue: 'svc',
      eventKeyJmesPath: 'body.id',
      payloadValidationJmesPath: 'body.amount',
      expiresAfterSeconds: 120,
      throwOnNoIdempotencyKey: true,
      useLocalCache: true,
      maxLocalCacheSize: 50,
      keyPrefix: 'Shop/Orders',
      replayMarker: { kind: 'header', name: 'Idempotent-Replayed' },
      attributes: { keyAttr: 'pk', expiryAttr: 'ttl', inProgressExpiryAttr: 'lease', statusAttr: 'state', dataAttr: 'result', validationKeyAttr: 'hash' },
    });
    expect(template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't' })).toEqual(
      expect.objectContaining({ eventKeyJmesPath: '', expiresAfterSeconds: 3600, throwOnNoIdempotencyKey: false, useLocalCache: false, keyPrefix: undefined, attributes: {}, replayMarker: undefined }),
    );
    expect(() => template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_KEY_PREFIX: 'a#b' })).toThrow(/IDEMPOTENCY_KEY_PREFIX must not contain "#".*`keyPrefix/);
    expect(() => template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_REPLAY_FIELD: 'r', IDEMPOTENCY_REPLAY_HEADER: 'R' })).toThrow(/IDEMPOTENCY_REPLAY_HEADER is set together with IDEMPOTENCY_REPLAY_FIELD/);
    expect(() => template.configFromEnv({})).toThrow(/IdempotentFunction template: IDEMPOTENCY_TABLE_NAME is not set; .*The construct sets it from `table/);
    expect(() => template.configFromEnv({})).toThrow(template.TemplateConfigError);
    expect(() => template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '1h' })).toThrow(
      /IDEMPOTENCY_EXPIRES_AFTER_SECONDS must be a whole number of at least 1, got "1h"\. The construct sets it from `expiresAfter/,
    );
    expect(() => template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_USE_LOCAL_CACHE: 'yes' })).toThrow(/IDEMPOTENCY_USE_LOCAL_CACHE must be "true" or "false".*`localCache`/);
    expect(() => template.configFromEnv({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_SORT_KEY_ATTR: 'sk' })).toThrow(/IDEMPOTENCY_STATIC_PK_VALUE is not set although IDEMPOTENCY_SORT_KEY_ATTR is/);
  });

  test('wrapIdempotent validates the user module at init', () => {
    expect(() => template.wrapIdempotent({ handler: () => 1 })).toThrow(/must export a function "processEvent" .*; it exports handler/);
    expect(() => template.wrapIdempotent({})).toThrow(/it exports nothing/);
    expect(() => template.wrapIdempotent({ processEvent: 'nope' })).toThrow(TypeError);
  });

  test('wrapIdempotent runs the user logic idempotently with the env configuration', async () => {
    const calls: unknown[] = [];
    const handler = template.wrapIdempotent({
      processEvent: async (event: any, context: any) => {
        calls.push(event);
        return { charged: event.orderId, requestId: context.awsRequestId };
      },
    });
    const first = await handler({ orderId: 'w-1' }, lambdaContext({ requestId: 'r-1' }));
    const second = await handler({ orderId: 'w-1' }, lambdaContext({ requestId: 'r-2' }));
    expect(first).toEqual({ charged: 'w-1', requestId: 'r-1' });
    expect(second).toEqual(first);
    expect(calls).toHaveLength(1);
  });

  test('a missing table variable fails every invocation with the configuration error, not the module load', async () => {
    const saved = process.env.IDEMPOTENCY_TABLE_NAME;
    delete process.env.IDEMPOTENCY_TABLE_NAME;
    try {
      const handler = template.wrapIdempotent({ processEvent: () => 'never' });
      await expect(handler({ orderId: 'x' }, lambdaContext())).rejects.toMatchObject({ name: 'TemplateConfigError', message: expect.stringMatching(/IDEMPOTENCY_TABLE_NAME is not set/) });
    } finally {
      process.env.IDEMPOTENCY_TABLE_NAME = saved;
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
