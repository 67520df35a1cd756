// Anchor: the power-tuning executor written the usual way: the Lambda client invoked with
// tail logs and the REPORT line parsed, bundled as NodejsFunction does by default.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const lambda = new LambdaClient({});

export const handler = async (event: { functionName: string; alias: string; num: number; payload?: unknown }) => {
  const results: { billedMs: number; durationMs: number }[] = [];
  for (let i = 0; i < event.num; i++) {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: event.functionName, Qualifier: event.alias, LogType: 'Tail', Payload: JSON.stringify(event.payload ?? {}) }),
    );
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    const billed = /Billed Duration: ([\d.]+) ms/.exec(log);
    const duration = /\tDuration: ([\d.]+) ms/.exec(log);
    results.push({ billedMs: Number(billed?.[1] ?? NaN), durationMs: Number(duration?.[1] ?? NaN) });
  }
  return results;
};
