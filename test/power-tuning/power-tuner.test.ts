import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IdempotentFunction } from '../../src/idempotency';
import { PowerTunedFunction, PowerTuner } from '../../src/power-tuning';
import { createTestApp, TEST_CONTEXT } from '../support/app';
import { collectFindings } from '../support/nag';

const IMPORTED_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';

/** Every Lambda action's resources, per policy. */
function lambdaResources(t: Template): { policy: string; resources: any[] }[] {
  const out: { policy: string; resources: any[] }[] = [];
  for (const [policy, p] of Object.entries(t.findResources('AWS::IAM::Policy')) as [string, any][]) {
    for (const st of p.Properties.PolicyDocument.Statement) {
      if ([st.Action].flat().some((a: string) => a.startsWith('lambda:'))) out.push({ policy, resources: [st.Resource].flat() });
    }
  }
  return out;
}

describe('PowerTuner for a function it did not create', () => {
  test('a lambda.Function in the same stack: every permission names that function, its versions and aliases; no nag findings', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Plain');
    const fn = new lambda.Function(stack, 'Orders', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    const tuner = new PowerTuner(stack, 'Tuner', { function: fn });
    const t = Template.fromStack(stack);
    const fnId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    const tunerFns = tuner.tunerFunctions.map((f) => stack.getLogicalId(f.function.node.defaultChild as lambda.CfnFunction));
    for (const { policy, resources } of lambdaResources(t)) {
      const targets = policy.startsWith('TunerStateMachineRole') ? tunerFns : [fnId];
      for (const r of resources) {
        expect(targets.flatMap((id) => [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, ':*']] }])).toContainEqual(r);
      }
    }
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.initializer', Environment: { Variables: Match.objectLike({ TUNED_FUNCTION_NAME: { Ref: fnId } }) } });
    expect(tuner.function).toBe(fn);
    expect(tuner.dashboard).toBeDefined();
    expect(tuner.alarms.length).toBeGreaterThan(0);
    // the user's function is left as it was: no version, no removal policy
    t.resourceCountIs('AWS::Lambda::Version', 0);
    // the bare function has findings of its own; the tuner adds none
    const findings = collectFindings(app);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => !f.resource.startsWith('Plain/Orders/'))).toEqual([]);
  });

  test('the function of an IdempotentFunction, with a run on every deployment: no nag findings', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Orders');
    const orders = new IdempotentFunction(stack, 'Orders');
    new PowerTuner(stack, 'Tuner', { function: orders.function, tuneOnDeploy: true });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::PowerTuningOnDeploy', 1);
    // its versions keep the removal policy the user chose: the tuner sets none on a function it does not own
    t.hasResource('AWS::Lambda::Version', { DeletionPolicy: Match.absent() });
    expect(collectFindings(app)).toEqual([]);
  });

  test('a function imported by ARN: permissions name exactly that ARN and ARN:*; no nag findings', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Imported');
    new PowerTuner(stack, 'Tuner', { function: lambda.Function.fromFunctionArn(stack, 'Orders', IMPORTED_ARN), powerValuesMb: [512, 1024] });
    const t = Template.fromStack(stack);
    const resources = lambdaResources(t).filter((r) => !r.policy.startsWith('TunerStateMachineRole')).flatMap((r) => r.resources);
    expect(new Set(resources.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify(IMPORTED_ARN), JSON.stringify(`${IMPORTED_ARN}:*`)]));
    t.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.publisher', Environment: { Variables: Match.objectLike({ TUNED_FUNCTION_NAME: 'orders' }) } });
    expect(collectFindings(app)).toEqual([]);
  });

  test('bad props name the prop, the value and the fix', () => {
    const stack = new Stack(createTestApp(), 'Bad');
    const imported = lambda.Function.fromFunctionArn(stack, 'Orders', IMPORTED_ARN);
    expect(() => new PowerTuner(stack, 'OnDeploy', { function: imported, tuneOnDeploy: true })).toThrow(
      /^PowerTuner Bad\/OnDeploy: invalid `tuneOnDeploy` \(got true\)\. A run on deploy needs a function defined in this stack/,
    );
    const fn = new PowerTunedFunction(stack, 'Fn').function;
    expect(() => new PowerTuner(stack, 'Alias', { function: new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion }) })).toThrow(
      /invalid `function` \(got "Bad\/Live"\)\. Pass the function itself, not a version or alias/,
    );
    expect(() => new PowerTuner(stack, 'Num', { function: imported, invocationsPerValue: 2 })).toThrow(/^PowerTuner Bad\/Num: invalid `invocationsPerValue` \(got 2\)/);
  });
});

describe('memorySizeFromTuningResult: the closed loop through a context lookup', () => {
  const env = { account: '123456789012', region: 'eu-west-1' };
  const key = 'ssm:account=123456789012:parameterName=/shop/power-tuning:region=eu-west-1';
  const build = (context: Record<string, unknown>, props: object = {}) => {
    const app = new App({ context: { ...TEST_CONTEXT, ...context } });
    const stack = new Stack(app, 'Shop', { env });
    new PowerTunedFunction(stack, 'Fn', { memorySizeMb: 512, resultsParameterName: '/shop/power-tuning', memorySizeFromTuningResult: true, ...props });
    return stack;
  };

  test('the recommendation committed in cdk.context.json becomes the memory', () => {
    const stack = build({ [key]: JSON.stringify({ strategy: 'cost', recommendation: { powerMb: 1536, averageCost: 1e-6 } }) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 1536 });
  });

  test('no result yet: memorySizeMb', () => {
    const stack = build({});
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 512 });
    Annotations.fromStack(stack).hasInfo('/Shop/Fn', Match.stringLikeRegexp('No tuning result in /shop/power-tuning yet'));
  });

  test('a result without a usable recommendation keeps memorySizeMb', () => {
    const stack = build({ [key]: JSON.stringify({ message: 'Every power value failed' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 512 });
    Annotations.fromStack(stack).hasInfo('/Shop/Fn', Match.stringLikeRegexp('has no recommendation.powerMb'));
  });

  test('it needs a results parameter and a concrete environment', () => {
    expect(() => build({}, { resultsParameterName: undefined })).toThrow(/invalid `memorySizeFromTuningResult` \(got true\)\. Set resultsParameterName/);
    const stack = new Stack(createTestApp(), 'Agnostic');
    expect(() => new PowerTunedFunction(stack, 'Fn', { resultsParameterName: '/x', memorySizeFromTuningResult: true })).toThrow(
      /invalid `memorySizeFromTuningResult` \(got true\)\. Give the stack a concrete env/,
    );
  });
});
