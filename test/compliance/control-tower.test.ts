import { Stack } from 'aws-cdk-lib';
import { ApiKind, IdempotentFunction, ObservableApi, PowerTunedFunction, SqsBatchConsumer } from '../../src';
import { createTestApp } from '../support/app';
import { collectControlTowerFindings, ControlTowerFinding, formatFindings } from '../support/control-tower';

/**
 * AWS Control Tower proactive controls (@cdklabs/cdk-validator-cfnguard) against every
 * construct with no props. Each construct gets its own stack in one app, so the whole
 * suite is one synth and one cfn-guard run.
 *
 * KNOWN lists every finding the defaults still have, per construct, as
 * `<control> <construct path inside the stack>`. It is compared exactly: a new finding
 * fails, and so does a fixed one until it is deleted here. The list shrinks as the
 * DLQ RedriveAllowPolicy fix (CT.SQS.PR.1) and the hardened configuration (VPC, log-group
 * KMS key, retention >= 1 year) land; what is left after that (CT.LAMBDA.PR.2: the rule
 * cannot read the Fn::Join SourceArn aws-cdk-lib writes for API Gateway permissions) is
 * acknowledged on the exact resource with its reason.
 */
const KNOWN: Record<string, string[]> = {
  IdempotentFunction: [
    'CT.CLOUDWATCH.PR.2 Fn/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Fn/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Fn/Function/Resource',
    'CT.SQS.PR.1 Fn/AsyncDeadLetterQueue/Resource',
  ],
  SqsBatchConsumer: [
    'CT.CLOUDWATCH.PR.2 Consumer/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Consumer/LogGroup/Resource',
    'CT.LAMBDA.PR.3 Consumer/Function/Resource',
    'CT.SQS.PR.1 Consumer/DeadLetterQueue/Resource',
  ],
  ObservableApiRest: [
    'CT.CLOUDWATCH.PR.2 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.2 Api/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Api/LogGroup/Resource',
    'CT.LAMBDA.PR.2 Api/RestApi/Default/ANY/ApiPermission.ObservableApiRestApiRestApiD23FDB19.ANY..',
    'CT.LAMBDA.PR.2 Api/RestApi/Default/ANY/ApiPermission.Test.ObservableApiRestApiRestApiD23FDB19.ANY..',
    'CT.LAMBDA.PR.2 Api/RestApi/Default/{proxy+}/ANY/ApiPermission.ObservableApiRestApiRestApiD23FDB19.ANY..{proxy+}',
    'CT.LAMBDA.PR.2 Api/RestApi/Default/{proxy+}/ANY/ApiPermission.Test.ObservableApiRestApiRestApiD23FDB19.ANY..{proxy+}',
    'CT.LAMBDA.PR.3 Api/Function/Resource',
  ],
  ObservableApiHttp: [
    'CT.CLOUDWATCH.PR.2 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.2 Api/LogGroup/Resource',
    'CT.CLOUDWATCH.PR.3 Api/AccessLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Api/LogGroup/Resource',
    'CT.LAMBDA.PR.2 Api/HttpApi/DefaultRoute/DefaultIntegration-Permission',
    'CT.LAMBDA.PR.3 Api/Function/Resource',
  ],
  PowerTunedFunction: [
    ...['Tuned', 'Tuned/Tuner/Initializer', 'Tuned/Tuner/Executor', 'Tuned/Tuner/Cleaner', 'Tuned/Tuner/Analyzer'].flatMap((fn) => [
      `CT.CLOUDWATCH.PR.2 ${fn}/LogGroup/Resource`,
      `CT.CLOUDWATCH.PR.3 ${fn}/LogGroup/Resource`,
      `CT.LAMBDA.PR.3 ${fn}/Function/Resource`,
    ]),
    'CT.CLOUDWATCH.PR.2 Tuned/Tuner/StateMachineLogs/Resource',
    'CT.CLOUDWATCH.PR.3 Tuned/Tuner/StateMachineLogs/Resource',
    'CT.SQS.PR.1 Tuned/AsyncDeadLetterQueue/Resource',
  ],
};

const BUILDERS: Record<string, (stack: Stack) => void> = {
  IdempotentFunction: (stack) => new IdempotentFunction(stack, 'Fn'),
  SqsBatchConsumer: (stack) => new SqsBatchConsumer(stack, 'Consumer'),
  ObservableApiRest: (stack) => new ObservableApi(stack, 'Api'),
  ObservableApiHttp: (stack) => new ObservableApi(stack, 'Api', { apiKind: ApiKind.http() }),
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
