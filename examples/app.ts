#!/usr/bin/env node
/**
 * Example app using every construct of cdk-serverless-powertools.
 * `npx cdk synth` (cdk.json at the repo root) synthesizes it; test/examples.test.ts
 * synthesizes it with cdk-nag and CloudFormation validation on every test run.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StackAlarmTopic } from '../src';

/** One env-agnostic stack with every construct, so it synthesizes without AWS credentials. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Every construct sends alarms to this stack's shared topic; subscribe an on-call address here.
    StackAlarmTopic.of(this);
  }
}

export function buildExampleApp(app: App = new App()): App {
  new ExampleStack(app, 'ServerlessPowertoolsExample');
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
