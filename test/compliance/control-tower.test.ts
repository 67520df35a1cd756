import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ApiKind,
  IdempotentFunction,
  ObservableApi,
  PowerTunedFunction,
  PowertoolsFunction,
  PowertoolsFunctionOptions,
  SqsBatchConsumer,
  StreamBatchConsumer,
} from '../../src';
import { createTestApp } from '../support/app';
import { collectControlTowerFindings, ControlTowerFinding, formatFindings } from '../support/control-tower';

/**
 * AWS Control Tower proactive controls (@cdklabs/cdk-validator-cfnguard) against every
 * construct with no props. Each construct gets its own stack in one app, so the whole
 * suite is one synth and one cfn-guard run.
 *
 * KNOWN lists every finding the defaults have, per construct, as `<control> <construct
 * path inside the stack>`. It is compared exactly: a new finding fails, and so does a fixed
 * one until it is deleted here. What is left is exactly what the README's production
 * checklist turns on (a VPC, a log-group KMS key, retention of at least a year); under that
 * hardened configuration (the second suite) every construct has no finding at all. What no
 * configuration can fix is acknowledged on the exact resource in the constructs, with its
 * reason (CT.LAMBDA.PR.2 on API Gateway's invoke permissions, CT.SQS.PR.1 on the DLQs of
 * asynchronous invocations).
 */
const KNOWN: Record<string, string[]> = {
  IdempotentFunction: [
    'CT.CLOUDWATCH.PR.2 Fn/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Fn/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Fn/Handler/Function/Resource',
  ],
  SqsBatchConsumer: [
    'CT.CLOUDWATCH.PR.2 Consumer/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Consumer/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Consumer/Handler/Function/Resource',
  ],
  StreamBatchConsumer: [
    'CT.CLOUDWATCH.PR.2 Events/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Events/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Events/Handler/Function/Resource',
  ],
  ObservableApiRest: [
    'CT.CLOUDWATCH.PR.2 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.2 Api/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Api/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Api/Handler/Function/Resource',
  ],
  ObservableApiHttp: [
    'CT.CLOUDWATCH.PR.2 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.2 Api/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Api/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Api/Handler/Function/Resource',
  ],
  // A Function URL has no access log group: only the function's own log group and function findings.
  ObservableApiFunctionUrl: [
    'CT.CLOUDWATCH.PR.2 Api/Handler/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Api/Handler/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Api/Handler/Function/Resource',
  ],
  PowerTunedFunction: [
    ...['Tuned/Handler', 'Tuned/Tuner/Initializer', 'Tuned/Tuner/Publisher', 'Tuned/Tuner/Executor', 'Tuned/Tuner/Cleaner', 'Tuned/Tuner/Analyzer'].flatMap((fn) => [
      `CT.CLOUDWATCH.PR.2 ${fn}/LogGroup/Resource`,
      `CT.CLOUDWATCH.PR.3 ${fn}/LogGroup/Resource`,
      `CT.LAMBDA.PR.3 ${fn}/Function/Resource`,
    ]),
    'CT.CLOUDWATCH.PR.2 Tuned/Tuner/StateMachineLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Tuned/Tuner/StateMachineLogs/Resource',
  ],
};

const BUILDERS: Record<string, (stack: Stack) => void> = {
  IdempotentFunction: (stack) => new IdempotentFunction(stack, 'Fn'),
  SqsBatchConsumer: (stack) => new SqsBatchConsumer(stack, 'Consumer'),
  StreamBatchConsumer: (stack) => new StreamBatchConsumer(stack, 'Events'),
  ObservableApiRest: (stack) => new ObservableApi(stack, 'Api'),
  ObservableApiHttp: (stack) => new ObservableApi(stack, 'Api', { apiKind: ApiKind.http() }),
  ObservableApiFunctionUrl: (stack) => new ObservableApi(stack, 'Api', { apiKind: ApiKind.functionUrl() }),
  PowerTunedFunction: (stack) => new PowerTunedFunction(stack, 'Tuned'),
};

describe('Control Tower proactive controls, defaults', () => {
  let findings: ControlTowerFinding[];

  beforeAll(() => {
    const app = createTestApp();
    for (const [name, build] of Object.entries(BUILDERS)) build(new Stack(app, name));
    findings = collectControlTowerFindings(app);
  });

  const byConstruct = (name: string) =>
    findings
      .filter((f) => f.path.startsWith(`${name}/`))
      .map((f) => `${f.control} ${f.path.slice(name.length + 1)}`)
      .sort();

  test('every finding belongs to a construct under test', () => {
    const stray = findings.filter((f) => !Object.keys(BUILDERS).some((name) => f.path.startsWith(`${name}/`)));
    expect(formatFindings(stray)).toEqual('');
  });

  test('the stack alarm topic key limits kms:CreateGrant to AWS services (CT.KMS.PR.3)', () => {
    expect(findings.filter((f) => f.control === 'CT.KMS.PR.3' || f.resourceType === 'AWS::KMS::Key')).toEqual([]);
  });

  test.each(Object.keys(BUILDERS))('%s has exactly the known findings', (name) => {
    expect(byConstruct(name)).toEqual([...KNOWN[name]].sort());
  });
});

/** The README's production checklist: a VPC, a log-group key, retention of a year. */
function hardened(stack: Stack): PowertoolsFunctionOptions {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  vpc.addFlowLog('FlowLog');
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return { vpc, logGroupEncryptionKey: key, logRetention: logs.RetentionDays.ONE_YEAR };
}

const HARDENED: Record<string, (stack: Stack) => void> = {
  PowertoolsFunction: (stack) => new PowertoolsFunction(stack, 'Fn', hardened(stack)),
  IdempotentFunction: (stack) => new IdempotentFunction(stack, 'Fn', hardened(stack)),
  SqsBatchConsumer: (stack) => new SqsBatchConsumer(stack, 'Consumer', hardened(stack)),
  StreamBatchConsumer: (stack) => new StreamBatchConsumer(stack, 'Events', hardened(stack)),
  ObservableApiRest: (stack) => new ObservableApi(stack, 'Api', { ...hardened(stack), accessLogRetention: logs.RetentionDays.ONE_YEAR }),
  ObservableApiHttp: (stack) =>
    new ObservableApi(stack, 'Api', { ...hardened(stack), accessLogRetention: logs.RetentionDays.ONE_YEAR, apiKind: ApiKind.http() }),
  ObservableApiFunctionUrl: (stack) => new ObservableApi(stack, 'Api', { ...hardened(stack), apiKind: ApiKind.functionUrl() }),
  PowerTunedFunction: (stack) => new PowerTunedFunction(stack, 'Tuned', { ...hardened(stack), tuneOnDeploy: true }),
};

describe('Control Tower proactive controls, hardened configuration', () => {
  let findings: ControlTowerFinding[];

  beforeAll(() => {
    const app = createTestApp();
    for (const [name, build] of Object.entries(HARDENED)) build(new Stack(app, name));
    findings = collectControlTowerFindings(app);
  });

  // The test's own VPC is the user's to harden (its flow-log group is theirs, not ours).
  const ours = (name: string) => findings.filter((f) => f.path.startsWith(`${name}/`) && !f.path.startsWith(`${name}/Vpc/`));

  test('the check sees the fixture VPC, so it would see ours', () => {
    expect(findings.some((f) => f.path.includes('/Vpc/FlowLog/'))).toBe(true);
  });

  test.each(Object.keys(HARDENED))('%s has no unacknowledged finding', (name) => {
    expect(formatFindings(ours(name))).toEqual('');
  });
});
