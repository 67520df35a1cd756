/**
 * Correlation ids reach the user's logic on the context (so a downstream publish can carry
 * them on) and every log line of the request or record, in the bundled templates.
 */
import { restEvent } from './api-events';
import { captureStdout, sqsRecord } from './batch-support';
import { fileEnv, importTemplate, lambdaContext } from '../support/assets';

fileEnv({ POWERTOOLS_SERVICE_NAME: 'orders', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'true', STREAM_SOURCE_TYPE: 'KINESIS' });

let api: any;
let stream: any;
let batch: any;
beforeAll(async () => {
  [api, stream, batch] = await Promise.all([importTemplate('api'), importTemplate('stream'), importTemplate('batch')]);
});

describe('ObservableApi', () => {
  const seen: string[] = [];
  const handler = () =>
    api.wrapApi({
      routes: {
        'GET /orders': (request: any) => {
          seen.push(request.correlationId);
          request.logger.info('listing orders');
          return [];
        },
      },
    });
  const get = (headers: Record<string, string> = {}) => restEvent({ method: 'GET', path: '/orders', requestId: 'apigw-req-1', headers });

  beforeEach(() => seen.splice(0));

  test.each([
    ['the caller\'s x-correlation-id header continues its chain', { 'X-Correlation-Id': 'order-flow-77' }, 'order-flow-77'],
    ['without one, the API Gateway request id starts a chain', {}, 'apigw-req-1'],
    ['an id that is not a short plain token is ignored', { 'x-correlation-id': '"><script>' }, 'apigw-req-1'],
    ['an id over 128 characters is ignored', { 'x-correlation-id': 'a'.repeat(129) }, 'apigw-req-1'],
  ])('%s', async (_what, headers, expected) => {
    const { lines } = await captureStdout(() => handler()(get(headers), lambdaContext()));
    expect(seen).toEqual([expected]);
    expect(lines.find((l) => l.message === 'listing orders')).toMatchObject({ correlation_id: expected });
  });
});

describe('StreamBatchConsumer', () => {
  test('Kinesis: the payload\'s correlationId is on the context and the record\'s log lines', async () => {
    const seen: unknown[] = [];
    const handler = stream.wrapStream({
      processRecord: (_payload: unknown, context: any) => {
        seen.push(context.correlationId);
        context.logger.info('handled');
      },
    });
    const record = (n: number, data: unknown) => ({
      kinesis: { partitionKey: 'pk', sequenceNumber: `4959033827149025660855969253836157109592157598913658000${n}`, data: Buffer.from(JSON.stringify(data)).toString('base64') },
      eventSource: 'aws:kinesis',
      eventID: `shardId-000000000001:4959033827149025660855969253836157109592157598913658000${n}`,
    });
    const { lines } = await captureStdout(() => handler({ Records: [record(1, { correlationId: 'c-1', x: 1 }), record(2, { x: 2 })] }, lambdaContext()));
    expect(seen).toEqual(['c-1', undefined]);
    expect(lines.filter((l) => l.message === 'handled').map((l) => l.correlation_id)).toEqual(['c-1', undefined]);
  });

  test('DynamoDB: from the new image, else the old one', async () => {
    const seen: unknown[] = [];
    const handler = stream.createStreamHandler({ bodyFormat: 'json', processRecord: (_c: unknown, context: any) => seen.push(context.correlationId) }, { kinesis: false });
    const record = (n: number, images: Record<string, unknown>) => ({
      eventID: `e-${n}`,
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: { SequenceNumber: String(100 + n), Keys: { id: { S: `o-${n}` } }, ...images },
    });
    await captureStdout(() =>
      handler(
        {
          Records: [
            record(1, { NewImage: { correlationId: { S: 'new-1' } }, OldImage: { correlationId: { S: 'old-1' } } }),
            record(2, { OldImage: { correlationId: { S: 'old-2' } } }),
          ],
        },
        lambdaContext(),
      ),
    );
    expect(seen).toEqual(['new-1', 'old-2']);
  });
});

test('SqsBatchConsumer: the correlationId message attribute is on the context, to set on what the logic publishes', async () => {
  const published: unknown[] = [];
  const handler = batch.wrapBatch({
    processRecord: (body: any, context: any) => {
      // What a downstream publish does with it: the same attribute on the next message.
      published.push({ body, MessageAttributes: { correlationId: { DataType: 'String', StringValue: context.correlationId } } });
    },
  });
  await captureStdout(() => handler({ Records: [sqsRecord('m-1', '{"orderId":"o-1"}', { attributes: { correlationId: 'flow-9' } })] }, lambdaContext()));
  expect(published).toEqual([{ body: { orderId: 'o-1' }, MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'flow-9' } } }]);
});
