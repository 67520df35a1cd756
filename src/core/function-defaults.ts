import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PowertoolsLogLevel } from './function-options';

/** Core defaults every function of this library starts from. @internal */
export const FUNCTION_DEFAULTS = {
  memorySizeMb: 256,
  timeout: Duration.seconds(10),
  logRetention: logs.RetentionDays.THREE_MONTHS,
  logLevel: PowertoolsLogLevel.INFO,
  architecture: lambda.Architecture.ARM_64,
  /** Of target-tracking provisioned-concurrency autoscaling. */
  utilizationTarget: 0.7,
};
