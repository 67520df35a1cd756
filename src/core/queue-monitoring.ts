import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ALARM_PERIOD, AlarmFactory } from './alarm-factory';

/** Alarm when a dead-letter queue holds any message: something failed for good. @internal */
export function addDeadLetterQueueAlarm(alarms: AlarmFactory, id: string, queue: sqs.IQueue, what: string): void {
  alarms.add(id, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
    threshold: 0,
    description: `${queue.node.path}: ${what} holds messages; inspect and redrive them.`,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
