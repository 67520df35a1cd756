#!/usr/bin/env node
/**
 * Example app using every construct of cdk-serverless-powertools.
 * `npx cdk synth` (cdk.json at the repo root) synthesizes it; test/examples.test.ts
 * synthesizes it with cdk-nag and CloudFormation validation on every test run.
 */
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  ApiAuthorization,
  ApiKind,
  DashboardPlacement,
  HandlerCode,
  IdempotencyTable,
  IdempotentFunction,
  ObservableApi,
  PowerTunedFunction,
  PowerTuner,
  TuningSampling,
  PowertoolsFunction,
  RecordIdempotencyKey,
  SqsBatchConsumer,
  StackAlarmTopic,
  StreamBatchConsumer,
  StreamIdempotencyKey,
  StreamSource,
  TuningStrategy,
} from '../src';
import { productionApis } from './api/production-apis';

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
    const payments = new IdempotentFunction(this, 'Payments', {
      table: shared.table,
      staticPartitionKeyValue: 'payments',
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'idempotency', 'charge-payment.ts')),
      eventKeyJmesPath: 'paymentId',
      payloadValidationJmesPath: 'amountCents',
      expiresAfter: Duration.hours(6),
      timeout: Duration.seconds(30),
    });

    // Observable API: REST + IAM auth with the bundled router template. This stack also manages the
    // account-level API Gateway CloudWatch role (one stack per account and region should).
    new ObservableApi(this, 'OrdersApi', { manageAccountCloudWatchRole: true });

    // Observable API: HTTP API with your own routes wrapped by the template.
    new ObservableApi(this, 'StockApi', {
      apiKind: ApiKind.http(),
      authorization: ApiAuthorization.iam(),
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'api', 'orders-routes.ts')),
      throttlingRatePerSecond: 100,
      apiMonitoring: { clientErrorRateThresholdPercent: 10, compositeAlarm: true, businessMetricNames: ['StockAdded'] },
    });

    // Observable APIs for production (examples/api/production-apis.ts): a partner REST API with a custom domain,
    // a usage plan with API keys and request validation; a shop HTTP API with JWT, a public health route and a domain.
    productionApis(this);

    // PowertoolsFunction for any trigger: a nightly schedule, on the stack's shared dashboard.
    const housekeeping = new PowertoolsFunction(this, 'Housekeeping', {
      monitoring: { dashboardPlacement: DashboardPlacement.stackShared() },
    });
    new events.Rule(this, 'Nightly', {
      schedule: events.Schedule.cron({ hour: '3', minute: '0' }),
      // Events EventBridge cannot deliver land in the same queue as the function's failed runs.
      targets: [new targets.LambdaFunction(housekeeping.invokeTarget, { deadLetterQueue: housekeeping.asyncDeadLetterQueue })],
    });

    // SQS batch consumer: the bundled template with no props (demo: record JSON orders).
    new SqsBatchConsumer(this, 'OrderEvents');

    // FIFO, your per-record logic, idempotent on the order id, redrive rights for operators.
    const ledger = new SqsBatchConsumer(this, 'Ledger', {
      fifo: true,
      skipGroupOnError: true,
      maxReceiveCount: 5,
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'batch', 'process-order.ts')),
      idempotency: { key: RecordIdempotencyKey.fromBody('orderId') },
    });
    ledger.grantRedriveFromDeadLetterQueue(new iam.Role(this, 'LedgerOperator', { assumedBy: new iam.AccountRootPrincipal() }));

    // Stream consumer: the bundled template with no props (an encrypted on-demand Kinesis stream,
    // an on-failure queue for records given up on, iterator-age alarm).
    new StreamBatchConsumer(this, 'ClickEvents');

    // A DynamoDB stream with your per-record logic (it gets the unmarshalled images).
    const orders = new dynamodb.Table(this, 'OrdersTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    new StreamBatchConsumer(this, 'OrderChanges', {
      source: StreamSource.dynamoDb(orders),
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 50,
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'stream', 'order-changes.ts')),
      // A record Lambda delivers again (a retried or bisected batch) is not processed twice.
      idempotency: { key: StreamIdempotencyKey.eventId() },
    });

    // Power tuning: the demo template with its own tuner state machine, scoped to this one function;
    // 30 invocations per value, sampled adaptively, with two payloads in proportion.
    new PowerTunedFunction(this, 'Tuned', {
      invocationsPerValue: 30,
      sampling: TuningSampling.adaptive(),
      weightedPayloads: [{ payload: { iterations: 1000 }, weight: 0.8 }, { payload: { iterations: 20000 }, weight: 0.2 }],
    });

    // A tuner for a function created by another construct: its IAM names that one function only.
    new PowerTuner(this, 'PaymentsTuner', { function: payments.function, powerValuesMb: [256, 512, 1024] });

    // Your logic, tuned on every deployment that changes it, results written to SSM for pipelines.
    new PowerTunedFunction(this, 'TunedSort', {
      handlerCode: HandlerCode.fromEntry(path.join(__dirname, 'power-tuning', 'work.ts')),
      powerValuesMb: [256, 512, 1024, 2048],
      payload: { size: 200000 },
      strategy: TuningStrategy.BALANCED,
      balancedWeight: 0.7,
      tuneOnDeploy: true,
      resultsParameterName: '/examples/power-tuning',
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
