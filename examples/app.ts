#!/usr/bin/env node
/**
 * Example app using every construct of cdk-serverless-powertools.
 * `npx cdk synth` (cdk.json at the repo root) synthesizes it; test/examples.test.ts
 * synthesizes it with cdk-nag and CloudFormation validation on every test run.
 */
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HandlerCode, IdempotencyTable, IdempotentFunction, StackAlarmTopic } from '../src';

/** One env-agnostic stack with every construct, so it synthesizes without AWS credentials. */
export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Every construct sends alarms to this stack's shared topic; subscribe an on-call address here.
    StackAlarmTopic.of(this);

    // Idempotency: the bundled template with no props (demo: acknowledge an order once).
    new IdempotentFunction(this, 'Orders');

    // Idempotency: one shared table, your own logic wrapped by the template.
    const shared = new IdempotencyTable(this, 'SharedIdempotency', { sortKeyName: 'sk' });
    new IdempotentFunction(this, 'Payments', {
      table: shared.table,
      staticPartitionKeyValue: 'payments',
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'idempotency', 'charge-payment.ts')),
      eventKeyJmesPath: 'paymentId',
      payloadValidationJmesPath: 'amountCents',
      expiresAfter: Duration.hours(6),
      timeout: Duration.seconds(30),
    });
  }
}

export function buildExampleApp(app: App = new App()): App {
  new ExampleStack(app, 'ServerlessPowertoolsExample');
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
