import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './anchors';
import { interleave, ratio, summarize } from './stats';
import { bareFunction, Builder, nodejsFunctionBuilder, synthMs } from './synth-cost';
import * as lib from '../../src';

const CONSTRUCTS: Record<string, Builder> = {
  PowertoolsFunction: (stack, id) => new lib.PowertoolsFunction(stack, id),
  IdempotentFunction: (stack, id) => new lib.IdempotentFunction(stack, id),
  SqsBatchConsumer: (stack, id) => new lib.SqsBatchConsumer(stack, id),
  ObservableApi: (stack, id) => new lib.ObservableApi(stack, id),
  PowerTunedFunction: (stack, id) => new lib.PowerTunedFunction(stack, id),
};

/** Synth time of N of each construct against N bare Functions and N NodejsFunctions, interleaved. */
export async function synthRows(ns: number[], rounds: number): Promise<any[]> {
  // Under the project root, where NodejsFunction looks for the lock file, as in a real app.
  const entryDir = path.join(ROOT, 'bench', '.out', 'entries');
  fs.rmSync(entryDir, { recursive: true, force: true });
  fs.mkdirSync(entryDir, { recursive: true });
  const rows: any[] = [];
  for (const n of ns) {
    const subjects: Record<string, () => number> = {
      'bare lambda.Function': () => synthMs(bareFunction, n),
      'NodejsFunction': () => synthMs(nodejsFunctionBuilder(entryDir), n),
    };
    for (const [name, build] of Object.entries(CONSTRUCTS)) subjects[name] = () => synthMs(build, n);
    // One warm-up round loads modules and fills caches that a CLI process would also fill once.
    await interleave(subjects, 1);
    const samples = await interleave(subjects, rounds);
    const anchor = summarize(samples.NodejsFunction);
    const bare = summarize(samples['bare lambda.Function']);
    for (const name of Object.keys(CONSTRUCTS)) {
      const ours = summarize(samples[name]);
      const vsNodejsFunction = ratio(ours.median, anchor.median);
      rows.push({ n, construct: name, ours, bare, nodejsFunction: anchor, vsNodejsFunction, vsBare: ratio(ours.median, bare.median) });
    }
  }
  fs.rmSync(entryDir, { recursive: true, force: true });
  return rows;
}
