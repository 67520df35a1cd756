/** SQS records shaped as Lambda delivers them. */
export function sqsEvent(count: number, failEvery = 0): { Records: any[] } {
  const Records = [];
  for (let i = 0; i < count; i++) {
    Records.push({
      messageId: `m-${i}`,
      receiptHandle: `rh-${i}`,
      body: JSON.stringify({ orderId: `o-${i}`, fail: failEvery > 0 && i % failEvery === 0 }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1700000000000',
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: '1700000000000',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench',
      awsRegion: 'us-east-1',
    });
  }
  return { Records };
}

export function benchContext(): any {
  return {
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '256',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: true,
  };
}

/** `import()` that survives compilation to CommonJS, for the ESM assets. */
export const importEsm: (file: string) => Promise<any> = new Function('f', 'return import(f)') as any;

/** Silences stdout and stderr (Powertools logs and EMF) while `fn` runs. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = (() => true) as any;
  process.stderr.write = (() => true) as any;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** An API Gateway REST (v1) proxy event as Lambda delivers it. */
export function restApiEvent(method: string, resource: string, path: string, body: unknown = null): any {
  return {
    resource,
    path,
    httpMethod: method,
    headers: { 'content-type': 'application/json', 'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000' },
    multiValueHeaders: { 'content-type': ['application/json'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      stage: 'prod',
      requestId: 'req-__I__',
      resourcePath: resource,
      httpMethod: method,
      path: `/prod${path}`,
      identity: { sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestTimeEpoch: 1700000000000,
    },
    body: body === null ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}
