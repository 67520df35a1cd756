import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from './alarm-factory';

/**
 * Alarm when a dead-letter queue holds any message: something failed for good, and it is
 * critical because the message expires unless someone acts. SQS stops publishing metrics
 * for a queue idle for hours, and an idle DLQ is an empty one, so missing data is OK.
 * @internal
 */
export function addDeadLetterQueueAlarm(alarms: AlarmFactory, id: string, queue: sqs.IQueue, what: string): cloudwatch.Alarm | undefined {
  return alarms.add(id, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
    threshold: 0,
    severity: AlarmSeverity.CRITICAL,
    description: `${queue.node.path}: ${what} holds messages; inspect and redrive them.`,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
