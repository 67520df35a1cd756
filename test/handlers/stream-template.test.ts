/**
 * Runs the *bundled* stream template (assets/stream/index.mjs, what ships) against Kinesis-
 * and DynamoDB-shaped events: in-order processing that stops at the first failure (that
 * record and every later one are reported, so Lambda retries the shard from there and nothing
 * after a failure counts as done), malformed records, garbage events, decoding, structured
 * logs and EMF metrics, and the entry contract.
 */
import { captureStdout, emfSum, failedIds } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';

fileEnv({
  POWERTOOLS_SERVICE_NAME: 'clicks-consumer',
  POWERTOOLS_METRICS_NAMESPACE: 'StreamTemplateTest',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  STREAM_SOURCE_TYPE: 'KINESIS',
});

let template: any;
beforeAll(async () => {
  template = await importTemplate('stream');
});

const SHARD = 'shardId-000000000003';
const seq = (n: number) => `4959033827149025660855969253836157109592157598913658${String(n).padStart(4, '0')}`;

function kinesisRecord(n: number, data: unknown, options: { raw?: string; partitionKey?: string } = {}) {
  const text = options.raw ?? JSON.stringify(data);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? `pk-${n % 2}`,
      sequenceNumber: seq(n),
      data: Buffer.from(text, 'utf8').toString('base64'),
      approximateArrivalTimestamp: 1607497475,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${SHARD}:${seq(n)}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
  };
}

function dynamoRecord(n: number, eventName: 'INSERT' | 'MODIFY' | 'REMOVE', images: { NewImage?: any; OldImage?: any }) {
  return {
    eventID: `event-${n}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1700000000,
      Keys: { pk: { S: `order-${n}` } },
      ...images,
      SequenceNumber: `${1000 + n}00000000000000000000${n}`,
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
  };
}

/** User logic recording what it was called with; fails the payloads it is told to. */
function recordingLogic(failWhen: (payload: any) => boolean = () => false, bodyFormat?: string) {
  const calls: Array<{ payload: any; context: any }> = [];
  const mod: any = {
    processRecord: async (payload: any, context: any) => {
      calls.push({ payload, context });
      if (failWhen(payload)) throw new Error(`cannot process ${JSON.stringify(payload)}`);
      return 'ok';
    },
  };
  if (bodyFormat) mod.bodyFormat = bodyFormat;
  return { mod, calls };
}

describe('Kinesis', () => {
  test('the demo handler processes every record, reports none, and publishes processed/failed metrics', async () => {
    const event = { Records: [kinesisRecord(1, { a: 1 }), kinesisRecord(2, { a: 2 })] };
    const { result, lines } = await captureStdout(() => template.handler(event, lambdaContext()));
    expect(result).toEqual({ batchItemFailures: [] });
    const processed = lines.filter((l) => l.message === 'record processed');
    expect(processed.map((l) => l.payload)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(processed[0]).toMatchObject({ service: 'clicks-consumer', sequence_number: seq(1), shard_id: SHARD, partition_key: 'pk-1' });
    expect(emfSum(lines, 'RecordsProcessed')).toBe(2);
    expect(emfSum(lines, 'RecordsFailed')).toBe(0);
    expect(lines.find((l) => l._aws)._aws.CloudWatchMetrics[0].Namespace).toBe('StreamTemplateTest');
  });

  test('the logic gets the base64-decoded JSON and a context with sequence number, shard, partition key and event id', async () => {
    const { mod, calls } = recordingLogic();
    const handler = template.wrapStream(mod);
    await captureStdout(() => handler({ Records: [kinesisRecord(7, { clicked: 'buy' }, { partitionKey: 'user-9' })] }, lambdaContext()));
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({ clicked: 'buy' });
    expect(calls[0].context).toMatchObject({ sequenceNumber: seq(7), shardId: SHARD, partitionKey: 'user-9', eventId: `${SHARD}:${seq(7)}` });
    expect(calls[0].context.record.kinesis.sequenceNumber).toBe(seq(7));
  });

  test('bodyFormat "text" passes the decoded UTF-8 string', async () => {
    const { mod, calls } = recordingLogic(() => false, 'text');
    await captureStdout(() => template.wrapStream(mod)({ Records: [kinesisRecord(1, null, { raw: 'héllo, not json' })] }));
    expect(calls[0].payload).toBe('héllo, not json');
  });

  test('a failure in the middle: that record and every later one are reported, the later ones never run, earlier ones count as processed', async () => {
    const { mod, calls } = recordingLogic((p) => p.n === 3);
    const records = [1, 2, 3, 4, 5].map((n) => kinesisRecord(n, { n }));
    const { result, lines } = await captureStdout(() => template.wrapStream(mod)({ Records: records }, lambdaContext()));
    // Lambda checkpoints at the lowest reported sequence number (3): 1-2 are done, 3-5 are retried.
    expect(failedIds(result)).toEqual([seq(3), seq(4), seq(5)]);
    expect(calls.map((c) => c.payload.n)).toEqual([1, 2, 3]);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(2);
    expect(emfSum(lines, 'RecordsFailed')).toBe(3);
    const warning = lines.find((l) => l.message === 'record failed; Lambda retries the shard from this record');
    expect(warning).toMatchObject({ level: 'WARN', sequence_number: seq(3), shard_id: SHARD, error: { name: 'Error' } });
  });

  test('the first record failing reports the whole batch, never an empty response', async () => {
    const { mod } = recordingLogic((p) => p.n === 1);
    const { result } = await captureStdout(() => template.wrapStream(mod)({ Records: [1, 2, 3].map((n) => kinesisRecord(n, { n })) }));
    expect(failedIds(result)).toEqual([seq(1), seq(2), seq(3)]);
  });

  test('a failing last record reports only itself', async () => {
    const { mod } = recordingLogic((p) => p.n === 3);
    const { result, lines } = await captureStdout(() => template.wrapStream(mod)({ Records: [1, 2, 3].map((n) => kinesisRecord(n, { n })) }));
    expect(failedIds(result)).toEqual([seq(3)]);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(2);
  });

  test('a bad record (data that is not JSON) fails like a rejected record: reported with everything after it, never as success', async () => {
    const { mod, calls } = recordingLogic();
    const records = [kinesisRecord(1, { n: 1 }), kinesisRecord(2, null, { raw: '{"n": 2,' }), kinesisRecord(3, { n: 3 })];
    const { result, lines } = await captureStdout(() => template.wrapStream(mod)({ Records: records }));
    expect(failedIds(result)).toEqual([seq(2), seq(3)]);
    expect(calls.map((c) => c.payload.n)).toEqual([1]);
    expect(lines.find((l) => l.level === 'WARN')).toMatchObject({ sequence_number: seq(2), error: { name: 'MalformedRecordError' } });
  });

  test('a non-Error throw fails the record too', async () => {
    const handler = template.wrapStream({
      processRecord: () => {
        throw 'plain string'; // eslint-disable-line no-throw-literal
      },
    });
    const { result } = await captureStdout(() => handler({ Records: [kinesisRecord(1, {})] }));
    expect(failedIds(result)).toEqual([seq(1)]);
  });

  test('records of a batch run one at a time, in order', async () => {
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const handler = template.wrapStream({
      processRecord: async (p: any) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 2));
        order.push(p.n);
        running--;
      },
    });
    await captureStdout(() => handler({ Records: [1, 2, 3, 4].map((n) => kinesisRecord(n, { n })) }));
    expect(order).toEqual([1, 2, 3, 4]);
    expect(maxRunning).toBe(1);
  });

  test.each([
    ['no event', undefined],
    ['no Records', { foo: 1 }],
    ['Records not an array', { Records: 'x' }],
    ['an SQS record', { Records: [{ messageId: 'm', body: '{}', eventSource: 'aws:sqs' }] }],
    ['a DynamoDB record in a Kinesis function', { Records: [dynamoRecord(1, 'INSERT', {})] }],
    ['a Kinesis record without a sequence number', { Records: [{ ...kinesisRecord(1, {}), kinesis: { data: 'e30=' } }] }],
  ])('a garbage event (%s) throws, so nothing is checkpointed', async (_name, event) => {
    const { mod, calls } = recordingLogic();
    await expect(captureStdout(() => template.wrapStream(mod)(event))).rejects.toThrow(/StreamBatchConsumer: /);
    expect(calls).toHaveLength(0);
  });

  test('an empty batch reports nothing', async () => {
    const { result } = await captureStdout(() => template.handler({ Records: [] }));
    expect(result).toEqual({ batchItemFailures: [] });
  });

  test('an entry without processRecord fails at wrap time with the contract', () => {
    expect(() => template.wrapStream({ handler: () => 1 })).toThrow(/StreamBatchConsumer entry: the module must export a function "processRecord"/);
    expect(() => template.wrapStream({ processRecord: () => 1, bodyFormat: 'xml' })).toThrow(/"bodyFormat" must be "json" or "text"/);
  });

  test('settings: STREAM_SOURCE_TYPE must be KINESIS or DYNAMODB', () => {
    expect(template.readSettings({ STREAM_SOURCE_TYPE: 'DYNAMODB' })).toEqual({ kinesis: false });
    expect(template.readSettings({})).toEqual({ kinesis: true });
    expect(() => template.readSettings({ STREAM_SOURCE_TYPE: 'SQS' })).toThrow(/STREAM_SOURCE_TYPE must be one of KINESIS, DYNAMODB, got "SQS"/);
  });
});

describe('tumbling windows', () => {
  const windowed = (records: any[], state: any) => ({ Records: records, window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' }, state, shardId: SHARD, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false });

  test('a windowed invocation returns the state it received (Lambda fails a windowed response without state)', async () => {
    const { mod } = recordingLogic((p) => p.n === 2);
    const { result } = await captureStdout(() => template.wrapStream(mod)(windowed([1, 2, 3].map((n) => kinesisRecord(n, { n })), { clicks: 282 })));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: seq(2) }, { itemIdentifier: seq(3) }], state: { clicks: 282 } });
  });

  test('the first invocation of a window has no state yet: an empty state is returned', async () => {
    const { mod } = recordingLogic();
    const { result } = await captureStdout(() => template.wrapStream(mod)(windowed([kinesisRecord(1, { n: 1 })], undefined)));
    expect(result).toEqual({ batchItemFailures: [], state: {} });
  });

  test('an unwindowed invocation has no state property', async () => {
    const { result } = await captureStdout(() => template.wrapStream(recordingLogic().mod)({ Records: [kinesisRecord(1, { n: 1 })] }));
    expect(Object.keys(result as object)).toEqual(['batchItemFailures']);
  });
});

describe('settings: per-record idempotency', () => {
  test('off without a table; on with the event id as the default key', () => {
    expect(template.readSettings({ STREAM_SOURCE_TYPE: 'KINESIS' }).idempotency).toBeUndefined();
    expect(template.readSettings({ IDEMPOTENCY_TABLE_NAME: 't' })).toEqual({ kinesis: true, idempotency: { tableName: 't', keyJmesPath: 'eventId', expiresAfterSeconds: 3600 } });
    expect(template.readSettings({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_EVENT_KEY_JMESPATH: 'payload | orderId', IDEMPOTENCY_EXPIRES_AFTER_SECONDS: '86400' }).idempotency)
      .toEqual({ tableName: 't', keyJmesPath: 'payload | orderId', expiresAfterSeconds: 86400 });
    expect(() => template.readSettings({ IDEMPOTENCY_TABLE_NAME: 't', IDEMPOTENCY_SORT_KEY_ATTR: 'sk' })).toThrow(/IDEMPOTENCY_STATIC_PK_VALUE/);
  });
});

describe('DynamoDB Streams', () => {
  // The function's settings as the construct writes them for a DynamoDB source.
  const handlerFor = (mod: any) => template.createStreamHandler({ processRecord: mod.processRecord, bodyFormat: 'json' }, { kinesis: false });

  test('the logic gets eventName, keys and the unmarshalled images', async () => {
    const { mod, calls } = recordingLogic();
    const records = [
      dynamoRecord(1, 'INSERT', {
        NewImage: {
          pk: { S: 'order-1' },
          total: { N: '12.5' },
          big: { N: '12345678901234567890' },
          paid: { BOOL: true },
          note: { NULL: true },
          tags: { SS: ['a', 'b'] },
          sizes: { NS: ['1', '2'] },
          items: { L: [{ M: { sku: { S: 'x' }, qty: { N: '2' } } }] },
          blob: { B: Buffer.from('hi').toString('base64') },
        },
      }),
      dynamoRecord(2, 'MODIFY', { NewImage: { pk: { S: 'order-2' }, v: { N: '2' } }, OldImage: { pk: { S: 'order-2' }, v: { N: '1' } } }),
      dynamoRecord(3, 'REMOVE', { OldImage: { pk: { S: 'order-3' } } }),
      dynamoRecord(4, 'REMOVE', {}),
    ];
    const { result, lines } = await captureStdout(() => handlerFor(mod)({ Records: records }, lambdaContext()));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(calls[0].payload).toEqual({
      eventName: 'INSERT',
      keys: { pk: 'order-1' },
      newImage: {
        pk: 'order-1',
        total: 12.5,
        big: '12345678901234567890',
        paid: true,
        note: null,
        tags: ['a', 'b'],
        sizes: [1, 2],
        items: [{ sku: 'x', qty: 2 }],
        blob: Buffer.from('hi'),
      },
    });
    expect(calls[1].payload).toEqual({ eventName: 'MODIFY', keys: { pk: 'order-2' }, newImage: { pk: 'order-2', v: 2 }, oldImage: { pk: 'order-2', v: 1 } });
    expect(calls[2].payload).toEqual({ eventName: 'REMOVE', keys: { pk: 'order-3' }, oldImage: { pk: 'order-3' } });
    // KEYS_ONLY: only the keys.
    expect(calls[3].payload).toEqual({ eventName: 'REMOVE', keys: { pk: 'order-4' } });
    expect(calls[0].context).toMatchObject({ sequenceNumber: records[0].dynamodb.SequenceNumber, eventId: 'event-1' });
    expect(emfSum(lines, 'RecordsProcessed')).toBe(4);
  });

  test('a failure in the middle reports that record and every later one by SequenceNumber', async () => {
    const { mod, calls } = recordingLogic((p) => p.keys.pk === 'order-2');
    const records = [1, 2, 3].map((n) => dynamoRecord(n, 'INSERT', { NewImage: { pk: { S: `order-${n}` } } }));
    const { result, lines } = await captureStdout(() => handlerFor(mod)({ Records: records }));
    expect(failedIds(result)).toEqual([records[1].dynamodb.SequenceNumber, records[2].dynamodb.SequenceNumber]);
    expect(calls).toHaveLength(2);
    expect(emfSum(lines, 'RecordsProcessed')).toBe(1);
    expect(emfSum(lines, 'RecordsFailed')).toBe(2);
    expect(lines.find((l) => l.level === 'WARN')).toMatchObject({ sequence_number: records[1].dynamodb.SequenceNumber, event_id: 'event-2' });
  });

  test('a bad record (an unknown attribute type) fails with everything after it', async () => {
    const { mod } = recordingLogic();
    const records = [
      dynamoRecord(1, 'INSERT', { NewImage: { pk: { S: 'order-1' } } }),
      dynamoRecord(2, 'INSERT', { NewImage: { pk: { WAT: 'x' } } }),
      dynamoRecord(3, 'INSERT', { NewImage: { pk: { S: 'order-3' } } }),
    ];
    const { result, lines } = await captureStdout(() => handlerFor(mod)({ Records: records }));
    expect(failedIds(result)).toEqual([records[1].dynamodb.SequenceNumber, records[2].dynamodb.SequenceNumber]);
    expect(lines.find((l) => l.level === 'WARN')).toMatchObject({ error: { name: 'MalformedRecordError' } });
  });

  test('a Kinesis record in a DynamoDB function is a garbage event', async () => {
    await expect(captureStdout(() => handlerFor(recordingLogic().mod)({ Records: [kinesisRecord(1, {})] }))).rejects.toThrow(/not an aws:dynamodb record/);
  });
});
