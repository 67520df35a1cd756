import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The suite global holding its temporary root (set by test/support/jest/environment.ts). */
export const SUITE_TEMP_GLOBAL = '__cspSuiteTempDir';

/**
 * A fresh directory under the test file's temporary root, which the jest environment removes
 * when the file's tests end (set CSP_KEEP_TEST_OUTPUT=1 to keep it); outside jest, under the
 * OS temp directory. Test apps synthesize thousands of cloud assemblies per run: left in /tmp
 * they piled up to tens of thousands of directories.
 */
export function tempDir(prefix: string): string {
  const root = (globalThis as Record<string, unknown>)[SUITE_TEMP_GLOBAL];
  return fs.mkdtempSync(path.join(typeof root === 'string' ? root : os.tmpdir(), prefix));
}
