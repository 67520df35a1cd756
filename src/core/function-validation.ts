import { SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AsyncInvocationOptions, PowertoolsFunctionOptions } from './function-options';
import { FUNCTION_ALARM_DEFAULTS } from './lambda-monitoring';
import { MonitoringOptions } from './monitoring-options';
import { checkIntegerInRange, checkNonEmpty, checkNumberInRange, concreteSeconds, invalidProp, secondsOrSecondsToken } from './validation';

/** Lambda's limits on the options. @internal */
export const FUNCTION_LIMITS = {
  minMemoryMb: 128,
  maxMemoryMb: 10240,
  maxTimeoutSeconds: 900,
  minEphemeralStorageMb: 512,
  maxEphemeralStorageMb: 10240,
  maxAsyncRetryAttempts: 2,
  minMaxEventAgeSeconds: 60,
  maxMaxEventAgeSeconds: 6 * 3600,
  minUtilizationTarget: 0.1,
  maxUtilizationTarget: 0.9,
};

/**
 * Every check of the shared function options, in one place: each throws one error that
 * names the prop, the value and the fix.
 * @internal
 */
export function validateFunctionOptions(where: string, o: PowertoolsFunctionOptions): void {
  const l = FUNCTION_LIMITS;
  checkIntegerInRange(where, 'memorySizeMb', o.memorySizeMb, l.minMemoryMb, l.maxMemoryMb);
  if (o.timeout?.isUnresolved()) {
    secondsOrSecondsToken(where, 'timeout', o.timeout, () => 'A token timeout must be given in seconds, e.g. Duration.seconds(timeoutParameter.valueAsNumber).');
  }
  const timeoutSeconds = concreteSeconds(o.timeout);
  if (timeoutSeconds !== undefined && (timeoutSeconds < 1 || timeoutSeconds > l.maxTimeoutSeconds || !Number.isInteger(timeoutSeconds))) {
    invalidProp(where, 'timeout', o.timeout, 'Use a whole number of seconds from 1 second to 15 minutes.');
  }
  checkIntegerInRange(where, 'reservedConcurrentExecutions', o.reservedConcurrentExecutions, 0, 1_000_000);
  checkNonEmpty(where, 'serviceName', o.serviceName);
  checkNonEmpty(where, 'metricsNamespace', o.metricsNamespace);
  if (o.logRetention === logs.RetentionDays.INFINITE) {
    invalidProp(where, 'logRetention', 'RetentionDays.INFINITE', 'Logs must expire: choose a finite retention such as logs.RetentionDays.ONE_YEAR.');
  }
  const rate = o.logSamplingRate;
  if (rate !== undefined && (Token.isUnresolved(rate) || !Number.isFinite(rate) || rate < 0 || rate > 1)) {
    invalidProp(where, 'logSamplingRate', rate, 'Use a concrete fraction from 0 to 1, e.g. 0.01 for one invocation in a hundred.');
  }
  validateNetworking(where, o);
  validateAlias(where, o);
  const storage = o.ephemeralStorageSize;
  if (storage !== undefined && !storage.isUnresolved()) {
    const mb = storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mb) || mb < l.minEphemeralStorageMb || mb > l.maxEphemeralStorageMb) {
      invalidProp(where, 'ephemeralStorageSize', `${mb} MiB`, `Use a whole number of MiB from ${l.minEphemeralStorageMb} to ${l.maxEphemeralStorageMb}, e.g. Size.gibibytes(2).`);
    }
  }
  validateMonitoring(where, o.monitoring);
}

function validateNetworking(where: string, o: PowertoolsFunctionOptions): void {
  if (o.vpc) return;
  if (o.vpcSubnets) invalidProp(where, 'vpcSubnets', o.vpcSubnets, 'Subnets only apply inside a VPC; set `vpc` too, or remove vpcSubnets.');
  if (o.securityGroups) {
    invalidProp(where, 'securityGroups', o.securityGroups.map((g) => g.node.path), 'Security groups only apply inside a VPC; set `vpc` too, or remove securityGroups.');
  }
}

function validateAlias(where: string, o: PowertoolsFunctionOptions): void {
  const alias = o.alias;
  if (alias !== undefined && !Token.isUnresolved(alias) && (!/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/.test(alias) || alias === '$LATEST')) {
    invalidProp(where, 'alias', alias, 'Use 1-128 letters, digits, "-" or "_", not only digits, e.g. "live".');
  }
  const pc = o.provisionedConcurrency;
  const scaling = o.provisionedConcurrencyScaling;
  if (alias === undefined) {
    if (pc !== undefined) invalidProp(where, 'provisionedConcurrency', pc, 'Provisioned concurrency is configured on an alias; set `alias` (e.g. "live") too.');
    if (scaling) invalidProp(where, 'provisionedConcurrencyScaling', `maxCapacity ${scaling.maxCapacity}`, 'Autoscaling applies to an alias\'s provisioned concurrency; set `alias` (e.g. "live") too.');
  }
  checkIntegerInRange(where, 'provisionedConcurrency', pc, 1, 1_000_000);
  const reserved = o.reservedConcurrentExecutions;
  if (pc !== undefined && reserved !== undefined && !Token.isUnresolved(pc) && !Token.isUnresolved(reserved) && pc > reserved) {
    invalidProp(where, 'provisionedConcurrency', pc, `It exceeds reservedConcurrentExecutions (${reserved}): provisioned environments count against the reservation. Lower it or raise the reservation.`);
  }
  if (!scaling) return;
  checkIntegerInRange(where, 'provisionedConcurrencyScaling.maxCapacity', scaling.maxCapacity, 1, 1_000_000);
  checkIntegerInRange(where, 'provisionedConcurrencyScaling.minCapacity', scaling.minCapacity, 1, 1_000_000);
  const min = scaling.minCapacity ?? pc ?? 1;
  if (!Token.isUnresolved(min) && !Token.isUnresolved(scaling.maxCapacity) && min > scaling.maxCapacity) {
    invalidProp(where, 'provisionedConcurrencyScaling.minCapacity', min, `It exceeds maxCapacity (${scaling.maxCapacity}); use a minimum at most the maximum.`);
  }
  const l = FUNCTION_LIMITS;
  checkNumberInRange(where, 'provisionedConcurrencyScaling.utilizationTarget', scaling.utilizationTarget, l.minUtilizationTarget, l.maxUtilizationTarget);
}

/** Checks the async-invocation options; `syncOnly` constructs never get them. @internal */
export function validateAsyncOptions(where: string, o: AsyncInvocationOptions): void {
  const l = FUNCTION_LIMITS;
  if (o.onFailure && o.asyncDeadLetterQueue === true) {
    invalidProp(where, 'asyncDeadLetterQueue', true, 'Failed async invocations go to one place: remove asyncDeadLetterQueue, or remove onFailure to keep the created dead-letter queue.');
  }
  checkIntegerInRange(where, 'retryAttempts', o.retryAttempts, 0, l.maxAsyncRetryAttempts);
  const age = o.maxEventAge;
  if (age?.isUnresolved()) {
    secondsOrSecondsToken(where, 'maxEventAge', age, () => 'A token must be given in seconds, e.g. Duration.seconds(param.valueAsNumber).');
  }
  const ageSeconds = concreteSeconds(age);
  if (ageSeconds !== undefined && (!Number.isInteger(ageSeconds) || ageSeconds < l.minMaxEventAgeSeconds || ageSeconds > l.maxMaxEventAgeSeconds)) {
    invalidProp(where, 'maxEventAge', age, 'Use a whole number of seconds from 1 minute to 6 hours.');
  }
}

function validateMonitoring(where: string, m: MonitoringOptions | undefined): void {
  if (!m) return;
  const concreteFraction = (prop: string, value: number | undefined, max: number, maxText: string) => {
    if (value === undefined) return;
    if (Token.isUnresolved(value)) {
      invalidProp(where, `monitoring.${prop}`, 'a token', 'The alarm threshold is computed at synth; give a concrete fraction such as 0.8.');
    }
    if (!(value > 0) || value > max) invalidProp(where, `monitoring.${prop}`, value, `Use a fraction greater than 0 and at most ${maxText}.`);
  };
  concreteFraction('durationAlarmTimeoutFraction', m.durationAlarmTimeoutFraction, 1, '1, e.g. 0.8');
  const p99 = m.durationAlarmTimeoutFraction ?? FUNCTION_ALARM_DEFAULTS.durationP99TimeoutFraction;
  concreteFraction('durationP90AlarmTimeoutFraction', m.durationP90AlarmTimeoutFraction, p99, `durationAlarmTimeoutFraction (${p99}), e.g. 0.5`);
  const percent = m.errorRateThresholdPercent;
  if (percent !== undefined && !Token.isUnresolved(percent) && (!(percent > 0) || percent > 100)) {
    invalidProp(where, 'monitoring.errorRateThresholdPercent', percent, 'Use a percentage greater than 0 and at most 100, e.g. 1.');
  }
  checkIntegerInRange(where, 'monitoring.minimumSampleCount', m.minimumSampleCount, 1, 1_000_000);
  if (m.dashboard === false && m.dashboardPlacement) {
    invalidProp(where, 'monitoring.dashboardPlacement', 'a placement', 'Dashboards are switched off (dashboard: false); remove one of the two.');
  }
}
