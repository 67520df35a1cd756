// One cold start, in a fresh node process: import the handler module, build its handler and
// run the first invocation ("init + first invocation", what a Lambda cold start pays for the
// code). With BENCH_REPEAT > 0 it then runs that many more invocations and reports RSS and
// V8's heap in use after init and after them (a leak check; run with --expose-gc so every
// reading follows a full GC). Between invocations it returns to the event loop, as Lambda's
// runtime does while it fetches the next event: back-to-back awaits never let process.nextTick
// callbacks run (a stdout write's completion is one), which made every subject look as if it
// grew by a few KB per line it logged.
// Plain CommonJS so every Node it runs on loads it the same way; the result goes to fd 3
// because templates log to stdout.
'use strict';
const { writeSync } = require('node:fs');
const { pathToFileURL } = require('node:url');

const file = process.env.BENCH_FILE;
const exportName = process.env.BENCH_EXPORT || 'handler';
const eventText = process.env.BENCH_EVENT;
const repeat = Number(process.env.BENCH_REPEAT || '0');
// Invocations after the first reading, for a second one: flat from there on is no leak.
const repeatMore = Number(process.env.BENCH_REPEAT_MORE || '0');

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

function memoryMb() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 2 ** 20, heapUsed: usage.heapUsed / 2 ** 20 };
}

const nextEvent = () => new Promise((resolve) => setImmediate(resolve));

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
    const invoke = async (from, to) => {
      for (let i = from; i <= to; i++) {
        await nextEvent();
        await handler(eventFor(i), context(i));
      }
      await nextEvent();
      return memoryMb();
    };
    const init = memoryMb();
    const after = await invoke(1, repeat);
    Object.assign(result, { rssAfterInitMb: init.rss, rssAfterRepeatMb: after.rss, heapAfterInitMb: init.heapUsed, heapAfterRepeatMb: after.heapUsed });
    if (repeatMore > 0) {
      const more = await invoke(repeat + 1, repeat + repeatMore);
      Object.assign(result, { rssAfterMoreMb: more.rss, heapAfterMoreMb: more.heapUsed });
    }
  }
  writeSync(3, JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
