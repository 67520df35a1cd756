import { Annotations, ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { TUNING_LIMITS } from './contract/tuning-input';
import { invalidProp } from '../core/validation';

/** What the lookup returns before a run has written the parameter (or before the CLI looked it up). */
const NO_RESULT = 'no-tuning-result';

/**
 * The memory the last tuning run recommended, read at synth time from the results
 * parameter through a CDK context lookup. The CLI caches the value in cdk.context.json,
 * so a new recommendation reaches the function as a reviewed diff of that file (refresh
 * it with `cdk context --reset <key>`), never as a change made behind CloudFormation's back.
 * Undefined while there is no result yet: the function keeps `memorySizeMb`.
 * @internal
 */
export function memoryFromLastTuning(scope: Construct, where: string, parameterName: string | undefined): number | undefined {
  const prop = 'memorySizeFromTuningResult';
  if (parameterName === undefined || Token.isUnresolved(parameterName)) {
    invalidProp(where, prop, true, 'Set resultsParameterName to a literal SSM parameter name: the memory is looked up from the result the tuner writes there.');
  }
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    invalidProp(where, prop, true, 'Give the stack a concrete env ({ account, region }): a context lookup needs to know where the parameter lives.');
  }
  const value: string = ContextProvider.getValue(scope, {
    provider: cxschema.ContextProvider.SSM_PARAMETER_PROVIDER,
    props: { parameterName },
    dummyValue: NO_RESULT,
    // A parameter no run has written yet is not an error: the function keeps its memorySizeMb.
    mustExist: false,
  }).value;
  const powerMb = recommendedMemory(value);
  if (powerMb === undefined) {
    Annotations.of(scope).addInfo(
      value === NO_RESULT
        ? `No tuning result in ${parameterName} yet (or not looked up): the function keeps memorySizeMb.`
        : `The tuning result in ${parameterName} has no recommendation.powerMb from ${TUNING_LIMITS.minMemoryMb} to ${TUNING_LIMITS.maxMemoryMb}: the function keeps memorySizeMb.`,
    );
  }
  return powerMb;
}

function recommendedMemory(value: string): number | undefined {
  try {
    const powerMb = JSON.parse(value)?.recommendation?.powerMb;
    const ok = Number.isInteger(powerMb) && powerMb >= TUNING_LIMITS.minMemoryMb && powerMb <= TUNING_LIMITS.maxMemoryMb;
    return ok ? powerMb : undefined;
  } catch {
    return undefined;
  }
}
