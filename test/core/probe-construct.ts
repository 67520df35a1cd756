import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PowertoolsFunctionProps } from '../../src';
import { HandlerCode } from '../../src/core/handler-code';
import { PowertoolsFunction } from '../../src/core/powertools-function';

const PROBE_CODE = HandlerCode.fromCode(lambda.Code.fromInline('exports.handler = async () => 1;'), 'index.handler', lambda.Runtime.NODEJS_24_X);

/** A minimal pattern construct that builds its function the way every real construct does. */
export class ProbePattern extends Construct {
  public readonly fn: PowertoolsFunction;
  public readonly alarms: cloudwatch.AlarmBase[];

  constructor(scope: Construct, id: string, props: PowertoolsFunctionProps = {}, options: { reservedPrefixes?: string[]; syncOnly?: boolean } = {}) {
    super(scope, id);
    this.fn = PowertoolsFunction._forPattern(this, 'Handler', { handlerCode: PROBE_CODE, ...props }, {
      constructName: 'ProbePattern',
      owner: this,
      template: { name: 'probe', wrapExport: 'wrapProbe' },
      description: 'Probe pattern',
      wiringEnvironment: { PROBE_TABLE: 'wired' },
      reservedEnvironmentPrefixes: options.reservedPrefixes,
      syncOnlyReason: options.syncOnly ? 'The probe is only invoked synchronously.' : undefined,
    });
    this.alarms = this.fn.alarms;
  }
}
