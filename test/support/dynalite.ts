import { ChildProcess, spawn } from 'child_process';
import { AddressInfo } from 'net';
import * as path from 'path';
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

/** dynalite in a child process: listens on 127.0.0.1, prints its port, exits when stdin closes. */
const CHILD_SCRIPT = `
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
`;

const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Starts dynalite in its own Node process, so the DynamoDB server's work runs on another
 * core than the handler under test (the idempotent simulation is CPU-bound: in-process,
 * dynalite and both sides of every HTTP exchange share one thread). The child exits when
 * its stdin closes, so it never outlives this process; `stop()` also kills it.
 */
export async function startDynaliteProcess(): Promise<DynaliteServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_SCRIPT], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dynalite child did not start within 20 s')), STARTUP_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite child exited with ${code} before listening`)));
    child.stdout!.once('data', (chunk) => {
      clearTimeout(timer);
      resolve(String(chunk).trim());
    });
  });
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped || child.exitCode !== null) return resolve();
        stopped = true;
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill(), 2_000).unref();
      }),
  };
}
