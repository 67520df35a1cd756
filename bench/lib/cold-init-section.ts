import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { bundleAnchor, ROOT, templateAsset } from './anchors';
import { coldStart, ColdStart, IDEMPOTENCY_BENCH_ENV } from './cold-init';
import { restApiEvent, sqsEvent } from './events';
import { interleave, ratio, summarize } from './stats';
import { kinesisEvent } from './stream-throughput';
import { startDynalite } from '../../test/support/dynalite';

/** A template, its hand-written anchor, the environment its construct gives it and its first event. */
interface ColdSubject {
  readonly name: string;
  readonly template: string;
  readonly exportName: string;
  readonly anchor: string;
  readonly goal?: number;
  /** Needs the idempotency table (and so a DynamoDB endpoint for its first invocation). */
  readonly idempotency?: boolean;
  /** The first invocation's event; undefined: import only. */
  readonly event?: unknown;
}

const SQS_ONE_RECORD = (() => {
  const event = sqsEvent(1);
  event.Records[0].messageId = 'm-__I__';
  event.Records[0].body = JSON.stringify({ orderId: 'o-__I__', items: [{ price: 2, quantity: 3 }] });
  return event;
})();

export const COLD_SUBJECTS: ColdSubject[] = [
  { name: 'idempotent', template: 'idempotent', exportName: 'handler', anchor: 'idempotent', goal: 0.5, idempotency: true, event: { orderId: 'o-__I__', amount: 42 } },
  { name: 'batch', template: 'batch', exportName: 'handler', anchor: 'batch', goal: 1, event: SQS_ONE_RECORD },
  { name: 'batch (per-record idempotency)', template: 'batch', exportName: 'handler', anchor: 'batch-idempotent', goal: 1, idempotency: true, event: SQS_ONE_RECORD },
  { name: 'stream', template: 'stream', exportName: 'handler', anchor: 'stream', goal: 1, event: kinesisEvent(1) },
  { name: 'api', template: 'api', exportName: 'handler', anchor: 'api', goal: 1, event: restApiEvent('GET', '/health', '/health') },
  // The executor's first invocation calls the Lambda API; its import alone is measured.
  { name: 'tuner (import only)', template: 'tuner', exportName: 'executor', anchor: 'tuner-executor' },
];

/** dynalite with the table the idempotent subjects use; the children reach it through AWS_ENDPOINT_URL_DYNAMODB. */
async function withIdempotencyTable<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const server = await startDynalite();
  try {
    const admin = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await admin.send(
      new CreateTableCommand({
        TableName: IDEMPOTENCY_BENCH_ENV.IDEMPOTENCY_TABLE_NAME,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();
    return await fn({ ...IDEMPOTENCY_BENCH_ENV, AWS_ENDPOINT_URL_DYNAMODB: server.endpoint });
  } finally {
    await server.stop();
  }
}

function starts(nodeBin: string, s: ColdSubject, idempotencyEnv: Record<string, string>, repeat = 0, repeatMore = 0) {
  const env = s.idempotency ? idempotencyEnv : {};
  // Events carry __I__, so every run (and every repeated invocation) is a new idempotency key.
  let run = 0;
  const unique = (event: unknown) => (event === undefined ? undefined : JSON.parse(JSON.stringify(event).replaceAll('__I__', `${process.pid}-${run++}-__I__`)));
  return {
    ours: () => coldStart(nodeBin, templateAsset(s.template), { exportName: s.exportName, event: unique(s.event), env, repeat, repeatMore }),
    anchor: () => coldStart(nodeBin, bundleAnchor(s.anchor), { event: unique(s.event), env, repeat, repeatMore }),
  };
}

/** Cold init of every template and its anchor, interleaved round-robin, plus the empty-handler floor. */
export async function coldInitRows(nodeBin: string, rounds: number): Promise<any[]> {
  return withIdempotencyTable(async (idempotencyEnv) => {
    const floor = bundleAnchor('empty');
    const subjects: Record<string, () => Promise<ColdStart>> = { floor: () => coldStart(nodeBin, floor, { event: {} }) };
    for (const s of COLD_SUBJECTS) {
      const { ours, anchor } = starts(nodeBin, s, idempotencyEnv);
      subjects[s.name] = ours;
      subjects[`${s.name}:anchor`] = anchor;
    }
    const samples = await interleave(subjects, rounds);
    const ms = (key: string) => summarize(samples[key].map((c) => c.ms));
    const rows: any[] = COLD_SUBJECTS.map((s) => {
      const ours = ms(s.name);
      const anchor = ms(`${s.name}:anchor`);
      return {
        template: s.name,
        ours,
        oursImport: summarize(samples[s.name].map((c) => c.importMs)),
        anchor,
        anchorImport: summarize(samples[`${s.name}:anchor`].map((c) => c.importMs)),
        ratio: ratio(ours.median, anchor.median),
        goal: s.goal,
      };
    });
    rows.push({ template: 'floor (empty handler)', ours: ms('floor'), oursImport: summarize(samples.floor.map((c) => c.importMs)) });
    return rows;
  });
}

/**
 * RSS and heap in use after init + first invocation, after `invocations` more and after
 * `moreInvocations` beyond those, per template and anchor. The last two readings are the
 * leak check: a warm function's memory settles, so between them it should stay flat.
 */
export async function memoryRows(nodeBin: string, rounds: number, invocations: number, moreInvocations: number): Promise<any[]> {
  return withIdempotencyTable(async (idempotencyEnv) => {
    const subjects: Record<string, () => Promise<ColdStart>> = {};
    for (const s of COLD_SUBJECTS.filter((c) => c.event !== undefined)) {
      const { ours, anchor } = starts(nodeBin, s, idempotencyEnv, invocations, moreInvocations);
      subjects[s.name] = ours;
      subjects[`${s.name}:anchor`] = anchor;
    }
    const samples = await interleave(subjects, rounds);
    type Field = 'rssAfterInitMb' | 'rssAfterRepeatMb' | 'heapAfterInitMb' | 'heapAfterRepeatMb' | 'rssAfterMoreMb' | 'heapAfterMoreMb';
    const median = (key: string, field: Field) => summarize(samples[key].map((c) => c[field]!)).median;
    return Object.keys(subjects).map((key) => {
      const anchorKey = key.endsWith(':anchor') ? undefined : `${key}:anchor`;
      const init = median(key, 'rssAfterInitMb');
      const after = median(key, 'rssAfterRepeatMb');
      const heapInit = median(key, 'heapAfterInitMb');
      const heapAfter = median(key, 'heapAfterRepeatMb');
      const more = moreInvocations > 0 ? { rss: median(key, 'rssAfterMoreMb'), heap: median(key, 'heapAfterMoreMb') } : undefined;
      return {
        subject: key.replace(/:anchor$/, ' (anchor)'),
        invocations,
        rssAfterInitMb: init,
        rssAfterRepeatMb: after,
        growthMb: after - init,
        heapAfterInitMb: heapInit,
        heapAfterRepeatMb: heapAfter,
        heapGrowthMb: heapAfter - heapInit,
        ...(more
          ? {
            moreInvocations,
            rssAfterMoreMb: more.rss,
            heapAfterMoreMb: more.heap,
            laterRssGrowthMb: more.rss - after,
            laterHeapGrowthMb: more.heap - heapAfter,
          }
          : {}),
        ...(anchorKey
          ? { vsAnchor: ratio(init, median(anchorKey, 'rssAfterInitMb')), vsAnchorAfter: ratio(after, median(anchorKey, 'rssAfterRepeatMb')) }
          : {}),
      };
    });
  });
}

/** Bytes a cold start parses, ours (from the bundling manifest) against the anchor bundle. */
export function sizeRows(): any[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'assets', 'manifest.json'), 'utf8'));
  return COLD_SUBJECTS.map((s) => {
    const anchor = fs.readFileSync(bundleAnchor(s.anchor));
    const ours = manifest[s.template];
    return {
      template: s.name,
      bytes: ours.initBytes,
      gzipBytes: ours.initGzipBytes,
      totalBytes: ours.totalBytes,
      anchorBytes: anchor.length,
      anchorGzipBytes: gzipSync(anchor).length,
    };
  });
}

