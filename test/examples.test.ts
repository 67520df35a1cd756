import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp, ExampleStack } from '../examples/app';
import { createTestApp } from './support/app';
import { expectNagClean } from './support/nag';

describe('examples/app.ts', () => {
  test('synthesizes nag-clean with zero CloudFormation validation findings', () => {
    const app = buildExampleApp(createTestApp());
    expectNagClean(app);
    const stack = app.node.children.find((c): c is ExampleStack => c instanceof ExampleStack)!;
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources).length).toBeGreaterThan(0);
  });
});
