/**
 * Business logic and a record mix for the shard simulations: a record's data says how it
 * behaves, and every successful run is logged (what a duplicate delivery would repeat).
 */
import { FailedBatch, ShardSimulator } from './shard-simulator';
import { seededRandom } from '../support/sqs-simulator';

export type StreamKind = 'ok' | 'transient' | 'poison';

export interface StreamSimLogic {
  /** The module handed to `wrapStream`, as `HandlerCode.fromEntry` would. */
  readonly module: { processRecord: (payload: any, context: any) => Promise<unknown> };
  /** Successful runs per event id (side effects). */
  readonly sideEffects: Map<string, number>;
  /** Successful runs in the order they happened: partition key and send index. */
  readonly runs: { key: string; i: number; eventId: string }[];
}

export function streamSimLogic(): StreamSimLogic {
  const sideEffects = new Map<string, number>();
  const attempts = new Map<string, number>();
  const runs: { key: string; i: number; eventId: string }[] = [];
  return {
    sideEffects,
    runs,
    module: {
      processRecord: async (payload: { kind: StreamKind; key: string; i: number }, context: { eventId: string }) => {
        const id = context.eventId;
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (payload.kind === 'poison') throw new Error(`poison record ${payload.i}`);
        if (payload.kind === 'transient' && attempt === 1) throw new Error(`transient failure of ${payload.i}`);
        await Promise.resolve();
        sideEffects.set(id, (sideEffects.get(id) ?? 0) + 1);
        runs.push({ key: payload.key, i: payload.i, eventId: id });
        return { i: payload.i };
      },
    },
  };
}

/** `count` records over `keys` partition keys, with transient and poison records at evenly spread positions. */
export interface SimRecordSpec {
  readonly key: string;
  readonly i: number;
  readonly kind: StreamKind;
}

export function streamRecords(count: number, keys: number, transientRate: number, poisonRate: number): SimRecordSpec[] {
  const transientEvery = Math.round(1 / transientRate);
  const poisonEvery = Math.round(1 / poisonRate);
  return Array.from({ length: count }, (_, i) => {
    const kind: StreamKind = i % poisonEvery === poisonEvery - 1 ? 'poison' : i % transientEvery === 3 ? 'transient' : 'ok';
    return { key: `device-${i % keys}`, i, kind };
  });
}

/** Extra side effects beyond the first, over all records. */
export function duplicateRuns(sideEffects: Map<string, number>): number {
  let extra = 0;
  for (const count of sideEffects.values()) extra += Math.max(0, count - 1);
  return extra;
}

/** Partition keys whose first successful runs are not in send order. */
export function keysOutOfOrder(runs: { key: string; i: number; eventId: string }[]): string[] {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  const bad = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.eventId)) continue; // a duplicate re-run is not a new position in the order
    seen.add(run.eventId);
    if ((last.get(run.key) ?? -1) > run.i) bad.add(run.key);
    last.set(run.key, run.i);
  }
  return [...bad];
}

/** Sends the mix, drains it through `handler`, and derives the facts the tests assert. */
export async function simulate(
  handler: (event: any) => Promise<unknown>,
  logic: StreamSimLogic,
  options: { records: number; timeoutRate: number; seed: number },
) {
  const sim = new ShardSimulator({
    shards: 4,
    batchSize: 100,
    retryAttempts: 3,
    bisectBatchOnError: true,
    timeoutRate: options.timeoutRate,
    random: seededRandom(options.seed),
  });
  const sent = streamRecords(options.records, 40, 0.1, 0.01).map((r) => ({ ...r, ...sim.put(r.key, r) }));
  const result = await sim.drain(handler);
  const eventId = (r: { shardId: string; sequenceNumber: string }) => `${r.shardId}:${r.sequenceNumber}`;
  const inDestination = new Set(result.destination.flatMap((b: FailedBatch) => b.sequenceNumbers));
  const poison = sent.filter((r) => r.kind === 'poison');
  const lost = sent.filter((r) => !logic.sideEffects.has(eventId(r)) && !inDestination.has(r.sequenceNumber));
  // A poison record's shard moved on: a later record of the same shard ran.
  const lastRunIndex = new Map<string, number>();
  for (const r of sent) if (logic.sideEffects.has(eventId(r))) lastRunIndex.set(r.shardId, r.i);
  const poisonShardMovedOn = poison.filter((p) => (lastRunIndex.get(p.shardId) ?? -1) > p.i);
  return {
    sim: result,
    facts: {
      sent: sent.length,
      transient: sent.filter((r) => r.kind === 'transient').length,
      poison: poison.length,
      processed: sent.filter((r) => logic.sideEffects.has(eventId(r))).length,
      lost: lost.length,
      poisonInDestination: poison.filter((p) => inDestination.has(p.sequenceNumber)).length,
      poisonShardMovedOn: poisonShardMovedOn.length,
      goodRecordsInDestination: sent.filter((r) => r.kind !== 'poison' && inDestination.has(r.sequenceNumber)).length,
      destinationMessages: result.destination.length,
      keysOutOfOrder: keysOutOfOrder(logic.runs).length,
      duplicateSideEffects: duplicateRuns(logic.sideEffects),
      invocations: result.invocations,
      functionErrors: result.functionErrors,
      timeouts: result.timeouts,
      bisections: result.bisections,
      partialFailures: result.partialFailures,
      everyShardFinished: result.everyShardFinished,
    },
    poison,
    sent,
  };
}

