import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildExampleApp, ExampleStack } from '../examples/app';
import { createTestApp } from './support/app';
import { expectNagClean } from './support/nag';

describe('examples/app.ts', () => {
  test('synthesizes nag-clean with zero CloudFormation validation findings, with a function for every construct it shows', () => {
    const app = buildExampleApp(createTestApp());
    expectNagClean(app);
    const stack = app.node.children.find((c): c is ExampleStack => c instanceof ExampleStack)!;
    const template = Template.fromStack(stack);
    const functionPaths = stack.node
      .findAll()
      .filter((c): c is lambda.Function => c instanceof lambda.Function)
      .map((fn) => fn.node.path.split('/')[1]);
    for (const construct of ['Orders', 'Payments', 'OrdersApi', 'StockApi', 'PartnerApi', 'ShopApi', 'Housekeeping', 'OrderEvents', 'Ledger', 'ClickEvents', 'OrderChanges', 'Tuned', 'TunedSort']) {
      expect(functionPaths).toContain(construct);
    }
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 3 * * ? *)' });
  });
});
