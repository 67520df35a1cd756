import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

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
