import { createHash } from 'crypto';

/**
 * A Kinesis stream and the Lambda event source mapping that reads it, as AWS documents them
 * for a mapping with ReportBatchItemFailures, BisectBatchOnFunctionError and
 * MaximumRetryAttempts:
 * - a record's partition key picks its shard; each shard is read in sequence-number order,
 *   one batch at a time (ParallelizationFactor 1); shards are read concurrently;
 * - a partial batch response checkpoints the shard at the lowest reported sequence number:
 *   the records before it are done, and the batch is retried from it (a retry);
 * - an empty `batchItemFailures` list means every record succeeded;
 * - a function error (a throw, a timeout, or a response naming a record not in the batch)
 *   fails the whole batch; with bisect, a batch of more than one record is split in two and
 *   each half is retried on its own (a split does not count as a retry), otherwise it is retried;
 * - after `retryAttempts` retries the batch's metadata (shard, first and last sequence
 *   number, size) goes to the on-failure destination, and the shard moves on past it.
 * Virtual time: nothing waits; maxRecordAge is not modelled (no record gets old).
 */

export interface ShardSimulatorOptions {
  readonly shards: number;
  /** @default 100 */
  readonly batchSize?: number;
  /** MaximumRetryAttempts. @default 3 */
  readonly retryAttempts?: number;
  /** BisectBatchOnFunctionError. @default true */
  readonly bisectBatchOnError?: boolean;
  /**
   * Share of invocations that time out *after* the handler did its work: Lambda sees a
   * function error and delivers the batch again, so side effects would repeat. @default 0
   */
  readonly timeoutRate?: number;
  readonly random: () => number;
  readonly streamArn?: string;
}

/** What the on-failure destination receives (Lambda's KinesisBatchInfo), plus the records for the test. */
export interface FailedBatch {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly condition: 'RetryAttemptsExhausted';
  readonly sequenceNumbers: string[];
}

export interface ShardSimulationResult {
  readonly records: number;
  readonly invocations: number;
  readonly functionErrors: number;
  readonly timeouts: number;
  readonly bisections: number;
  readonly partialFailures: number;
  /** The on-failure destination's messages, in the order they were sent. */
  readonly destination: FailedBatch[];
  /** Sequence numbers the mapping checkpointed past as successful. */
  readonly checkpointed: Set<string>;
  /** Every shard was read to its end. */
  readonly everyShardFinished: boolean;
}

interface SimRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: string;
}

/** A contiguous run of a shard's records still to be delivered, and its retries so far. */
interface Range {
  start: number;
  readonly end: number;
  retries: number;
}

type Handler = (event: { Records: unknown[] }) => Promise<unknown>;

export class ShardSimulator {
  private readonly shards: SimRecord[][];
  private nextSequence = 1n;
  private readonly batchSize: number;
  private readonly retryAttempts: number;
  private readonly bisect: boolean;
  private readonly timeoutRate: number;
  private readonly streamArn: string;

  constructor(private readonly options: ShardSimulatorOptions) {
    this.shards = Array.from({ length: options.shards }, () => []);
    this.batchSize = options.batchSize ?? 100;
    this.retryAttempts = options.retryAttempts ?? 3;
    this.bisect = options.bisectBatchOnError ?? true;
    this.timeoutRate = options.timeoutRate ?? 0;
    this.streamArn = options.streamArn ?? 'arn:aws:kinesis:us-east-1:123456789012:stream/simulated';
  }

  /** PutRecord: the partition key's hash picks the shard; sequence numbers only grow. */
  public put(partitionKey: string, data: unknown): { shardId: string; sequenceNumber: string } {
    const shard = hash(partitionKey) % this.shards.length;
    const shardId = `shardId-${String(shard).padStart(12, '0')}`;
    const sequenceNumber = (49590338271490256608559692538361571095921575989136588898n + this.nextSequence++ * 1000n).toString();
    this.shards[shard].push({ shardId, sequenceNumber, partitionKey, data: Buffer.from(JSON.stringify(data), 'utf8').toString('base64') });
    return { shardId, sequenceNumber };
  }

  /** Runs the mapping until every shard is read to its end. */
  public async drain(handler: Handler, maxInvocationsPerShard = 100_000): Promise<ShardSimulationResult> {
    const stats = { invocations: 0, functionErrors: 0, timeouts: 0, bisections: 0, partialFailures: 0 };
    const destination: FailedBatch[] = [];
    const checkpointed = new Set<string>();
    const finished = await Promise.all(
      this.shards.map((records) => this.readShard(records, handler, maxInvocationsPerShard, stats, destination, checkpointed)),
    );
    return {
      records: this.shards.reduce((n, s) => n + s.length, 0),
      ...stats,
      destination,
      checkpointed,
      everyShardFinished: finished.every(Boolean),
    };
  }

  private async readShard(
    records: SimRecord[],
    handler: Handler,
    maxInvocations: number,
    stats: { invocations: number; functionErrors: number; timeouts: number; bisections: number; partialFailures: number },
    destination: FailedBatch[],
    checkpointed: Set<string>,
  ): Promise<boolean> {
    let position = 0; // the checkpoint: every record before it is done or given up on
    const work: Range[] = []; // what must be delivered before the checkpoint passes its end
    for (let n = 0; n < maxInvocations; n++) {
      if (work.length === 0) {
        if (position >= records.length) return true;
        work.push({ start: position, end: Math.min(position + this.batchSize, records.length), retries: 0 });
      }
      const range = work[0];
      const batch = records.slice(range.start, range.end);
      stats.invocations++;
      const outcome = await this.invoke(handler, batch, stats);
      const done = (upTo: number) => {
        for (let i = range.start; i < upTo; i++) checkpointed.add(records[i].sequenceNumber);
      };
      const giveUp = () => {
        const given = records.slice(range.start, range.end);
        destination.push({
          shardId: given[0].shardId,
          startSequenceNumber: given[0].sequenceNumber,
          endSequenceNumber: given[given.length - 1].sequenceNumber,
          batchSize: given.length,
          condition: 'RetryAttemptsExhausted',
          sequenceNumbers: given.map((r) => r.sequenceNumber),
        });
        work.shift();
        position = range.end;
      };
      if (outcome.kind === 'success') {
        done(range.end);
        work.shift();
        position = range.end;
      } else if (outcome.kind === 'partial') {
        stats.partialFailures++;
        const first = range.start + outcome.firstFailedIndex;
        done(first);
        range.start = first;
        position = first;
        range.retries++;
        if (range.retries > this.retryAttempts) giveUp();
      } else if (this.bisect && range.end - range.start > 1) {
        stats.bisections++;
        const middle = range.start + Math.ceil((range.end - range.start) / 2);
        work.splice(0, 1, { start: range.start, end: middle, retries: range.retries }, { start: middle, end: range.end, retries: range.retries });
      } else {
        range.retries++;
        if (range.retries > this.retryAttempts) giveUp();
      }
    }
    return false;
  }

  private async invoke(
    handler: Handler,
    batch: SimRecord[],
    stats: { functionErrors: number; timeouts: number },
  ): Promise<{ kind: 'success' } | { kind: 'partial'; firstFailedIndex: number } | { kind: 'error' }> {
    let response: any;
    try {
      response = await handler({ Records: batch.map((r) => this.kinesisRecord(r)) });
    } catch {
      stats.functionErrors++;
      return { kind: 'error' };
    }
    if (this.timeoutRate > 0 && this.options.random() < this.timeoutRate) {
      stats.timeouts++;
      stats.functionErrors++;
      return { kind: 'error' };
    }
    const failures = response?.batchItemFailures;
    if (failures === undefined || failures === null) return { kind: 'success' };
    if (!Array.isArray(failures)) {
      stats.functionErrors++;
      return { kind: 'error' };
    }
    if (failures.length === 0) return { kind: 'success' };
    const indexes = failures.map((f: any) => batch.findIndex((r) => r.sequenceNumber === f?.itemIdentifier));
    // An identifier that is empty, null or not in the batch makes Lambda treat the whole batch as failed.
    if (indexes.some((i: number) => i < 0)) {
      stats.functionErrors++;
      return { kind: 'error' };
    }
    return { kind: 'partial', firstFailedIndex: Math.min(...indexes) };
  }

  private kinesisRecord(r: SimRecord) {
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber: r.sequenceNumber,
        data: r.data,
        approximateArrivalTimestamp: 1767268800,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${r.shardId}:${r.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
      awsRegion: 'us-east-1',
      eventSourceARN: this.streamArn,
    };
  }
}

/** A stable string hash (from MD5, as Kinesis maps partition keys) for picking a shard. */
function hash(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0);
}
