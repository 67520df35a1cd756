import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FUNCTION_DEFAULTS } from './function-defaults';
import { PowertoolsFunctionOptions } from './function-options';

/**
 * The alias of `alias`, on the version CDK publishes whenever the function changes, with
 * provisioned concurrency and its target-tracking autoscaling.
 * @internal
 */
export function createFunctionAlias(scope: Construct, fn: lambda.Function, o: PowertoolsFunctionOptions): lambda.Alias | undefined {
  if (o.alias === undefined) return undefined;
  const alias = new lambda.Alias(scope, 'Alias', {
    aliasName: o.alias,
    version: fn.currentVersion,
    provisionedConcurrentExecutions: o.provisionedConcurrency,
  });
  const scaling = o.provisionedConcurrencyScaling;
  if (scaling) {
    const target = alias.addAutoScaling({
      minCapacity: scaling.minCapacity ?? o.provisionedConcurrency ?? 1,
      maxCapacity: scaling.maxCapacity,
    });
    target.scaleOnUtilization({ utilizationTarget: scaling.utilizationTarget ?? FUNCTION_DEFAULTS.utilizationTarget });
  }
  return alias;
}
