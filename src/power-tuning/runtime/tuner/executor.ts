import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { LambdaSender, realSleep, Sleep } from './function-config';
import { failureReason, functionErrorOf, invokeWithRetry, InvokeDeps, isTimeout, reportOf, SkipPowerValue } from './invocation';
import { loadPayloads, Payloads, S3Sender } from './payloads';
import { PowerTarget, TunedFunctionFacts } from './plan';
import { MeasuredPowerValue, PowerValueResult } from '../../contract/analyzer';
import { costFigures, invocationsCost, lambdaPrices, trimmedMean } from '../../contract/cost-model';
import { InvocationReport } from '../../contract/report-line';
import { ADAPTIVE_DEFAULTS, nextRound, Sample } from '../../contract/sampling';
import type { RunConfig } from '../../contract/tuning-input';

export interface ExecutorDeps {
  readonly lambda: LambdaSender;
  /** Reads a payloadS3 object; a client is created on first use when absent. */
  readonly s3?: S3Sender;
  readonly sleep?: Sleep;
  /** Jitter of throttling retries, in [0, 1). */
  readonly random?: () => number;
}

/** One Map iteration's input: one power value. */
export interface ExecutorEvent {
  readonly target: PowerTarget;
  readonly config: RunConfig;
  readonly function: TunedFunctionFacts;
}

/** Every power value in one call: what adaptive sampling needs to compare values with each other. */
export interface SweepEvent {
  readonly targets: PowerTarget[];
  readonly config: RunConfig;
  readonly function: TunedFunctionFacts;
}

type RemainingTime = Pick<Context, 'getRemainingTimeInMillis'>;

/** Time kept back for computing and returning the result. */
const SAFETY_MARGIN_MS = 5_000;

/**
 * Invokes one power value's alias `num` times (serially or in parallel) with tail logs,
 * reads each REPORT record, and returns the value's cost and duration figures. Around
 * each invocation it calls the pre- and post-processor when set. A failed or timed-out
 * invocation (unless its error type is allowed), or too little time left, skips the value
 * with the reason and what its invocations cost; a throttled invocation is retried on its
 * own with backoff. Other API errors are thrown so the state machine retries them.
 */
export function createExecutor(deps: ExecutorDeps): (event: ExecutorEvent, context?: RemainingTime) => Promise<PowerValueResult> {
  return async (event, context) => {
    const { target, config, function: fn } = event;
    const run = new ValueRun(deps, config, fn, context, target);
    return run.measure(await loadPayloads(config, deps.s3));
  };
}

/**
 * Measures every power value in one call, round-robin: with `sampling: adaptive`, a value
 * stops once its interval separates it from the best candidate (see contract/sampling);
 * with fixed sampling every value gets `num` invocations, as `createExecutor` gives them.
 */
export function createSweepExecutor(deps: ExecutorDeps): (event: SweepEvent, context?: RemainingTime) => Promise<PowerValueResult[]> {
  return async (event, context) => {
    const { targets, config, function: fn } = event;
    const payloads = await loadPayloads(config, deps.s3);
    const runs = new Map(targets.map((t) => [t.powerMb, new ValueRun(deps, config, fn, context, t)]));
    const done = new Map<number, PowerValueResult>();
    const stoppedEarly = new Map<number, string>();
    const sampler = {
      num: invocationCount(config, payloads),
      minInvocations: config.sampling?.minInvocations ?? ADAPTIVE_DEFAULTS.minInvocations,
      confidence: config.sampling?.confidence ?? ADAPTIVE_DEFAULTS.confidence,
      discardTopBottom: config.discardTopBottom,
      strategy: config.strategy,
      balancedWeight: config.balancedWeight,
      prices: lambdaPrices(fn.region, fn.architecture, config.includeRequestCost),
      onlyColdStarts: config.onlyColdStarts,
    };
    const adaptive = config.sampling?.mode === 'adaptive' && !config.dryRun;
    for (;;) {
      const open = [...runs.entries()].filter(([mb]) => !done.has(mb));
      let next: number[];
      if (adaptive) {
        const decision = nextRound(new Map(open.map(([mb, r]) => [mb, r.samples()])), sampler);
        for (const [mb, why] of Object.entries(decision.stopped)) stoppedEarly.set(Number(mb), why);
        next = decision.next;
      } else {
        next = open.filter(([, r]) => r.count < sampler.num).map(([mb]) => mb);
      }
      if (next.length === 0) break;
      const step = async (mb: number) => {
        const skipped = await runs.get(mb)!.step(payloads, sampler.num);
        if (skipped) done.set(mb, skipped);
      };
      if (config.parallelInvocation) {
        await Promise.all(next.map(step));
      } else {
        for (const mb of next) await step(mb);
      }
    }
    return targets.map((t) => done.get(t.powerMb) ?? runs.get(t.powerMb)!.result(stoppedEarly.get(t.powerMb)));
  };
}

/**
 * The executor task: one power value (the Map iteration's `{ target }`), or every value
 * at once (`{ targets }`, the adaptive branch of the state machine).
 */
export function createExecutorTask(
  deps: ExecutorDeps,
): (event: ExecutorEvent | SweepEvent, context?: RemainingTime) => Promise<PowerValueResult | PowerValueResult[]> {
  const one = createExecutor(deps);
  const all = createSweepExecutor(deps);
  return (event, context) => ('targets' in event ? all(event, context) : one(event, context));
}

/** A dry run invokes each payload once; otherwise `num`. */
function invocationCount(config: RunConfig, payloads: Payloads): number {
  return config.dryRun ? payloads.count : config.num;
}

/** The invocations of one power value and their REPORT records. */
class ValueRun {
  private readonly reports: InvocationReport[] = [];
  private allowedErrors = 0;
  private readonly invokeDeps: InvokeDeps;

  constructor(
    deps: ExecutorDeps,
    private readonly config: RunConfig,
    private readonly fn: TunedFunctionFacts,
    private readonly context: RemainingTime | undefined,
    private readonly target: PowerTarget,
  ) {
    this.invokeDeps = {
      lambda: deps.lambda,
      sleep: deps.sleep ?? realSleep,
      random: deps.random ?? Math.random,
      remainingMs: () => context?.getRemainingTimeInMillis?.(),
    };
  }

  get count(): number {
    return this.reports.length;
  }

  samples(): Sample[] {
    return this.reports.map((r) => ({ billedDurationMs: r.billedDurationMs, durationMs: r.durationMs, initDurationMs: r.initDurationMs }));
  }

  /** All `num` invocations, serially or in parallel; the value's result. */
  async measure(payloads: Payloads): Promise<PowerValueResult> {
    const total = invocationCount(this.config, payloads);
    try {
      if (this.config.parallelInvocation) {
        const settled = await Promise.allSettled(Array.from({ length: total }, (_, i) => this.invocation(i, payloads)));
        // Keep what the others measured: they were billed even when one failed.
        for (const s of settled) if (s.status === 'fulfilled') this.reports.push(s.value);
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
      } else {
        for (let i = 0; i < total; i++) {
          this.checkTime(i, total);
          this.reports.push(await this.invocation(i, payloads));
          if (this.config.sleepBetweenRunsMs > 0 && i < total - 1) await this.invokeDeps.sleep(this.config.sleepBetweenRunsMs);
        }
      }
    } catch (err) {
      if (err instanceof SkipPowerValue) return this.skipped(err);
      throw err;
    }
    return this.result();
  }

  /** One more invocation (for the sweep); the skipped result when the value must stop. */
  async step(payloads: Payloads, total: number): Promise<PowerValueResult | undefined> {
    const i = this.reports.length;
    try {
      this.checkTime(i, total);
      this.reports.push(await this.invocation(i, payloads));
      if (this.config.sleepBetweenRunsMs > 0) await this.invokeDeps.sleep(this.config.sleepBetweenRunsMs);
      return undefined;
    } catch (err) {
      if (err instanceof SkipPowerValue) return this.skipped(err);
      throw err;
    }
  }

  result(stoppedEarly?: string): MeasuredPowerValue {
    const { config, fn, target, reports } = this;
    const prices = lambdaPrices(fn.region, fn.architecture, config.includeRequestCost);
    const cold = reports.filter((r) => r.initDurationMs !== undefined);
    const init = cold.map((r) => r.initDurationMs!);
    return {
      status: 'measured',
      powerMb: target.powerMb,
      invocations: reports.length,
      coldStarts: cold.length,
      ...costFigures(
        prices,
        target.powerMb,
        reports.map((r) => r.billedDurationMs),
        reports.map((r) => r.durationMs),
        config.discardTopBottom,
      ),
      ...(init.length > 0 ? { averageInitDurationMs: trimmedMean(init, config.discardTopBottom) } : {}),
      ...(config.onlyColdStarts
        ? { averageColdStartDurationMs: trimmedMean(reports.map((r) => r.durationMs + (r.initDurationMs ?? 0)), config.discardTopBottom) }
        : {}),
      ...(this.allowedErrors > 0 ? { allowedErrors: this.allowedErrors } : {}),
      ...(stoppedEarly ? { stoppedEarly } : {}),
    };
  }

  private skipped(err: SkipPowerValue): PowerValueResult {
    const billed = [...this.reports, ...(err.spent ? [err.spent] : [])].map((r) => r.billedDurationMs);
    const prices = lambdaPrices(this.fn.region, this.fn.architecture, this.config.includeRequestCost);
    return {
      status: 'skipped',
      powerMb: this.target.powerMb,
      reason: err.message,
      invocations: billed.length,
      totalCost: invocationsCost(prices, this.target.powerMb, billed),
    };
  }

  private checkTime(i: number, total: number): void {
    const remaining = this.context?.getRemainingTimeInMillis?.();
    if (remaining !== undefined && remaining < this.fn.timeoutMs + SAFETY_MARGIN_MS) {
      throw new SkipPowerValue(`only ${i} of ${total} invocations fit in the executor's 15 minutes; lower num or the function timeout`);
    }
  }

  /** Pre-processor, the measured invocation, post-processor. */
  private async invocation(i: number, payloads: Payloads): Promise<InvocationReport> {
    const { config, fn, target } = this;
    let payload = payloads.forInvocation(i);
    if (config.preProcessor) {
      const out = await this.processor(config.preProcessor, 'preProcessor', payload);
      // A non-empty result replaces the payload, as AWS Lambda Power Tuning's pre-processor does.
      if (out && out.length > 0 && new TextDecoder().decode(out).trim() !== 'null') payload = out;
    }
    const alias = target.aliases[config.onlyColdStarts ? i % target.aliases.length : 0];
    const out = await invokeWithRetry(
      this.invokeDeps,
      new InvokeCommand({ FunctionName: fn.name, Qualifier: alias, Payload: payload, LogType: 'Tail' }),
      `invocation ${i + 1} of ${alias}`,
    );
    const report = reportOf(out);
    if (out.FunctionError) {
      const allowed = !isTimeout(out, report) && (config.allowedExceptions ?? []).includes(functionErrorOf(out).type);
      if (!allowed) throw new SkipPowerValue(failureReason(out, report), report);
      this.allowedErrors++;
    }
    if (!report) throw new SkipPowerValue('the tail log had no REPORT record, so the duration is unknown');
    if (config.postProcessor) {
      // The invocation was billed whatever the post-processor does.
      try {
        await this.processor(config.postProcessor, 'postProcessor', out.Payload ?? new Uint8Array());
      } catch (err) {
        if (err instanceof SkipPowerValue) throw new SkipPowerValue(err.message, report);
        throw err;
      }
    }
    return report;
  }

  private async processor(name: string, role: string, payload: Uint8Array): Promise<Uint8Array | undefined> {
    const out = await invokeWithRetry(this.invokeDeps, new InvokeCommand({ FunctionName: name, Payload: payload }), role);
    if (out.FunctionError) throw new SkipPowerValue(failureReason(out, undefined, `${role} failed`));
    return out.Payload;
  }
}
