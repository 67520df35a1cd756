import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createTestApp } from './app';
import { acknowledgeControlTower, collectControlTowerFindings, controlTowerAckId, expectControlTowerClean } from './control-tower';

describe('Control Tower harness', () => {
  test('reports an unencrypted SQS queue with its control, rule, resource and message', () => {
    const app = createTestApp();
    new sqs.Queue(new Stack(app, 'Bad'), 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    const findings = collectControlTowerFindings(app);

    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          control: 'CT.SQS.PR.2',
          rule: 'sqs_queue_encrypted_check',
          path: 'Bad/Plain/Resource',
          logicalId: expect.stringMatching(/^Plain/),
          resourceType: 'AWS::SQS::Queue',
          message: expect.stringContaining('encryption at rest'),
        }),
        // no RedrivePolicy and no RedriveAllowPolicy: CT.SQS.PR.1 too
        expect.objectContaining({ control: 'CT.SQS.PR.1', rule: 'sqs_dlq_check', path: 'Bad/Plain/Resource' }),
      ]),
    );
  });

  test('expectControlTowerClean fails with a readable list', () => {
    const app = createTestApp();
    new sqs.Queue(new Stack(app, 'Bad'), 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => expectControlTowerClean(app)).toThrow(/CT\.SQS\.PR\.2 on Bad\/Plain\/Resource \(AWS::SQS::Queue\)/);
  });

  test('passes a compliant queue (a clean plugin is absent from the report, and that is not mistaken for "did not run")', () => {
    const app = createTestApp();
    new sqs.Queue(new Stack(app, 'Good'), 'Dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    expect(() => expectControlTowerClean(app)).not.toThrow();
  });

  test('honours an acknowledgement on the exact resource, and only for that rule', () => {
    const app = createTestApp();
    const queue = new sqs.Queue(new Stack(app, 'Acked'), 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    acknowledgeControlTower(queue, 'sqs_queue_encrypted_check', 'Test: proves an exact acknowledgement is honoured.');

    expect(collectControlTowerFindings(app).map((f) => f.control)).toEqual(['CT.SQS.PR.1']);
  });

  test('rejects a stack-level acknowledgement, which aws-cdk-lib would let turn the whole report to success', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Broad');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(stack).acknowledge(
      { id: controlTowerAckId('sqs_queue_encrypted_check'), reason: 'too broad' },
      { id: controlTowerAckId('sqs_dlq_check'), reason: 'too broad' },
    );
    expect(() => collectControlTowerFindings(app)).toThrow(/must be on the exact resource[\s\S]*CT\.SQS\.PR\.2 .* acknowledged at 'Broad'/);
  });

  test('rejects an acknowledgement without a reason', () => {
    const app = createTestApp();
    const queue = new sqs.Queue(new Stack(app, 'NoReason'), 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(queue).acknowledge({ id: controlTowerAckId('sqs_queue_encrypted_check'), reason: ' ' });
    expect(() => collectControlTowerFindings(app)).toThrow(/acknowledged without a reason/);
  });
});
