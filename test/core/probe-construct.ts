import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AlarmFactory } from '../../src/core/alarm-factory';
import { DashboardBuilder } from '../../src/core/dashboard-builder';
import { PowertoolsFunctionOptions } from '../../src/core/function-options';
import { HandlerCode } from '../../src/core/handler-code';
import { addLambdaAlarms, lambdaWidgets } from '../../src/core/lambda-monitoring';
import { CoreFunction, createCoreFunction } from '../../src/core/powertools-function';

const PROBE_CODE = HandlerCode.fromCode(lambda.Code.fromInline('exports.handler = async () => 1;'), 'index.handler', lambda.Runtime.NODEJS_24_X);

/** A minimal construct built only from core pieces, the way every real construct uses them. */
export class ProbePattern extends Construct {
  public readonly core: CoreFunction;
  public readonly alarms: AlarmFactory;
  public readonly dashboard?: import('aws-cdk-lib/aws-cloudwatch').Dashboard;

  constructor(scope: Construct, id: string, options: PowertoolsFunctionOptions = {}, asyncDeadLetterQueue = true) {
    super(scope, id);
    this.core = createCoreFunction(this, {
      constructName: 'ProbePattern',
      options: { handlerCode: PROBE_CODE, ...options },
      template: { name: 'probe', wrapExport: 'wrapProbe', entryContract: 'export a function' },
      description: 'Probe pattern',
      wiringEnvironment: { PROBE_TABLE: 'wired' },
      asyncDeadLetterQueue,
    });
    this.alarms = new AlarmFactory(this, options.monitoring);
    addLambdaAlarms(this.alarms, this.core.fn, this.core.timeout);
    this.dashboard = new DashboardBuilder(this, 'Dashboard', options.monitoring)
      .addRow('Function', lambdaWidgets(this.core.fn))
      .build();
  }
}
