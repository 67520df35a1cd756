import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PowerTunedFunction, TuningSampling } from '../../src/power-tuning';
import { createTestApp } from '../support/app';
import { collectFindings } from '../support/nag';

function build(props: ConstructorParameters<typeof PowerTunedFunction>[2] = {}) {
  const app = createTestApp();
  const stack = new Stack(app, 'Shop');
  const processors = {
    pre: lambda.Function.fromFunctionArn(stack, 'Pre', 'arn:aws:lambda:us-east-1:123456789012:function:seed-order'),
    post: lambda.Function.fromFunctionArn(stack, 'Post', 'arn:aws:lambda:us-east-1:123456789012:function:delete-order'),
  };
  const construct = new PowerTunedFunction(stack, 'Fn', typeof props === 'function' ? (props as any)(processors) : props);
  return { app, stack, construct, processors };
}

/** The Defaults state's Result: the run configuration every execution starts from. */
function defaultsOf(stack: Stack): Record<string, unknown> {
  const sm = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  const parts = sm.Properties.DefinitionString['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : '<token>'));
  return JSON.parse(parts.join('')).States.Defaults.Result;
}

/** Policy statements of the executor function's role. */
function executorStatements(stack: Stack): any[] {
  const template = Template.fromStack(stack);
  const roles = template.findResources('AWS::IAM::Role');
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Handler === 'index.executor') as any;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  expect(roles[roleId]).toBeDefined();
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

const ALL_RUN_OPTIONS = (p: { pre: lambda.IFunction; post: lambda.IFunction }) => ({
  invocationsPerValue: 20,
  payloadS3: 's3://shop-tuning/payloads/order.json',
  preProcessor: p.pre,
  postProcessor: p.post,
  allowedExceptions: ['OrderValidationError'],
  sampling: TuningSampling.adaptive({ minInvocations: 6, confidence: 0.9 }),
});

describe('run options', () => {
  test('no run options: the defaults carry none, and the executor gets no extra grant', () => {
    const { stack } = build();
    const defaults = defaultsOf(stack);
    for (const key of ['payloads', 'payloadS3', 'preProcessor', 'postProcessor', 'dryRun', 'allowedExceptions', 'sampling']) {
      expect(defaults[key]).toBeUndefined();
    }
    const actions = executorStatements(stack).flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('s3:GetObject');
  });

  test('processors get an invoke grant on exactly their function, the payload object a read grant on exactly that object', () => {
    const { stack } = build(ALL_RUN_OPTIONS as any);
    const statements = executorStatements(stack);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:seed-order' },
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:delete-order' },
        {
          Action: 's3:GetObject',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::shop-tuning/payloads/order.json']] },
        },
      ]),
    );
    // the defaults name the processors and carry the options into every run
    expect(defaultsOf(stack)).toMatchObject({
      payloadS3: 's3://shop-tuning/payloads/order.json',
      preProcessor: 'seed-order',
      postProcessor: 'delete-order',
      allowedExceptions: ['OrderValidationError'],
      sampling: { mode: 'adaptive', minInvocations: 6, confidence: 0.9 },
    });
  });

  test('weighted payloads and dry run go into the defaults; a dry run is flagged at synth', () => {
    const { stack } = build({ weightedPayloads: [{ payload: { size: 'S' }, weight: 0.75 }, { payload: '{"size":"L"}', weight: 0.25 }], dryRun: true });
    expect(defaultsOf(stack)).toMatchObject({ payloads: [{ payload: { size: 'S' }, weight: 0.75 }, { payload: '{"size":"L"}', weight: 0.25 }], dryRun: true });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('dryRun is on'));
  });

  test('TuningSampling.exhaustive() is the exhaustive sweep, and adaptive() has documented defaults', () => {
    expect(TuningSampling.exhaustive()).toMatchObject({ mode: 'fixed', minInvocations: undefined });
    expect(TuningSampling.adaptive()).toMatchObject({ mode: 'adaptive', minInvocations: 5, confidence: 0.95 });
  });

  test('every run option: cdk-nag and CloudFormation validation find nothing', () => {
    const { app } = build(ALL_RUN_OPTIONS as any);
    expect(collectFindings(app)).toEqual([]);
  });
});

describe('bad run options fail synth with one clear message', () => {
  test.each([
    [{ weightedPayloads: [{ payload: {}, weight: 0.6 }, { payload: {}, weight: 0.3 }] }, /invalid `weightedPayloads`.*weightedPayloads weights must sum to 1 \(got 0.6 \+ 0.3 = 0.9\)/],
    [{ weightedPayloads: [{ payload: {}, weight: 0.95 }, { payload: {}, weight: 0.05 }] }, /invalid `weightedPayloads`.*With invocationsPerValue 10, payloads #2 \(weight 0.05\) would never be invoked/],
    [{ payload: {}, weightedPayloads: [{ payload: {}, weight: 1 }] }, /invalid `weightedPayloads`.*Give one payload source: payload or weightedPayloads, not both/],
    [{ payloadS3: 'https://shop-tuning.s3.amazonaws.com/p.json' }, /invalid `payloadS3` \(got "https:\/\/shop-tuning.s3.amazonaws.com\/p.json"\)\. payloadS3 must be an s3:\/\/bucket\/key URL/],
    [{ allowedExceptions: ['Ok', 42] }, /invalid `allowedExceptions` \(got \["Ok", 42\]\)\. allowedExceptions must hold error type names.*; \[42\] are not/],
    [{ allowedExceptions: 'OrderValidationError' }, /invalid `allowedExceptions`.*must be a list of at most 50 error types/],
    [{ sampling: TuningSampling.adaptive({ minInvocations: 12 }) }, /invalid `sampling`.*sampling.minInvocations \(12\) is above num \(10\): lower minInvocations or raise num/],
    [{ sampling: TuningSampling.adaptive({ confidence: 2 }) }, /invalid `sampling`.*sampling.confidence must be a number from 0.5 to 0.999/],
    [{ dryRun: 'yes' }, /invalid `dryRun` \(got "yes"\)\. Use true or false/],
  ])('%j', (props, message) => {
    expect(() => build(props as any)).toThrow(message);
  });
});
