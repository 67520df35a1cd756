import { Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from './alarm-factory';
import { lambdaFailureQueue } from './failure-queue';
import { AsyncInvocationOptions } from './function-options';
import { addDeadLetterQueueAlarm } from './queue-monitoring';

/** What the async-invocation choice adds to the function. @internal */
export interface AsyncInvocationWiring {
  readonly deadLetterQueue?: sqs.Queue;
  readonly functionProps: Pick<lambda.FunctionProps, 'deadLetterQueue' | 'onFailure' | 'retryAttempts' | 'maxEventAge'>;
  /** Acknowledgements that need the function. */
  complete(fn: lambda.Function): void;
  /** The alarm on where failed events go. */
  addAlarms(alarms: AlarmFactory, fn: lambda.IFunction): void;
}

/**
 * Failed asynchronous invocations are never lost: they go to a created dead-letter queue
 * (the default) or to the user's on-failure queue or topic, with an alarm either way. A
 * function nothing invokes asynchronously (`syncOnlyReason`) gets neither, and says why.
 * @internal
 */
export function wireAsyncInvocation(scope: Construct, o: AsyncInvocationOptions, syncOnlyReason: string | undefined): AsyncInvocationWiring {
  const tuning = { retryAttempts: o.retryAttempts, maxEventAge: o.maxEventAge };
  if (syncOnlyReason) return acknowledged(syncOnlyReason, {});
  const onFailure = o.onFailure;
  if (onFailure?.destinationQueue) {
    const queue = onFailure.destinationQueue;
    return {
      functionProps: { ...tuning, onFailure: new destinations.SqsDestination(queue) },
      complete: (fn) => acknowledgeDestination(fn),
      addAlarms: (alarms) => {
        addDeadLetterQueueAlarm(alarms, 'OnFailureQueue', queue, 'the on-failure destination of asynchronous invocations');
      },
    };
  }
  if (onFailure?.destinationTopic) {
    return {
      functionProps: { ...tuning, onFailure: new destinations.SnsDestination(onFailure.destinationTopic) },
      complete: (fn) => acknowledgeDestination(fn),
      addAlarms: addDeliveryFailureAlarm,
    };
  }
  if (o.asyncDeadLetterQueue === false) {
    return acknowledged('asyncDeadLetterQueue is false: the owner invokes this function synchronously or handles failed async events elsewhere.', tuning);
  }
  const queue = lambdaFailureQueue(scope, 'AsyncDeadLetterQueue', 'the dead-letter queue of a Lambda function\'s asynchronous invocations');
  return {
    deadLetterQueue: queue,
    functionProps: { ...tuning, deadLetterQueue: queue },
    complete: () => undefined,
    addAlarms: (alarms) => {
      addDeadLetterQueueAlarm(alarms, 'AsyncDeadLetterQueue', queue, 'the dead-letter queue of failed asynchronous invocations');
    },
  };
}

function acknowledged(reason: string, functionProps: AsyncInvocationWiring['functionProps']): AsyncInvocationWiring {
  return {
    functionProps,
    complete: (fn) => Validations.of(fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason }),
    addAlarms: () => undefined,
  };
}

/** cdk-nag's rule reads only DeadLetterConfig; an on-failure destination does the same job. */
function acknowledgeDestination(fn: lambda.Function): void {
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: 'Failed asynchronous invocations go to the on-failure destination given in onFailure (EventInvokeConfig), which keeps more context than a DLQ.',
  });
}

/** A topic has no depth to watch; Lambda's DestinationDeliveryFailures says events were lost. */
function addDeliveryFailureAlarm(alarms: AlarmFactory, fn: lambda.IFunction): void {
  alarms.add('OnFailureDeliveryFailures', {
    metric: fn.metric('DestinationDeliveryFailures', { period: ALARM_PERIOD, statistic: 'Sum' }),
    threshold: 0,
    severity: AlarmSeverity.CRITICAL,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    description: `${fn.node.path}: failed asynchronous events could not be delivered to the on-failure topic and are lost.`,
  });
}
