import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import type { DynaliteServer } from '../support/dynalite';

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
