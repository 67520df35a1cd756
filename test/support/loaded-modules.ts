import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './temp';

/**
 * Runs an ES module script in a fresh node process with a module-resolution hook and returns
 * every module URL it loaded: the proof that a lazy chunk stays unloaded (or is loaded).
 * Only `env` reaches the child (plus PATH), so the template sees exactly what a test gives it.
 */
export function modulesLoadedBy(script: string, env: Record<string, string>): string[] {
  const dir = tempDir('loaded-modules-');
  try {
    const log = path.join(dir, 'loaded.log');
    // Runs on node's loader thread: appends each resolved URL to the file named by LOADED_LOG.
    fs.writeFileSync(
      path.join(dir, 'hooks.mjs'),
      [
        "import { appendFileSync } from 'node:fs';",
        'export async function resolve(specifier, context, next) {',
        '  const result = await next(specifier, context);',
        "  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');",
        '  return result;',
        '}',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    execFileSync(process.execPath, ['--import', path.join(dir, 'register.mjs'), '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, LOADED_LOG: log, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return fs.readFileSync(log, 'utf8').trim().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
