import { benchContext, nowMs, quietly } from './events';

type BatchHandler = (event: any, context: any) => Promise<any>;

/** The batch benches measure subjects without per-record idempotency: that has its own rows. */
export function clearIdempotencyEnv(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('IDEMPOTENCY_')) delete process.env[key];
}

/**
 * One sample of `handler`'s records per second on `event`: enough invocations to process
 * >= 20 000 records (so small batches are not measured at timer resolution), after one
 * warm-up invocation on the subject's first sample. `check` rejects a wrong response, so a
 * subject cannot win by skipping work.
 */
export function recordsPerSecond(handler: BatchHandler, event: { Records: unknown[] }, check: (response: any) => void): () => Promise<number> {
  const records = event.Records.length;
  const invocations = Math.max(1, Math.ceil(20_000 / records));
  let warm = false;
  return async () =>
    quietly(async () => {
      const context = benchContext();
      if (!warm) {
        await handler(event, context);
        warm = true;
      }
      const t0 = nowMs();
      for (let i = 0; i < invocations; i++) check(await handler(event, context));
      return (records * invocations) / ((nowMs() - t0) / 1000);
    });
}
