/**
 * Scenario: the example app's `ClickEvents` StreamBatchConsumer (a Kinesis stream, the
 * bundled template's demo logic, retryAttempts 3, bisect on, batch size 100) under the shard
 * simulator, which follows Lambda's documented retry semantics. A poison record (`"fail":
 * true`) fails every attempt; after the retries its batch's shard id and sequence-number range
 * go to the on-failure destination, and the shard moves on. Virtual time: nothing waits.
 */
import { digest } from './format';
import { LogTap } from './log-tap';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate, setEnv } from './templates';
import { ShardSimulator } from '../../test/handlers/shard-simulator';
import { seededRandom } from '../../test/support/sqs-simulator';

export interface StreamFacts {
  readonly sent: number;
  readonly processed: number;
  readonly invocations: number;
  readonly destination: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; batchSize: number }[];
  readonly poisonSequenceNumber: string;
  readonly lost: number;
}

const FUNCTION_NAME = 'ServerlessPowertoolsExample-ClickEvents';
const RETRY_ATTEMPTS = 3;

export async function streamPoison(ctx: ScenarioContext, clicks = 400): Promise<StreamFacts> {
  const { log, check } = ctx;
  // The variables StreamBatchConsumer sets for a Kinesis source without idempotency.
  const restoreEnv = setEnv({
    POWERTOOLS_SERVICE_NAME: 'ClickEvents',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    STREAM_SOURCE_TYPE: 'KINESIS',
    IDEMPOTENCY_TABLE_NAME: undefined,
  });
  const tap = new LogTap();
  try {
    const template = await loadTemplate(ctx.assetsDir, 'stream');
    const sim = new ShardSimulator({ shards: 2, batchSize: 100, retryAttempts: RETRY_ATTEMPTS, random: seededRandom(2026) });
    const poisonAt = Math.floor(clicks / 3);
    const sent = Array.from({ length: clicks }, (_, i) => {
      const click = i === poisonAt ? { clickId: `click-${i}`, fail: true } : { clickId: `click-${i}`, page: `/products/${i % 7}` };
      return { i, ...sim.put(`user-${i % 10}`, click) };
    });
    const poison = sent[poisonAt];
    log(`  ${clicks} clicks put on 2 shards (partition key = user); click-${poisonAt} on ${poison.shardId} is poison ("fail": true)`);
    log(`  event source mapping: batch size 100, ReportBatchItemFailures, bisect on error, retryAttempts ${RETRY_ATTEMPTS}`);

    let attemptsOnPoison = 0;
    let invocation = 0;
    const consumer = async (event: { Records: any[] }) => {
      if (event.Records.some((r) => r.kinesis.sequenceNumber === poison.sequenceNumber)) attemptsOnPoison++;
      return template.handler(event, lambdaContext(FUNCTION_NAME, `req-stream-${String(++invocation).padStart(4, '0')}`));
    };
    const result = await tap.around(() => sim.drain(consumer));
    log(`  drained: ${result.invocations} invocations, ${result.partialFailures} partial batch responses, ${result.destination.length} message(s) to the on-failure queue`);
    for (const d of result.destination) {
      log(`    on-failure: ${d.condition} ${d.shardId} ${d.startSequenceNumber.slice(-8)}…${d.endSequenceNumber.slice(-8)} (${d.batchSize} records)`);
    }

    const processedSeq = new Set(tap.logs.filter((l) => l.message === 'record processed').map((l) => String(l.sequence_number)));
    const warning = tap.logs.find((l) => l.message === 'record failed; Lambda retries the shard from this record');
    if (warning) {
      const short = { ...warning, error: { name: warning.error?.name, message: warning.error?.message } };
      log(digest(short, ['level', 'message', 'shard_id', 'sequence_number', 'partition_key', 'error']).join('\n'));
    }

    const destinationSeq = new Set(result.destination.flatMap((d) => d.sequenceNumbers));
    const given = result.destination.find((d) => d.sequenceNumbers.includes(poison.sequenceNumber));
    check(
      `the poison record failed 1 + retryAttempts (${RETRY_ATTEMPTS}) times, then went to the on-failure destination`,
      given !== undefined && attemptsOnPoison === 1 + RETRY_ATTEMPTS,
      given ? `${given.shardId}, ${given.batchSize} records from the poison on, ${attemptsOnPoison} attempts` : 'not in the destination',
    );
    const afterRange = sent.filter((r) => r.shardId === poison.shardId && given && BigInt(r.sequenceNumber) > BigInt(given.endSequenceNumber));
    check(
      'its shard moved on: every later record of that shard was processed',
      afterRange.length > 0 && afterRange.every((r) => processedSeq.has(r.sequenceNumber)),
      `${afterRange.filter((r) => processedSeq.has(r.sequenceNumber)).length}/${afterRange.length} later records`,
    );
    const otherShard = sent.filter((r) => r.shardId !== poison.shardId);
    check('the other shard was never held up', otherShard.every((r) => processedSeq.has(r.sequenceNumber)), `${otherShard.length} records`);
    const lost = sent.filter((r) => !processedSeq.has(r.sequenceNumber) && !destinationSeq.has(r.sequenceNumber));
    const before = sent.filter((r) => r.shardId === poison.shardId && r.i < poisonAt);
    check(
      'nothing was lost: every record was processed or is in an on-failure range, and nothing before the poison was given up',
      lost.length === 0 && result.everyShardFinished && before.every((r) => processedSeq.has(r.sequenceNumber)),
      `${processedSeq.size} processed + ${destinationSeq.size} in the destination = ${clicks}`,
    );
    log('  read the given-up records back with GetShardIterator AT_SEQUENCE_NUMBER at the range start (README: "Reading failed records back")');
    return {
      sent: clicks,
      processed: processedSeq.size,
      invocations: result.invocations,
      destination: result.destination.map((d) => ({
        shardId: d.shardId,
        startSequenceNumber: d.startSequenceNumber,
        endSequenceNumber: d.endSequenceNumber,
        batchSize: d.batchSize,
      })),
      poisonSequenceNumber: poison.sequenceNumber,
      lost: lost.length,
    };
  } finally {
    tap.stop();
    restoreEnv();
  }
}
