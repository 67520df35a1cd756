import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { templateAsset } from './anchors';
import { benchContext, importEsm, nowMs, quietly } from './events';
import { interleave, ratio, Summary, summarize } from './stats';
import { startDynalite } from '../../test/support/dynalite';

export interface IdempotencyCost {
  /** DynamoDB requests per invocation, counted at the server (one HTTP request = one API call). */
  readonly requests: { firstCall: number; repeat: number; repeatWithLocalCache: number };
  /** The same on DynamoDB, where a failed conditional put returns the stored record. */
  readonly requestsOnDynamoDb: { firstCall: number; repeat: number; repeatWithLocalCache: number };
  /** Per-call latency on dynalite (ms): the template, and the anchor (Powertools makeIdempotent used directly). */
  readonly latencyMs: { bare: Summary; firstCall: Summary; repeat: Summary; anchorFirstCall: Summary; anchorRepeat: Summary };
  /** The anchor's DynamoDB requests on dynalite: first call, repeat. */
  readonly anchorRequests: { firstCall: number; repeat: number };
  /** Latency a first call adds over the bare logic, template / anchor (medians). */
  readonly addedLatencyRatio: number;
}

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/**
 * Runs the idempotent template's core (from the bundled asset) against an in-process
 * dynalite on 127.0.0.1, counting DynamoDB requests and timing calls against the bare
 * business function.
 */
export async function idempotencyCost(rounds: number): Promise<IdempotencyCost> {
  const server = await startDynalite();
  const endpoint = server.endpoint;
  try {
    const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    await admin.send(
      new CreateTableCommand({
        TableName: 'bench-idempotency',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();

    process.env.IDEMPOTENCY_TABLE_NAME = 'bench-idempotency';
    const template = await importEsm(templateAsset('idempotent'));
    const config = (useLocalCache: boolean) => ({
      tableName: 'bench-idempotency',
      eventKeyJmesPath: 'orderId',
      expiresAfterSeconds: 3600,
      throwOnNoIdempotencyKey: false,
      useLocalCache,
      maxLocalCacheSize: 256,
      clientConfig: { endpoint, region: 'us-east-1', credentials: CREDENTIALS },
    });
    const logic = template.acknowledgeOrder;
    const plain = template.createIdempotentHandler(logic, config(false));
    const cached = template.createIdempotentHandler(logic, config(true));
    // The anchor: the same logic through Powertools makeIdempotent used directly, on the same
    // table and server, as a hand-rolled handler would (context registered per call).
    const anchorConfig = new IdempotencyConfig({ eventKeyJmesPath: 'orderId', expiresAfterSeconds: 3600 });
    const anchorLogic = makeIdempotent(async (event: unknown) => logic(event), {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: 'bench-idempotency', clientConfig: config(false).clientConfig }),
      config: anchorConfig,
    });
    const anchor = async (event: unknown, context: any) => {
      anchorConfig.registerLambdaContext(context);
      return anchorLogic(event);
    };

    const count = async (fn: () => Promise<unknown>) => {
      const before = server.requestCount();
      await quietly(fn);
      return server.requestCount() - before;
    };
    const order = (id: string) => ({ orderId: id, amount: 42 });
    const firstCall = await count(() => plain(order('count-1'), benchContext()));
    const repeat = await count(() => plain(order('count-1'), benchContext()));
    await count(() => cached(order('count-2'), benchContext()));
    const repeatWithLocalCache = await count(() => cached(order('count-2'), benchContext()));
    const anchorFirstCall = await count(() => anchor(order('count-3'), benchContext()));
    const anchorRepeat = await count(() => anchor(order('count-3'), benchContext()));

    let seq = 0;
    const timed = (fn: () => Promise<unknown>) => async () => {
      const t0 = nowMs();
      await quietly(fn);
      return nowMs() - t0;
    };
    await quietly(() => plain(order('replayed'), benchContext()));
    await quietly(() => anchor(order('anchor-replayed'), benchContext()));
    const samples = await interleave(
      {
        bare: timed(async () => logic(order(`bare-${seq}`))),
        firstCall: timed(() => plain(order(`first-${seq}`), benchContext())),
        anchorFirstCall: timed(() => anchor(order(`anchor-first-${seq++}`), benchContext())),
        repeat: timed(() => plain(order('replayed'), benchContext())),
        anchorRepeat: timed(() => anchor(order('anchor-replayed'), benchContext())),
      },
      Math.max(rounds, 15) * 4,
    );
    return {
      requests: { firstCall, repeat, repeatWithLocalCache },
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so Powertools follows the
      // failed put with a GetItem; DynamoDB returns the record with the failure instead.
      requestsOnDynamoDb: { firstCall, repeat: Math.max(1, repeat - 1), repeatWithLocalCache },
      latencyMs: {
        bare: summarize(samples.bare),
        firstCall: summarize(samples.firstCall),
        repeat: summarize(samples.repeat),
        anchorFirstCall: summarize(samples.anchorFirstCall),
        anchorRepeat: summarize(samples.anchorRepeat),
      },
      anchorRequests: { firstCall: anchorFirstCall, repeat: anchorRepeat },
      addedLatencyRatio: ratio(
        summarize(samples.firstCall).median - summarize(samples.bare).median,
        summarize(samples.anchorFirstCall).median - summarize(samples.bare).median,
      ),
    };
  } finally {
    await server.stop();
  }
}
