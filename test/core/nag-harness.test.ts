import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createTestApp } from '../support/app';
import { collectFindings, expectNagClean } from '../support/nag';

describe('nag harness', () => {
  test('catches a deliberately non-compliant stack', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Bad');
    new sqs.Queue(stack, 'PlainQueue'); // no DLQ, no TLS enforcement

    const rules = collectFindings(app).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']));
    expect(() => expectNagClean(createBadApp())).toThrow(/AwsSolutions-SQS4 on Bad\/PlainQueue/);
  });

  test('passes a compliant stack and honours acknowledgements', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Good');
    const dlq = new sqs.Queue(stack, 'Dlq', { enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(dlq).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'A dead-letter queue has no redrive policy of its own.' },
    );
    new sqs.Queue(stack, 'Main', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });

    expect(collectFindings(app)).toEqual([]);
  });
});

function createBadApp() {
  const app = createTestApp();
  new sqs.Queue(new Stack(app, 'Bad'), 'PlainQueue');
  return app;
}
