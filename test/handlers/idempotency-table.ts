import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from '../support/dynalite';

/** Creates a table with the key schema IdempotencyTable creates (id: String), optionally the sort-key layout. */
export async function createIdempotencyTable(client: DynamoDBClient, name: string, sortKey?: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, ...(sortKey ? [{ AttributeName: sortKey, AttributeType: 'S' as const }] : [])],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : [])],
    }),
  );
  return name;
}

/** The idempotent template's configuration for `tableName` on a local endpoint, as `configFromEnv` would read it. */
export function localTemplateConfig(tableName: string, endpoint: string, overrides: Record<string, unknown> = {}) {
  return {
    tableName,
    eventKeyJmesPath: 'orderId',
    expiresAfterSeconds: 3600,
    throwOnNoIdempotencyKey: false,
    useLocalCache: false,
    maxLocalCacheSize: 100,
    clientConfig: {
      endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    },
    ...overrides,
  };
}
