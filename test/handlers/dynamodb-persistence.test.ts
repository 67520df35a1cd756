/**
 * The lean persistence layer against Powertools' own DynamoDBPersistenceLayer (2.35.0, on
 * the AWS SDK) on the same dynalite server (in this process): the same items, each reads
 * what the other wrote, the same conditional put (ALL_OLD on conflict, no extra read; a fake
 * server plays DynamoDB's ALL_OLD answer, which dynalite does not give), the
 * sort-key layout, custom attribute names and payload validation.
 */
import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbJsonClient } from '../../src/core/runtime/shared/dynamodb/client';
import { LeanDynamoDBPersistenceLayer } from '../../src/core/runtime/shared/dynamodb/persistence';
import { InProcessDynalite, LOCAL_AWS_ENV, localDynamoDbClient, startDynalite } from '../support/dynalite';

let server: InProcessDynalite;
let sdk: DynamoDBClient;
let lean: DynamoDbJsonClient;
let tables = 0;

beforeAll(async () => {
  server = await startDynalite();
  sdk = localDynamoDbClient(server);
  lean = new DynamoDbJsonClient({ endpoint: server.endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  lean?.destroy();
  sdk?.destroy();
  await server?.stop();
});

async function table(keyAttr = 'id', sortKey?: string): Promise<string> {
  const name = `persistence-${++tables}`;
  await sdk.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: keyAttr, AttributeType: 'S' }, ...(sortKey ? [{ AttributeName: sortKey, AttributeType: 'S' as const }] : [])],
      KeySchema: [{ AttributeName: keyAttr, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : [])],
    }),
  );
  return name;
}

const items = async (name: string) => (await sdk.send(new ScanCommand({ TableName: name, ConsistentRead: true }))).Items ?? [];

interface Layout {
  readonly tableName: string;
  readonly keyAttr?: string;
  readonly sortKeyAttr?: string;
  readonly staticPkValue?: string;
  readonly statusAttr?: string;
  readonly expiryAttr?: string;
  readonly inProgressExpiryAttr?: string;
  readonly dataAttr?: string;
  readonly validationKeyAttr?: string;
}

/** Both layers on the same layout and idempotency config. */
function layers(layout: Layout, config: Partial<ConstructorParameters<typeof IdempotencyConfig>[0]> = {}) {
  const idempotency = { eventKeyJmesPath: 'orderId', ...config };
  const ours = new LeanDynamoDBPersistenceLayer({ ...layout, client: lean });
  const theirs = new DynamoDBPersistenceLayer({ ...layout, awsSdkV3Client: localDynamoDbClient(server) });
  for (const layer of [ours, theirs] as BasePersistenceLayer[]) layer.configure({ config: new IdempotencyConfig(idempotency), keyPrefix: 'orders' });
  return { ours, theirs };
}

/** An item with its timestamps blanked (they differ by the milliseconds between the writes). */
const timeless = (item: Record<string, any>, ...attrs: string[]) => {
  const copy = { ...item };
  for (const attr of attrs) if (copy[attr]) copy[attr] = { N: '<time>' };
  return copy;
};

const RESULT = { accepted: true, total: 12.5, lines: [{ sku: 'a', qty: 2 }, { sku: 'ü中', qty: 0 }], note: null, empty: {}, list: [] };

test('the items written are the ones Powertools writes: in progress, then completed with the result', async () => {
  const [a, b] = [await table(), await table()];
  const ours = layers({ tableName: a }).ours;
  const theirs = layers({ tableName: b }).theirs;
  for (const layer of [ours, theirs]) await layer.saveInProgress({ orderId: 'o-1' }, 30_000);
  const [inProgressA, inProgressB] = [(await items(a))[0], (await items(b))[0]];
  expect(inProgressA.status).toEqual({ S: 'INPROGRESS' });
  expect(timeless(inProgressA, 'expiration', 'in_progress_expiration')).toEqual(timeless(inProgressB, 'expiration', 'in_progress_expiration'));
  expect(Object.keys(inProgressA).sort()).toEqual(['expiration', 'id', 'in_progress_expiration', 'status']);
  for (const layer of [ours, theirs]) await layer.saveSuccess({ orderId: 'o-1' }, RESULT);
  const [doneA, doneB] = [(await items(a))[0], (await items(b))[0]];
  expect(doneA.status).toEqual({ S: 'COMPLETED' });
  expect(doneA.data).toEqual(doneB.data);
  expect(timeless(doneA, 'expiration', 'in_progress_expiration')).toEqual(timeless(doneB, 'expiration', 'in_progress_expiration'));
});

test('each reads what the other wrote', async () => {
  const name = await table();
  const { ours, theirs } = layers({ tableName: name });
  await theirs.saveInProgress({ orderId: 'by-sdk' }, 30_000);
  await theirs.saveSuccess({ orderId: 'by-sdk' }, RESULT);
  await ours.saveInProgress({ orderId: 'by-lean' }, 30_000);
  await ours.saveSuccess({ orderId: 'by-lean' }, RESULT);
  const fromSdk = await ours.getRecord({ orderId: 'by-sdk' });
  const fromLean = await theirs.getRecord({ orderId: 'by-lean' });
  for (const record of [fromSdk, fromLean]) {
    expect(record.getStatus()).toBe('COMPLETED');
    expect(record.getResponse()).toEqual(RESULT);
  }
  await ours.deleteRecord({ orderId: 'by-sdk' });
  await expect(theirs.getRecord({ orderId: 'by-sdk' })).rejects.toBeInstanceOf(IdempotencyItemNotFoundError);
  await expect(ours.getRecord({ orderId: 'missing' })).rejects.toBeInstanceOf(IdempotencyItemNotFoundError);
});

test('a duplicate is refused in one request (no read), as Powertools refuses it', async () => {
  const name = await table();
  const { ours, theirs } = layers({ tableName: name });
  await theirs.saveInProgress({ orderId: 'dup' }, 30_000);
  await theirs.saveSuccess({ orderId: 'dup' }, { stored: 1 });
  const refusal = async (layer: BasePersistenceLayer) => {
    const before = server.requestCount();
    const error = await layer.saveInProgress({ orderId: 'dup' }, 30_000).then(
      () => undefined,
      (e: unknown) => e as IdempotencyItemAlreadyExistsError,
    );
    return { requests: server.requestCount() - before, error };
  };
  const [a, b] = [await refusal(ours), await refusal(theirs)];
  expect(a.requests).toBe(1);
  expect(a.error).toBeInstanceOf(IdempotencyItemAlreadyExistsError);
  expect(a.error!.message).toBe(b.error!.message);
  expect(a.error!.message).toMatch(/^Failed to put record for already existing idempotency key: orders#/);
  // dynalite does not return ALL_OLD, so neither layer gets the record here (DynamoDB does; see the next test).
  expect(a.error!.existingRecord).toEqual(b.error!.existingRecord);
});

test('with ALL_OLD (what DynamoDB returns on a failed condition), the refusal carries the existing record', async () => {
  const http = await import('node:http');
  const stored = { id: { S: 'orders#abc' }, status: { S: 'COMPLETED' }, expiration: { N: '4102444800' }, data: { M: { stored: { N: '1' } } } };
  const fake = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(400, { 'x-amzn-requestid': 'r1' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: stored }));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDbJsonClient({ endpoint: `http://127.0.0.1:${(fake.address() as any).port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  try {
    const layer = new LeanDynamoDBPersistenceLayer({ tableName: 't', client });
    layer.configure({ config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }), keyPrefix: 'orders' });
    const error = await layer.saveInProgress({ orderId: 'dup' }, 30_000).catch((e: IdempotencyItemAlreadyExistsError) => e);
    expect(error).toBeInstanceOf(IdempotencyItemAlreadyExistsError);
    const existing = error!.existingRecord!;
    expect(existing.idempotencyKey).toBe('orders#abc');
    expect(existing.getStatus()).toBe('COMPLETED');
    expect(existing.getResponse()).toEqual({ stored: 1 });
    expect(existing.expiryTimestamp).toBe(4102444800);
  } finally {
    client.destroy();
    await new Promise((resolve) => fake.close(resolve));
  }
});

test('an in-progress record whose Lambda timed out is taken over; a live one is not', async () => {
  const name = await table();
  const { ours } = layers({ tableName: name });
  await ours.saveInProgress({ orderId: 'live' }, 60_000);
  await expect(ours.saveInProgress({ orderId: 'live' }, 60_000)).rejects.toBeInstanceOf(IdempotencyItemAlreadyExistsError);
  await ours.saveInProgress({ orderId: 'timed-out' }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await expect(ours.saveInProgress({ orderId: 'timed-out' }, 60_000)).resolves.toBeUndefined();
});

test('an expired completed record is replaced', async () => {
  const name = await table();
  const { ours } = layers({ tableName: name }, { expiresAfterSeconds: 1 });
  await ours.saveInProgress({ orderId: 'old' }, 60_000);
  await ours.saveSuccess({ orderId: 'old' }, { v: 1 });
  // Powertools rounds the expiry to whole seconds, so it may lie up to 1.5 s ahead.
  await new Promise((resolve) => setTimeout(resolve, 2100));
  await expect(ours.saveInProgress({ orderId: 'old' }, 60_000)).resolves.toBeUndefined();
  expect((await items(name))[0].status).toEqual({ S: 'INPROGRESS' });
});

test('the sort-key layout, custom attribute names and payload validation match Powertools both ways', async () => {
  const layout = {
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: 'idempotency#payments',
    statusAttr: 'st',
    expiryAttr: 'ttl',
    inProgressExpiryAttr: 'deadline',
    dataAttr: 'result',
    validationKeyAttr: 'hash',
  };
  const name = await table('pk', 'sk');
  const { ours, theirs } = layers({ tableName: name, ...layout }, { payloadValidationJmesPath: 'amount' });
  await ours.saveInProgress({ orderId: 'a', amount: 5 }, 30_000);
  await ours.saveSuccess({ orderId: 'a', amount: 5 }, RESULT);
  await theirs.saveInProgress({ orderId: 'b', amount: 5 }, 30_000);
  await theirs.saveSuccess({ orderId: 'b', amount: 5 }, RESULT);
  const [itemA, itemB] = (await items(name)).sort((x, y) => (x.sk.S! < y.sk.S! ? -1 : 1));
  expect(Object.keys(itemA).sort()).toEqual(['deadline', 'hash', 'pk', 'result', 'sk', 'st', 'ttl']);
  expect(itemA.pk).toEqual({ S: 'idempotency#payments' });
  expect(itemA.hash).toEqual(itemB.hash);
  expect(itemA.result).toEqual(itemB.result);
  expect((await theirs.getRecord({ orderId: 'a', amount: 5 })).getResponse()).toEqual(RESULT);
  // The validation hash is checked on what the other wrote: a changed amount is refused.
  await expect(ours.getRecord({ orderId: 'b', amount: 6 })).rejects.toBeInstanceOf(IdempotencyValidationError);
  await expect(theirs.getRecord({ orderId: 'a', amount: 6 })).rejects.toBeInstanceOf(IdempotencyValidationError);
});

test('the sort-key layout without staticPkValue uses Powertools\' default, and keyAttr = sortKeyAttr is refused', async () => {
  const saved = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'fn-1';
  try {
    const name = await table('id', 'sk');
    await layers({ tableName: name, sortKeyAttr: 'sk' }).ours.saveInProgress({ orderId: 'x' }, 30_000);
    expect((await items(name))[0].id).toEqual({ S: 'idempotency#fn-1' });
  } finally {
    if (saved === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = saved;
  }
  expect(() => new LeanDynamoDBPersistenceLayer({ tableName: 't', client: lean, sortKeyAttr: 'id' })).toThrow('keyAttr [id] and sortKeyAttr [id] cannot be the same!');
});
