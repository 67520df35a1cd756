import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  IdempotentFunction,
  ObservableApi,
  PowerTunedFunction,
  PowertoolsFunction,
  PowertoolsFunctionOptions,
  PowertoolsLayer,
  SqsBatchConsumer,
} from '../../src';
import { createTestApp } from '../support/app';

/** The options every construct shares, once each, with a recognisable value. */
function sharedOptions(stack: Stack): PowertoolsFunctionOptions {
  return {
    vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
    powertoolsLayer: PowertoolsLayer.typeScript(50),
    alias: 'live',
    provisionedConcurrency: 2,
    provisionedConcurrencyScaling: { maxCapacity: 4 },
    logGroupEncryptionKey: new kms.Key(stack, 'LogsKey', { enableKeyRotation: true }),
    recursiveLoop: lambda.RecursiveLoop.ALLOW,
  };
}

/** Each construct with the shared options; `fn` is the function the options shape. */
const CONSTRUCTS: Record<string, (stack: Stack) => { fn: PowertoolsFunction; async: boolean }> = {
  PowertoolsFunction: (s) => ({ fn: new PowertoolsFunction(s, 'C', { ...sharedOptions(s), retryAttempts: 1, maxEventAge: Duration.hours(1) }), async: true }),
  IdempotentFunction: (s) => ({ fn: new IdempotentFunction(s, 'C', { ...sharedOptions(s), retryAttempts: 1, maxEventAge: Duration.hours(1) }).handler, async: true }),
  SqsBatchConsumer: (s) => ({ fn: new SqsBatchConsumer(s, 'C', sharedOptions(s)).handler, async: false }),
  ObservableApi: (s) => ({ fn: new ObservableApi(s, 'C', sharedOptions(s)).handler, async: false }),
  PowerTunedFunction: (s) => ({ fn: new PowerTunedFunction(s, 'C', { ...sharedOptions(s), retryAttempts: 1, maxEventAge: Duration.hours(1) }).handler, async: true }),
};

const logicalId = (c: Construct) => Stack.of(c).getLogicalId(c.node.defaultChild as any);

describe.each(Object.keys(CONSTRUCTS))('%s: every shared option reaches the synthesized template', (name) => {
  const stack = new Stack(createTestApp(), 'Shared', { env: { account: '123456789012', region: 'eu-west-1' } });
  const { fn, async } = CONSTRUCTS[name](stack);
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources;
  const fnProps = resources[logicalId(fn.function)].Properties;

  test('VpcConfig, Layers and RecursiveLoop on the function', () => {
    expect(fnProps.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
    expect(fnProps.VpcConfig.SecurityGroupIds).toHaveLength(1);
    expect(JSON.stringify(fnProps.Layers)).toContain(':094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:50');
    expect(fnProps.RecursiveLoop).toBe('Allow');
  });

  test('an alias with ProvisionedConcurrencyConfig and a scalable target', () => {
    const alias = resources[logicalId(fn.alias!)];
    expect(alias.Properties).toMatchObject({ Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
  });

  test('KmsKeyId on the function\'s log group', () => {
    expect(resources[logicalId(fn.logGroup)].Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] });
  });

  test('EventInvokeConfig where the function can be invoked asynchronously', () => {
    const configs = Object.values<any>(template.findResources('AWS::Lambda::EventInvokeConfig'))
      .filter((c) => c.Properties.FunctionName.Ref === logicalId(fn.function));
    if (async) {
      expect(configs.map((c) => c.Properties)).toEqual([expect.objectContaining({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 })]);
    } else {
      expect(configs).toEqual([]);
    }
  });
});

describe('with an alias, the construct\'s own wiring invokes the alias', () => {
  test('SqsBatchConsumer: the event source mapping', () => {
    const stack = new Stack(createTestApp(), 'Esm');
    const consumer = new SqsBatchConsumer(stack, 'C', { alias: 'live' });
    const [esm] = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'));
    // The alias's qualified name: <function>:live
    const fnName = JSON.stringify(esm.Properties.FunctionName);
    expect(fnName).toContain(`{"Ref":"${logicalId(consumer.handler.alias!)}"}`);
    expect(fnName).toContain('":live"');
  });

  test('ObservableApi: the Lambda proxy integrations', () => {
    const stack = new Stack(createTestApp(), 'Api');
    const api = new ObservableApi(stack, 'C', { alias: 'live' });
    const methods = Object.values<any>(Template.fromStack(stack).findResources('AWS::ApiGateway::Method')).filter((m) => m.Properties.Integration);
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`{"Ref":"${logicalId(api.handler.alias!)}"}`);
  });
});
