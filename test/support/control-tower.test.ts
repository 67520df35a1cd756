import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createTestApp } from './app';
import {
  acknowledgeControlTower,
  applicableRuleFiles,
  collectControlTowerFindings,
  CONTROL_TOWER_RULES_DIR,
  controlTowerAckId,
  expectControlTowerClean,
} from './control-tower';
import { tempDir } from './temp';
import { PowertoolsFunction, SqsBatchConsumer } from '../../src';

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

  describe('runs only the rules that can apply to the templates', () => {
    /** Raw cfn-guard violations as `rule logicalId`, sorted. */
    const violations = (plugin: CfnGuardValidator, app: App, templatePaths: string[]) =>
      plugin
        .validate({ templatePaths, appConstruct: app })
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`))
        .sort();

    test('the applicable rules find exactly what all 237 rules find', () => {
      const app = createTestApp();
      const stack = new Stack(app, 'Mixed');
      new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      new SqsBatchConsumer(stack, 'Consumer');
      new PowertoolsFunction(stack, 'Fn');
      const templates = [path.join(app.synth().directory, 'Mixed.template.json')];

      const rules = applicableRuleFiles(templates);
      const all = violations(new CfnGuardValidator(), app, templates);
      expect(all.length).toBeGreaterThan(3);
      expect(violations(new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }), app, templates)).toEqual(all);
      // ...while running far fewer rules.
      expect(rules.length).toBeLessThan(100);
    });

    test('keeps a rule naming a type the templates have, or naming no type; drops the rest', () => {
      const dir = tempDir('csp-guard-rules-');
      fs.mkdirSync(path.join(dir, 'sqs'));
      fs.writeFileSync(path.join(dir, 'sqs', 'queue.guard'), 'let q = Resources.*[ Type == "AWS::SQS::Queue" ]\n');
      fs.writeFileSync(path.join(dir, 'table.guard'), 'let t = Resources.*[ Type == "AWS::DynamoDB::Table" ]\n');
      fs.writeFileSync(path.join(dir, 'any.guard'), 'let all = Resources.*\n');
      fs.writeFileSync(path.join(dir, 'notes.md'), 'AWS::SQS::Queue\n');
      const template = path.join(dir, 'Queue.template.json');
      fs.writeFileSync(template, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }));

      expect(applicableRuleFiles([template], dir).map((f) => path.relative(dir, f)).sort()).toEqual(['any.guard', path.join('sqs', 'queue.guard')]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the shipped rules directory is where the plugin keeps them', () => {
      expect(fs.readdirSync(CONTROL_TOWER_RULES_DIR)).toEqual(expect.arrayContaining(['lambda', 'sqs']));
    });
  });
});
