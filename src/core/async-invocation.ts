import { Validations } from 'aws-cdk-lib';
import { AlarmFactory } from './alarm-factory';
import { CoreFunction } from './powertools-function';
import { addDeadLetterQueueAlarm } from './queue-monitoring';

/**
 * Completes the async-invocation wiring of a core function: an alarm on its dead-letter
 * queue when it has one, otherwise the `Serverless-LambdaDLQ` acknowledgement with the
 * construct's reason why no asynchronous caller exists.
 * @internal
 */
export function completeAsyncInvocation(core: CoreFunction, alarms: AlarmFactory, syncOnlyReason: string): void {
  if (core.deadLetterQueue) {
    addDeadLetterQueueAlarm(alarms, 'AsyncDeadLetterQueue', core.deadLetterQueue, 'the dead-letter queue of failed asynchronous invocations');
  } else {
    Validations.of(core.fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason: syncOnlyReason });
  }
}
