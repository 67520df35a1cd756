/**
 * Scenario 1: the example app's `Orders` IdempotentFunction (the bundled template with no
 * props: the whole event is the idempotency key) receives the same order twice, as Lambda
 * may deliver it, and a second order once. The logic must run once per order.
 */
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { short } from './format';
import { LogTap } from './log-tap';
import type { ScenarioContext } from './scenario';
import { lambdaContext, loadTemplate, setEnv } from './templates';

export interface IdempotencyFacts {
  readonly acknowledgementIds: string[];
  readonly executions: number;
  readonly replays: number;
  readonly storedRecords: number;
}

const FUNCTION_NAME = 'ServerlessPowertoolsExample-Orders';
const TABLE = 'ServerlessPowertoolsExample-OrdersIdempotency';

export async function idempotentReplay(ctx: ScenarioContext): Promise<IdempotencyFacts> {
  const { log, check } = ctx;
  // The table exactly as IdempotencyTable shapes it: `id` (String) partition key.
  await ctx.dynamo.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  // The variables IdempotentFunction sets with its defaults (1 hour expiry, no key path).
  const restoreEnv = setEnv({
    POWERTOOLS_SERVICE_NAME: 'Orders',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    IDEMPOTENCY_TABLE_NAME: TABLE,
    IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '3600',
    IDEMPOTENCY_THROW_ON_NO_KEY: 'false',
    IDEMPOTENCY_USE_LOCAL_CACHE: 'false',
  });
  const tap = new LogTap();
  try {
    const template = await loadTemplate(ctx.assetsDir, 'idempotent');
    log(`  table ${TABLE} on dynalite; key = hash of the whole event (the construct's default)`);

    const order = { orderId: 'order-1001', amount: 42, currency: 'EUR' };
    const other = { orderId: 'order-1002', amount: 7.5, currency: 'EUR' };
    const calls = [
      { label: 'first delivery', event: order, requestId: 'req-orders-0001' },
      { label: 'duplicate delivery (same order)', event: order, requestId: 'req-orders-0002' },
      { label: 'another order', event: other, requestId: 'req-orders-0003' },
    ];
    const results: any[] = [];
    for (const call of calls) {
      const linesBefore = tap.logs.length;
      const result = await tap.around<any>(() => template.handler(call.event, lambdaContext(FUNCTION_NAME, call.requestId)));
      results.push(result);
      const said = tap.logs.slice(linesBefore).map((l) => l.message).join('; ');
      log(`  → ${call.label}: ${short(call.event)}`);
      log(`    ← ${result.status}, acknowledgementId ${result.acknowledgementId}  log: "${said}"`);
    }

    const [first, duplicate, another] = results;
    check(
      'the duplicate got the stored result of the first call',
      first.acknowledgementId === duplicate.acknowledgementId && first.acceptedAt === duplicate.acceptedAt,
      `acknowledgementId ${duplicate.acknowledgementId}`,
    );
    const executedLines = tap.logs.filter((l) => l.message === 'Executed the business logic').length;
    const replayedLines = tap.logs.filter((l) => l.message === 'Replayed the stored result of an earlier execution').length;
    const executions = tap.metricSum('IdempotentExecutions');
    const replays = tap.metricSum('IdempotentReplays');
    check(
      'the business logic ran once for the two deliveries, and once for the other order',
      executions === 2 && replays === 1 && executedLines === 2 && replayedLines === 1,
      `EMF IdempotentExecutions ${executions}, IdempotentReplays ${replays}`,
    );
    check('another order runs the logic (a new acknowledgement)', another.acknowledgementId !== first.acknowledgementId && another.orderId === other.orderId);

    const items = (await ctx.dynamo.client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items ?? [];
    const completed = items.filter((i) => i.status?.S === 'COMPLETED').length;
    check('DynamoDB holds one COMPLETED record per order', items.length === 2 && completed === 2, `${items.length} records, ${completed} COMPLETED`);
    return { acknowledgementIds: results.map((r) => r.acknowledgementId), executions, replays, storedRecords: items.length };
  } finally {
    tap.stop();
    restoreEnv();
  }
}
