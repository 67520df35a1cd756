import { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { LambdaSender, realSleep, Sleep } from './function-config';
import { PowerTarget, TunedFunctionFacts } from './plan';
import { PowerValueResult } from '../../contract/analyzer';
import { costFigures, lambdaPrices } from '../../contract/cost-model';
import { InvocationReport, parseLogResult } from '../../contract/report-line';
import type { TuningConfig } from '../../contract/tuning-input';

export interface ExecutorDeps {
  readonly lambda: LambdaSender;
  readonly sleep?: Sleep;
}

/** One Map iteration's input. */
export interface ExecutorEvent {
  readonly target: PowerTarget;
  readonly config: TuningConfig;
  readonly function: TunedFunctionFacts;
}

/** Time kept back for computing and returning the result. */
const SAFETY_MARGIN_MS = 5_000;

class SkipPowerValue extends Error {}

/**
 * Invokes one power value's alias `num` times (serially or in parallel) with tail logs,
 * reads each REPORT record, and returns the value's cost and duration figures. A failed
 * or timed-out invocation, or too little time left, skips the value with the reason;
 * throttling and API errors are thrown so the state machine retries them.
 */
export function createExecutor(deps: ExecutorDeps): (event: ExecutorEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<PowerValueResult> {
  const sleep = deps.sleep ?? realSleep;
  return async (event, context) => {
    const { target, config, function: fn } = event;
    const payload = Buffer.from(JSON.stringify(config.payload));
    const invoke = async (i: number): Promise<InvocationReport> => {
      const alias = target.aliases[config.onlyColdStarts ? i : 0];
      const out = await deps.lambda.send(
        new InvokeCommand({ FunctionName: fn.name, Qualifier: alias, Payload: payload, LogType: 'Tail' }),
      );
      const report = parseLogResult(out.LogResult);
      if (out.FunctionError) throw new SkipPowerValue(failureReason(out, report));
      if (!report) throw new SkipPowerValue('the tail log had no REPORT record, so the duration is unknown');
      return report;
    };

    let reports: InvocationReport[];
    try {
      if (config.parallelInvocation) {
        reports = await Promise.all(Array.from({ length: config.num }, (_, i) => invoke(i)));
      } else {
        reports = [];
        for (let i = 0; i < config.num; i++) {
          const remaining = context?.getRemainingTimeInMillis?.();
          if (remaining !== undefined && remaining < fn.timeoutMs + SAFETY_MARGIN_MS) {
            throw new SkipPowerValue(
              `only ${i} of ${config.num} invocations fit in the executor's 15 minutes; lower num or the function timeout`,
            );
          }
          reports.push(await invoke(i));
          if (config.sleepBetweenRunsMs > 0 && i < config.num - 1) await sleep(config.sleepBetweenRunsMs);
        }
      }
    } catch (err) {
      if (err instanceof SkipPowerValue) return { status: 'skipped', powerMb: target.powerMb, reason: err.message };
      throw err;
    }

    const prices = lambdaPrices(fn.region, fn.architecture, config.includeRequestCost);
    return {
      status: 'measured',
      powerMb: target.powerMb,
      invocations: reports.length,
      coldStarts: reports.filter((r) => r.initDurationMs !== undefined).length,
      ...costFigures(
        prices,
        target.powerMb,
        reports.map((r) => r.billedDurationMs),
        reports.map((r) => r.durationMs),
        config.discardTopBottom,
      ),
    };
  };
}

/** A short reason: "timeout: …" for timeouts, "invocation failed: type: message" otherwise. */
function failureReason(out: InvokeCommandOutput, report: InvocationReport | undefined): string {
  let errorType = out.FunctionError ?? 'Error';
  let errorMessage = '';
  try {
    const body = JSON.parse(new TextDecoder().decode(out.Payload ?? new Uint8Array()));
    errorType = body?.errorType ?? errorType;
    errorMessage = body?.errorMessage ?? '';
  } catch {
    // A payload that is not JSON still leaves FunctionError to report.
  }
  const timedOut = report?.status === 'timeout' || errorType === 'Sandbox.Timedout' || /timed out/i.test(errorMessage);
  const reason = timedOut
    ? `timeout: ${errorMessage || 'the invocation timed out'}`
    : `invocation failed: ${errorType}${errorMessage ? `: ${errorMessage}` : ''}`;
  return reason.length > 500 ? `${reason.slice(0, 497)}...` : reason;
}
