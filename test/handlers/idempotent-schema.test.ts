/**
 * The bundled idempotent template (assets/idempotent) with an entry that exports a zod
 * `schema`, against dynalite: the event is validated before Powertools idempotency sees it,
 * so an invalid event makes no DynamoDB request at all (no INPROGRESS record that a failed
 * delete could leave behind) and the corrected retry with the same key runs.
 */
import { z } from 'zod';
import { importTemplate, lambdaContext } from '../support/assets';
import { idempotencyTestEnv, QUIET_POWERTOOLS } from '../support/idempotency-env';

const table = 'idempotency-schema';
const ddb = idempotencyTestEnv({
  env: {
    AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
    POWERTOOLS_SERVICE_NAME: 'orders',
    ...QUIET_POWERTOOLS,
    IDEMPOTENCY_EVENT_KEY_JMESPATH: 'orderId',
    IDEMPOTENCY_TABLE_NAME: table,
  },
  tables: [{ name: table }],
});

const Order = z.object({ orderId: z.string().min(1), amount: z.number().positive(), currency: z.string().default('EUR') });

let template: any;

beforeAll(async () => {
  template = await importTemplate('idempotent');
});

const items = () => ddb.items(table);

test('an invalid event fails before any idempotency request; the corrected retry with the same key runs once', async () => {
  const seen: unknown[] = [];
  const handler = template.wrapIdempotent({
    schema: Order,
    processEvent: (order: z.infer<typeof Order>) => {
      seen.push(order);
      return { accepted: order.orderId, currency: order.currency };
    },
  });

  const before = ddb.requestCount();
  const failure = await handler({ orderId: 'o-7', amount: -5 }, lambdaContext()).catch((e: Error) => e);
  expect(failure).toMatchObject({ name: 'InvalidInputError' });
  expect(failure.message).toMatch(/^The event does not match the entry's schema: amount: /);
  expect(failure.issues).toEqual([expect.objectContaining({ path: ['amount'], code: 'too_small' })]);
  expect(ddb.requestCount()).toBe(before);
  expect(await items()).toHaveLength(0);
  expect(seen).toHaveLength(0);

  // The logic gets the schema's output (the default currency), and a duplicate replays it.
  const first = await handler({ orderId: 'o-7', amount: 5 }, lambdaContext());
  const replay = await handler({ orderId: 'o-7', amount: 5 }, lambdaContext());
  expect(first).toEqual({ accepted: 'o-7', currency: 'EUR' });
  expect(replay).toEqual(first);
  expect(seen).toEqual([{ orderId: 'o-7', amount: 5, currency: 'EUR' }]);
  const stored = await items();
  expect(stored).toHaveLength(1);
  expect(stored[0].status.S).toBe('COMPLETED');
});

test('a schema export that is not a schema fails when the module loads, naming the export', () => {
  const wrap = () => template.wrapIdempotent({ processEvent: () => 1, schema: { orderId: 'string' } });
  expect(wrap).toThrow('IdempotentFunction entry: "schema" must be a zod schema');
  expect(wrap).toThrow(/it is an object\.$/);
  // zod before 3.24 (safeParse, no Standard Schema): the message says to upgrade.
  expect(() => template.wrapIdempotent({ processEvent: () => 1, schema: { safeParse: () => ({}) } })).toThrow(/upgrade zod to 4/);
});
