import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { SqsBatchConsumer } from '../../src/batch';
import { IdempotencyTable, IdempotentFunction, IdempotentFunctionProps, ReplayMarker } from '../../src/idempotency';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

function functionEnv(stack: Stack): Record<string, any> {
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
  return fn.Properties.Environment.Variables;
}

function idempotent(props: IdempotentFunctionProps = {}, id = 'Payments') {
  const stack = new Stack(createTestApp(), 'Shop');
  const fn = new IdempotentFunction(stack, id, props);
  return { stack, fn };
}

/** A table another team created: other key and TTL names. */
function legacyTable(stack: Stack, ttl: string | null = 'ttl', partitionKey = 'pk'): dynamodb.Table {
  return new dynamodb.Table(stack, 'Legacy', {
    partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: ttl ?? undefined,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

describe('keyPrefix', () => {
  test('defaults to the construct path, which survives function replacement', () => {
    const { stack } = idempotent();
    expect(functionEnv(stack).IDEMPOTENCY_KEY_PREFIX).toBe('Shop/Payments');
  });

  test('nested constructs use the whole path; a "#" in an id is replaced', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    new IdempotentFunction(new Construct(stack, 'Billing#EU'), 'Payments');
    expect(functionEnv(stack).IDEMPOTENCY_KEY_PREFIX).toBe('Shop/Billing_EU/Payments');
  });

  test('a given prefix is passed as is; a token is accepted', () => {
    expect(functionEnv(idempotent({ keyPrefix: 'payments-v1' }).stack).IDEMPOTENCY_KEY_PREFIX).toBe('payments-v1');
    const stack = new Stack(createTestApp(), 'Tok');
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new IdempotentFunction(stack, 'Payments', { keyPrefix: prefix });
    expect(functionEnv(stack).IDEMPOTENCY_KEY_PREFIX).toEqual({ Ref: 'Prefix' });
  });

  test.each([
    ['', /invalid `keyPrefix` \(got ""\)\. Give a non-empty prefix such as "payments-v1", or leave it unset for the construct path \("Shop\/Payments"\)/],
    ['   ', /invalid `keyPrefix` \(got " {3}"\)\. Give a non-empty prefix/],
    ['payments#v1', /invalid `keyPrefix` \(got "payments#v1"\)\. It contains "#", which separates the prefix from the hash in every key; use e\.g\. "payments-v1"/],
    [' payments', /invalid `keyPrefix` \(got " payments"\)\. Powertools trims the prefix, so the keys would not match it; use "payments"/],
  ])('keyPrefix %j is rejected at synth', (keyPrefix, message) => {
    expect(() => idempotent({ keyPrefix })).toThrow(message);
  });

  test('the SqsBatchConsumer: path by default, idempotency.keyPrefix when given, "#" rejected', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    new SqsBatchConsumer(stack, 'Orders', { idempotency: {} });
    expect(functionEnv(stack).IDEMPOTENCY_KEY_PREFIX).toBe('Shop/Orders');
    const given = new Stack(createTestApp(), 'Shop');
    new SqsBatchConsumer(given, 'Orders', { idempotency: { keyPrefix: 'orders' } });
    expect(functionEnv(given).IDEMPOTENCY_KEY_PREFIX).toBe('orders');
    expect(() => new SqsBatchConsumer(new Stack(createTestApp(), 'Bad'), 'Orders', { idempotency: { keyPrefix: 'a#b' } })).toThrow(
      /SqsBatchConsumer Bad\/Orders: invalid `idempotency\.keyPrefix` \(got "a#b"\)\. It contains "#"/,
    );
    expect(() => new SqsBatchConsumer(new Stack(createTestApp(), 'Bad'), 'Orders', { idempotency: { keyPrefix: '' } })).toThrow(/invalid `idempotency\.keyPrefix` \(got ""\)/);
  });

  test('a consumer without idempotency gets no prefix', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    new SqsBatchConsumer(stack, 'Orders');
    expect(functionEnv(stack).IDEMPOTENCY_KEY_PREFIX).toBeUndefined();
  });

  test('the environment cannot override it', () => {
    expect(() => idempotent({ environment: { IDEMPOTENCY_KEY_PREFIX: 'x' } })).toThrow(/environment\.IDEMPOTENCY_KEY_PREFIX/);
  });
});

describe('replayMarker', () => {
  test('off by default', () => {
    const env = functionEnv(idempotent().stack);
    expect(env.IDEMPOTENCY_REPLAY_FIELD).toBeUndefined();
    expect(env.IDEMPOTENCY_REPLAY_HEADER).toBeUndefined();
  });

  test('a field or a header, as the variable the template reads', () => {
    expect(functionEnv(idempotent({ replayMarker: ReplayMarker.field('replayed') }).stack)).toEqual(expect.objectContaining({ IDEMPOTENCY_REPLAY_FIELD: 'replayed' }));
    const header = functionEnv(idempotent({ replayMarker: ReplayMarker.header('Idempotent-Replayed') }).stack);
    expect(header).toEqual(expect.objectContaining({ IDEMPOTENCY_REPLAY_HEADER: 'Idempotent-Replayed' }));
    expect(header.IDEMPOTENCY_REPLAY_FIELD).toBeUndefined();
    expect(ReplayMarker.header('X-Replayed').kind).toBe('header');
    expect(ReplayMarker.field('replayed').name).toBe('replayed');
  });

  test.each([
    [ReplayMarker.field(''), /invalid `replayMarker` \(got "ReplayMarker\.field\(\\"\\"\)"\)\. Name the field, e\.g\. ReplayMarker\.field\('replayed'\)/],
    [ReplayMarker.header('Idempotent Replayed'), /invalid `replayMarker` \(got "ReplayMarker\.header\(\\"Idempotent Replayed\\"\)"\)\. A header name is an HTTP token/],
    [ReplayMarker.header('x:y'), /A header name is an HTTP token/],
  ])('a bad marker is rejected at synth (%#)', (replayMarker, message) => {
    expect(() => idempotent({ replayMarker })).toThrow(message);
  });
});

describe('tableAttributes', () => {
  test('an existing table with other names: only the differing names reach the environment', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    new IdempotentFunction(stack, 'Payments', { table: legacyTable(stack), tableAttributes: { key: 'pk', expiry: 'ttl', status: 'state', data: 'data' } });
    const env = functionEnv(stack);
    expect(env).toEqual(expect.objectContaining({ IDEMPOTENCY_KEY_ATTR: 'pk', IDEMPOTENCY_EXPIRY_ATTR: 'ttl', IDEMPOTENCY_STATUS_ATTR: 'state' }));
    expect(Object.keys(env).filter((k) => k.endsWith('_ATTR')).sort()).toEqual(['IDEMPOTENCY_EXPIRY_ATTR', 'IDEMPOTENCY_KEY_ATTR', 'IDEMPOTENCY_STATUS_ATTR']);
  });

  test('the default names leave the environment unchanged', () => {
    const env = functionEnv(idempotent({ tableAttributes: { key: 'id', expiry: 'expiration' } }).stack);
    expect(Object.keys(env).filter((k) => k.endsWith('_ATTR'))).toEqual([]);
  });

  test('a partition key other than the key attribute fails, naming the fix', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    expect(() => new IdempotentFunction(stack, 'Payments', { table: legacyTable(stack), tableAttributes: { expiry: 'ttl' } })).toThrow(
      /IdempotentFunction Shop\/Payments: invalid `table` \(got "Shop\/Legacy"\)\. Its partition key is pk \(S\), but Powertools idempotency needs a single String partition key named "id"; set tableAttributes: \{ key: 'pk' \}, or use an IdempotencyTable\./,
    );
  });

  test('a TTL on another attribute than the expiry fails; no TTL warns', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    expect(() => new IdempotentFunction(stack, 'Payments', { table: legacyTable(stack), tableAttributes: { key: 'pk' } })).toThrow(
      /invalid `table` \(got "Shop\/Legacy"\)\. Its TTL attribute is "ttl", but Powertools writes the record expiry to "expiration", so expired records would never be deleted; set tableAttributes: \{ expiry: 'ttl' \}/,
    );
    const noTtl = new Stack(createTestApp(), 'NoTtl');
    new IdempotentFunction(noTtl, 'Payments', { table: legacyTable(noTtl, null), tableAttributes: { key: 'pk' } });
    Annotations.fromStack(noTtl).hasWarning('/NoTtl/Legacy', Match.stringLikeRegexp('the idempotency table has no TTL, so DynamoDB never deletes expired records; turn on TTL on "expiration"'));
  });

  test('a TableV2 is checked the same way', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    const table = new dynamodb.TableV2(stack, 'Global', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'ttl' });
    new IdempotentFunction(stack, 'Payments', { table, tableAttributes: { key: 'pk', expiry: 'ttl' } });
    expect(functionEnv(stack)).toEqual(expect.objectContaining({ IDEMPOTENCY_KEY_ATTR: 'pk', IDEMPOTENCY_EXPIRY_ATTR: 'ttl' }));
    const wrong = new Stack(createTestApp(), 'Wrong');
    const other = new dynamodb.TableV2(wrong, 'Global', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'ttl' });
    expect(() => new IdempotentFunction(wrong, 'Payments', { table: other, tableAttributes: { key: 'pk', expiry: 'expires_at' } })).toThrow(/Its TTL attribute is "ttl"/);
  });

  test('an imported table cannot be checked: the names are taken as given', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    const table = dynamodb.Table.fromTableName(stack, 'Imported', 'legacy-idempotency');
    new IdempotentFunction(stack, 'Payments', { table, tableAttributes: { key: 'pk', expiry: 'ttl' } });
    expect(functionEnv(stack)).toEqual(expect.objectContaining({ IDEMPOTENCY_KEY_ATTR: 'pk', IDEMPOTENCY_EXPIRY_ATTR: 'ttl' }));
  });

  test.each([
    [{ status: 'data' }, /invalid `tableAttributes\.data` \(got "data"\)\. "data" is already the status attribute; every record attribute needs its own name/],
    [{ key: 'a b' }, /invalid `tableAttributes\.key` \(got "a b"\)\. Use 1-255 letters, digits/],
    [{ validation: '' }, /invalid `tableAttributes\.validation` \(got ""\)/],
  ])('bad names are rejected (%j)', (tableAttributes, message) => {
    expect(() => idempotent({ table: dynamodb.Table.fromTableName(new Stack(createTestApp(), 'X'), 'T', 't'), tableAttributes })).toThrow(message);
  });

  test('a sort key may not reuse a record attribute name', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    const shared = new IdempotencyTable(stack, 'Shared', { sortKeyName: 'state' });
    expect(() => new IdempotentFunction(stack, 'Payments', { table: shared.table, staticPartitionKeyValue: 'p', tableAttributes: { status: 'state' } })).toThrow(
      /invalid `tableAttributes` .*The table's sort key "state" would also be a record attribute/,
    );
  });

  test('the SqsBatchConsumer takes idempotency.tableAttributes, checked against its table', () => {
    const stack = new Stack(createTestApp(), 'Shop');
    new SqsBatchConsumer(stack, 'Orders', { idempotency: { table: legacyTable(stack), tableAttributes: { key: 'pk', expiry: 'ttl' } } });
    expect(functionEnv(stack)).toEqual(expect.objectContaining({ IDEMPOTENCY_KEY_ATTR: 'pk', IDEMPOTENCY_EXPIRY_ATTR: 'ttl' }));
    const bad = new Stack(createTestApp(), 'Bad');
    expect(() => new SqsBatchConsumer(bad, 'Orders', { idempotency: { table: legacyTable(bad) } })).toThrow(
      /invalid `idempotency\.table` \(got "Bad\/Legacy"\)\. .*set idempotency\.tableAttributes: \{ key: 'pk' \}/,
    );
  });

  test('nag-clean with every idempotency option', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Nag');
    new IdempotentFunction(stack, 'Payments', {
      table: legacyTable(stack),
      tableAttributes: { key: 'pk', expiry: 'ttl', inProgressExpiry: 'lease', status: 'state', data: 'result', validation: 'hash' },
      keyPrefix: 'payments',
      replayMarker: ReplayMarker.header('Idempotent-Replayed'),
    });
    expectNagClean(app);
  });
});
