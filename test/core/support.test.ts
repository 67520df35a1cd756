import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import serializer from '../support/asset-hash-serializer';
import { LOCAL_AWS_ENV, startDynalite } from '../support/dynalite';

describe('asset hash serializer', () => {
  const hash = 'a'.repeat(64);
  test('masks 64-hex asset hashes, keeping the extension', () => {
    expect(serializer.test(`${hash}.zip`)).toBe(true);
    expect(serializer.serialize(`s3://bucket/${hash}.zip`)).toBe('"s3://bucket/ASSET_HASH.zip"');
  });
  test('leaves other strings alone', () => {
    expect(serializer.test('arn:aws:lambda:us-east-1:123:function:x')).toBe(false);
    expect(serializer.test('a'.repeat(63))).toBe(false);
  });
  test('is applied to snapshots', () => {
    expect({ key: `${hash}.zip` }).toMatchInlineSnapshot(`
{
  "key": "ASSET_HASH.zip",
}
`);
  });
});

describe('dynalite helper', () => {
  test('starts on 127.0.0.1, serves DynamoDB calls, and stops', async () => {
    const server = await startDynalite();
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'probe',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['probe']);
      expect(server.requestCount()).toBe(2); // CreateTable + ListTables
    } finally {
      await server.stop();
    }
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    await server.stop(); // idempotent
    client.destroy();
  });
});
