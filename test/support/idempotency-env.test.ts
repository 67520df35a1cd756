import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { idempotencyTestEnv } from './idempotency-env';

const local = idempotencyTestEnv({ env: { IDEMPOTENCY_TABLE_NAME: 'env-check' }, tables: [{ name: 'env-check' }, { name: 'env-check-sk', sortKey: 'sk' }] });

// Read while the file is still being collected, before any beforeAll.
let early: unknown;
try {
  void local.client;
} catch (err) {
  early = err;
}

test('the variables are set for the file, with the fake credentials and the server endpoint', () => {
  expect(process.env.IDEMPOTENCY_TABLE_NAME).toBe('env-check');
  expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(local.server.endpoint);
  expect(process.env.AWS_ACCESS_KEY_ID).toBe('local');
});

test('the tables have IdempotencyTable\'s key schema, the sort-key layout where asked', async () => {
  const keys = async (name: string) => (await local.client.send(new DescribeTableCommand({ TableName: name }))).Table?.KeySchema;
  expect(await keys('env-check')).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
  expect(await keys('env-check-sk')).toEqual([
    { AttributeName: 'id', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
  expect(await local.items('env-check')).toEqual([]);
});

test('the in-process server counts the requests it answers', async () => {
  const start = local.requestCount();
  await local.items('env-check');
  expect(local.requestCount()).toBe(start + 1);
});

test('the server and client are only there from beforeAll on', () => {
  expect(String(early)).toMatch(/only there from the file's beforeAll on/);
});
