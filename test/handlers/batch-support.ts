import type { SQSRecord } from 'aws-lambda';

/** An SQS record as the Lambda ESM delivers it. */
export function sqsRecord(
  messageId: string,
  body: string,
  options: { attributes?: { [name: string]: string }; groupId?: string; receiveCount?: number } = {},
): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    messageAttributes[name] = { stringValue: value, dataType: 'String', stringListValues: [], binaryListValues: [] };
  }
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1700000000000',
      SenderId: 'TEST',
      ApproximateFirstReceiveTimestamp: '1700000000001',
      ...(options.groupId ? { MessageGroupId: options.groupId, MessageDeduplicationId: messageId, SequenceNumber: '1' } : {}),
    } as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:orders${options.groupId ? '.fifo' : ''}`,
    awsRegion: 'us-east-1',
  };
}

/** The ids a partial batch response reports as failed. */
export function failedIds(response: any): string[] {
  return (response as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures.map((f) => f.itemIdentifier);
}

/**
 * Runs `fn` with stdout and stderr captured (Powertools logger and metrics write there
 * directly, not through jest's console; warnings and errors go to stderr) and returns the
 * JSON lines written.
 */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; lines: any[] }> {
  const chunks: string[] = [];
  const capture = (chunk: any) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const result = await fn();
    return { result, lines: parseJsonLines(chunks.join('')) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export function parseJsonLines(text: string): any[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Sum of an EMF metric over the captured lines. */
export function emfSum(lines: any[], metric: string): number {
  return lines.filter((l) => l._aws && metric in l).reduce((sum, l) => sum + [l[metric]].flat().reduce((a: number, b: number) => a + b, 0), 0);
}
