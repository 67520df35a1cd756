import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeControlTower } from './compliance';

/**
 * A queue Lambda itself sends failures to (an async-invocation dead-letter queue, a stream
 * mapping's on-failure destination): SSE-SQS, TLS only, 14 days retention, and no queue may
 * use it as its dead-letter queue. `what` completes "This queue is ...", e.g. "the
 * dead-letter queue of a Lambda function's asynchronous invocations".
 * @internal
 */
export function lambdaFailureQueue(scope: Construct, id: string, what: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Lambda, not a queue, sends here: no queue may use this one as its dead-letter queue.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  acknowledgeControlTower(
    queue,
    'sqs_dlq_check',
    'CT.SQS.PR.1',
    `This queue is ${what}. Its RedriveAllowPolicy denies every source queue because no queue sends here; the rule only accepts byQueue (which needs a source queue) or allowAll (which would let any queue in).`,
  );
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: `This queue is itself ${what}.` },
    { id: 'Serverless-SQSRedrivePolicy', reason: 'A dead-letter queue has no dead-letter queue of its own.' },
  );
  return queue;
}
