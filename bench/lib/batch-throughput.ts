import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { templateAsset } from './anchors';
import { importEsm, sqsEvent } from './events';
import { clearIdempotencyEnv, recordsPerSecond } from './records-per-second';
import { interleave, Summary, summarize } from './stats';

export interface ThroughputRow {
  readonly records: number;
  readonly failing: string;
  readonly template: Summary;
  readonly batchProcessor: Summary;
  readonly allSettled: Summary;
}

/**
 * Records per second through three equivalent consumers of the same no-op logic:
 * the template's handler (wrapping the logic as a user entry would), Powertools
 * BatchProcessor used directly, and a plain Promise.allSettled loop.
 */
export async function batchThroughput(sizes: number[], rounds: number): Promise<ThroughputRow[]> {
  process.env.BATCH_QUEUE_TYPE = 'STANDARD';
  clearIdempotencyEnv();
  const template = await importEsm(templateAsset('batch'));
  const logic = (body: any) => {
    if (body.fail) throw new Error('fail');
  };
  const templateHandler = template.wrapBatch({ processRecord: logic });
  const processor = new BatchProcessor(EventType.SQS);
  const direct = (event: any) =>
    processPartialResponse(event, async (record: any) => logic(JSON.parse(record.body)), processor, { throwOnFullBatchFailure: false });
  const plain = async (event: any) => {
    const results = await Promise.allSettled(event.Records.map(async (r: any) => logic(JSON.parse(r.body))));
    return {
      batchItemFailures: results.flatMap((r, i) => (r.status === 'rejected' ? [{ itemIdentifier: event.Records[i].messageId }] : [])),
    };
  };

  const rows: ThroughputRow[] = [];
  for (const failEvery of [0, 2]) {
    for (const size of sizes) {
      const event = sqsEvent(size, failEvery);
      const expectedFailures = failEvery ? Math.ceil(size / failEvery) : 0;
      const rate = (fn: (e: any, c: any) => Promise<any>) =>
        recordsPerSecond(fn, event, (out) => {
          if (out.batchItemFailures.length !== expectedFailures) {
            throw new Error(`expected ${expectedFailures} failures, got ${out.batchItemFailures.length}`);
          }
        });
      const samples = await interleave(
        { template: rate(templateHandler), batchProcessor: rate(direct), allSettled: rate(plain) },
        rounds,
      );
      rows.push({
        records: size,
        failing: failEvery ? '50%' : '0%',
        template: summarize(samples.template),
        batchProcessor: summarize(samples.batchProcessor),
        allSettled: summarize(samples.allSettled),
      });
    }
  }
  return rows;
}
