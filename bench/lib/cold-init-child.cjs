// One cold start, in a fresh node process: import the handler module, build its handler and
// run the first invocation ("init + first invocation", what a Lambda cold start pays for the
// code). With BENCH_REPEAT > 0 it then runs that many more invocations and reports RSS after
// init and after them (a leak check; run with --expose-gc so both readings follow a full GC).
// Plain CommonJS so every Node it runs on loads it the same way; the result goes to fd 3
// because templates log to stdout.
'use strict';
const { writeSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

const file = process.env.BENCH_FILE;
const exportName = process.env.BENCH_EXPORT || 'handler';
const eventText = process.env.BENCH_EVENT;
const repeat = Number(process.env.BENCH_REPEAT || '0');

function context(i) {
  return {
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '256',
    awsRequestId: `req-${i}`,
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: true,
  };
}

// `__I__` in the event becomes the invocation number, so repeated invocations are distinct events.
const eventFor = (i) => (eventText === undefined ? undefined : JSON.parse(eventText.replaceAll('__I__', String(i))));

function rssMb() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  return process.memoryUsage.rss() / 2 ** 20;
}

async function main() {
  const t0 = process.hrtime.bigint();
  const mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  const handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') throw new Error(`no ${exportName} export in ${file}`);
  const importMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (eventText !== undefined) await handler(eventFor(0), context(0));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const result = { ms, importMs };
  if (repeat > 0) {
    result.rssAfterInitMb = rssMb();
    for (let i = 1; i <= repeat; i++) await handler(eventFor(i), context(i));
    result.rssAfterRepeatMb = rssMb();
  }
  writeSync(3, JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
