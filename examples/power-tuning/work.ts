/**
 * Business logic for a PowerTunedFunction, bundled with the template by
 * `HandlerCode.fromEntry('examples/power-tuning/work.ts')`. The template adds Powertools
 * logging and metrics; this module only exports `handle(event, context)`.
 *
 * The work is CPU-bound (sorting a generated list), so its duration falls as memory rises.
 */
export async function handle(event: { size?: number }): Promise<{ size: number; median: number }> {
  const size = event?.size ?? 100_000;
  if (!Number.isInteger(size) || size < 1 || size > 5_000_000) {
    // Throwing fails the invocation: the tuner marks the power value skipped with this message.
    throw new Error(`"size" must be a whole number from 1 to 5000000 (got ${JSON.stringify(event?.size)}).`);
  }
  let seed = 42;
  const values = Array.from({ length: size }, () => (seed = (seed * 16807) % 2147483647));
  values.sort((a, b) => a - b);
  return { size, median: values[Math.floor(size / 2)] };
}
