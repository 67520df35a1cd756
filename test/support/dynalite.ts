import { AddressInfo } from 'net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// dynalite ships no types; it is a DynamoDB-compatible server backed by an in-memory store.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite');

/** A running in-process DynamoDB-compatible server on 127.0.0.1. */
export interface DynaliteServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The in-process server also counts what it serves. */
export interface InProcessDynalite extends DynaliteServer {
  /** HTTP requests served so far: each is one DynamoDB API call. */
  requestCount(): number;
}

/**
 * Starts dynalite in this process on a free port of 127.0.0.1. Always pair with
 * `stop()` (e.g. in afterAll) so no server outlives the test.
 */
export async function startDynalite(): Promise<InProcessDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let requests = 0;
  server.on('request', () => requests++);
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requestCount: () => requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (stopped) return resolve();
        stopped = true;
        server.close((err?: Error) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Fake credentials so the AWS SDK never looks for real ones. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
};

/** An SDK client for `server` with the fake credentials, for a test's own reads and setup. */
export function localDynamoDbClient(server: DynaliteServer): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: server.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
}

