import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { fileEnv } from './assets';
import { DynaliteServer, InProcessDynalite, LOCAL_AWS_ENV, localDynamoDbClient, startDynalite, startDynaliteProcess } from './dynalite';

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

/** Powertools without output: no log lines, no EMF metrics. */
export const QUIET_POWERTOOLS = { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };

export interface IdempotencyTestEnvOptions {
  /** Variables the templates read (at import or per invocation), beside the fake credentials and the endpoint. */
  readonly env?: { [key: string]: string };
  /** Idempotency tables (IdempotencyTable's key schema) created before the file's tests. */
  readonly tables?: readonly { readonly name: string; readonly sortKey?: string }[];
  /**
   * dynalite in its own Node process, so a CPU-bound simulation's DynamoDB work runs on the
   * other core; otherwise in this process (cheaper to start, and it can count requests).
   * @default false
   */
  readonly ownProcess?: boolean;
}

/** What a test file uses once `beforeAll` has run. */
export interface IdempotencyTestEnv {
  readonly server: DynaliteServer;
  /** An SDK client on the server with the fake credentials, for the test's own reads and setup. */
  readonly client: DynamoDBClient;
  /** Another idempotency table (IdempotencyTable's key schema). */
  createTable(name: string, sortKey?: string): Promise<string>;
  /** Every item of `table` (a consistent scan). */
  items(table: string): Promise<any[]>;
  /** DynamoDB requests the server has answered so far (an in-process server only). */
  requestCount(): number;
}

/**
 * The set-up every idempotency template test repeats, registered on the calling file's hooks:
 * dynalite on 127.0.0.1, the fake AWS credentials and `AWS_ENDPOINT_URL_DYNAMODB` (the standard
 * per-service endpoint variable the templates' client reads) plus `options.env` for the file's
 * tests (restored after it), the tables, and a client; all stopped after the file. Call it at
 * the top level of the file, before the `beforeAll` that imports the template, so the template
 * loads with these variables set.
 */
export function idempotencyTestEnv(options: IdempotencyTestEnvOptions = {}): IdempotencyTestEnv {
  const env = fileEnv();
  let server: DynaliteServer | undefined;
  let inProcess: InProcessDynalite | undefined;
  let client: DynamoDBClient | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`idempotencyTestEnv: ${what} is only there from the file's beforeAll on`);
    return value;
  };

  beforeAll(async () => {
    if (options.ownProcess) server = await startDynaliteProcess();
    else server = inProcess = await startDynalite();
    env.set({ ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, ...options.env });
    client = localDynamoDbClient(server);
    for (const table of options.tables ?? []) await createIdempotencyTable(client, table.name, table.sortKey);
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  return {
    get server() {
      return ready(server, 'server');
    },
    get client() {
      return ready(client, 'client');
    },
    createTable: (name, sortKey) => createIdempotencyTable(ready(client, 'client'), name, sortKey),
    requestCount: () => {
      if (options.ownProcess) throw new Error('idempotencyTestEnv: requestCount() needs the in-process server (ownProcess: false)');
      return ready(inProcess, 'server').requestCount();
    },
    items: async (table) => (await ready(client, 'client').send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [],
  };
}
