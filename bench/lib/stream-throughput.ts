import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { templateAsset } from './anchors';
import { importEsm } from './events';
import { clearIdempotencyEnv, recordsPerSecond } from './records-per-second';
import { interleave, Summary, summarize } from './stats';

export interface StreamThroughputRow {
  readonly records: number;
  /** `none`, or `middle`: the record in the middle of the batch fails. */
  readonly failing: string;
  readonly template: Summary;
  readonly batchProcessor: Summary;
  readonly plainLoop: Summary;
}

/** Kinesis records of one shard, as Lambda delivers them; `failAt` marks one record to fail. */
export function kinesisEvent(count: number, failAt = -1): { Records: any[] } {
  const Records = [];
  for (let i = 0; i < count; i++) {
    const sequenceNumber = `4959033827149025660855969253836157109592157598913${String(i).padStart(7, '0')}`;
    Records.push({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `user-${i % 16}`,
        sequenceNumber,
        data: Buffer.from(JSON.stringify({ clickId: `c-${i}`, fail: i === failAt })).toString('base64'),
        approximateArrivalTimestamp: 1700000000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/bench',
    });
  }
  return { Records };
}

const decode = (record: any) => JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));

/**
 * Records per second through three consumers of the same no-op logic, each processing a
 * shard's records one at a time, in order (what a stream needs): the template's handler
 * (wrapping the logic as a user entry would), Powertools BatchProcessor used directly
 * (processInParallel: false), and a plain for-loop that stops at the first failure.
 */
export async function streamThroughput(sizes: number[], rounds: number): Promise<StreamThroughputRow[]> {
  process.env.STREAM_SOURCE_TYPE = 'KINESIS';
  clearIdempotencyEnv();
  const template = await importEsm(templateAsset('stream'));
  const logic = (payload: any) => {
    if (payload.fail) throw new Error('fail');
  };
  const templateHandler = template.wrapStream({ processRecord: logic });
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const options = { throwOnFullBatchFailure: false, processInParallel: false };
  const recordHandler = async (record: any) => logic(decode(record));
  const direct = (event: any, context: any) => processPartialResponse(event, recordHandler, processor, { ...options, context });
  const plain = async (event: any) => {
    for (let i = 0; i < event.Records.length; i++) {
      try {
        logic(decode(event.Records[i]));
      } catch {
        return { batchItemFailures: event.Records.slice(i).map((r: any) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
      }
    }
    return { batchItemFailures: [] };
  };

  const rows: StreamThroughputRow[] = [];
  for (const failing of ['none', 'middle']) {
    for (const size of sizes) {
      const failAt = failing === 'middle' ? Math.floor(size / 2) : -1;
      const event = kinesisEvent(size, failAt);
      const rate = (fn: (e: any, c: any) => Promise<any>) =>
        recordsPerSecond(fn, event, (out) => {
          // Every subject must at least report the failing record (and nothing when none fails).
          if ((failAt < 0) !== (out.batchItemFailures.length === 0)) {
            throw new Error(`unexpected response ${JSON.stringify(out).slice(0, 200)}`);
          }
        });
      const samples = await interleave({ template: rate(templateHandler), batchProcessor: rate(direct), plainLoop: rate(plain) }, rounds);
      rows.push({
        records: size,
        failing,
        template: summarize(samples.template),
        batchProcessor: summarize(samples.batchProcessor),
        plainLoop: summarize(samples.plainLoop),
      });
    }
  }
  return rows;
}
