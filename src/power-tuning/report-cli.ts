#!/usr/bin/env node
/**
 * cdk-serverless-powertools-report: turns a power-tuning output into one self-contained
 * HTML file. Reads a file (or stdin with "-"), writes the HTML next to it unless -o says
 * where. Works offline: nothing is fetched or sent.
 *
 *   aws stepfunctions describe-execution --execution-arn ARN > run.json
 *   npx cdk-serverless-powertools-report run.json -o tuning.html
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseTuningOutput, renderReport } from './report';

const USAGE = 'Usage: cdk-serverless-powertools-report <output.json | -> [-o report.html] [--title "My function"]';

/** Runs the command; returns the exit code. Exported for tests. */
export function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void; stdin?: () => string } = defaultIo()): number {
  const args = [...argv];
  let out: string | undefined;
  let title: string | undefined;
  const positional: string[] = [];
  while (args.length) {
    const arg = args.shift()!;
    if (arg === '-h' || arg === '--help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (arg === '-o' || arg === '--out') {
      out = args.shift();
    } else if (arg === '--title') {
      title = args.shift();
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1 || out === '') {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const input = positional[0];
  try {
    const text = input === '-' ? (io.stdin ?? readStdin)() : fs.readFileSync(input, 'utf8');
    const output = parseTuningOutput(text);
    const file = out ?? (input === '-' ? 'power-tuning-report.html' : input.replace(/(\.json)?$/i, '.html'));
    fs.writeFileSync(file, renderReport(output, title));
    io.stdout(`Wrote ${path.resolve(file)}\n`);
    return 0;
  } catch (err) {
    io.stderr(`cdk-serverless-powertools-report: ${(err as Error).message}\n`);
    return 1;
  }
}

function readStdin(): string {
  return fs.readFileSync(0, 'utf8');
}

function defaultIo() {
  return { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
