import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  IdempotentFunction,
  ObservableApi,
  ParametersOptions,
  PowerTunedFunction,
  PowertoolsFunction,
  SqsBatchConsumer,
  SsmParameter,
  StreamBatchConsumer,
} from '../../src';
import { createTestApp } from '../support/app';
import { expectNagClean } from '../support/nag';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function stackWith(props: ParametersOptions & { [key: string]: unknown }) {
  const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
  const fn = new PowertoolsFunction(stack, 'Fn', props);
  return { stack, fn, template: Template.fromStack(stack) };
}

const functionEnv = (template: Template, index = 0): Record<string, any> =>
  (Object.values(template.findResources('AWS::Lambda::Function')) as any[])[index].Properties.Environment.Variables;

const statements = (template: Template): any[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

const statementsWith = (template: Template, prefix: string) =>
  statements(template).filter((s) => [s.Action].flat().some((a: string) => a.startsWith(prefix)));

const importedSecret = (stack: Stack, id = 'Stripe') =>
  secretsmanager.Secret.fromSecretCompleteArn(stack, id, `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id.toLowerCase()}-AbCdEf`);

describe('parameters and secrets: names in the environment, read access on exactly those resources', () => {
  test('no parameters: no variables, no SSM or Secrets Manager permissions', () => {
    const { template } = stackWith({});
    expect(Object.keys(functionEnv(template)).filter((k) => k.startsWith('PARAMETERS_') || k === 'POWERTOOLS_PARAMETERS_MAX_AGE')).toEqual([]);
    expect(statementsWith(template, 'ssm:')).toEqual([]);
    expect(statementsWith(template, 'secretsmanager:')).toEqual([]);
  });

  test('parameters by name and by construct: a JSON map of names, ssm:GetParameter on each ARN only', () => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    const flag = new ssm.StringParameter(stack, 'Flag', { stringValue: 'on' });
    new PowertoolsFunction(stack, 'Fn', {
      parameters: { dbUrl: SsmParameter.fromName('/shop/db-url'), region: SsmParameter.fromName('region-name'), flag: SsmParameter.fromParameter(flag) },
    });
    const template = Template.fromStack(stack);
    const names = functionEnv(template).PARAMETERS_SSM_NAMES;
    expect(JSON.stringify(names)).toContain('\\"dbUrl\\":\\"/shop/db-url\\"');
    expect(JSON.stringify(names)).toContain('\\"region\\":\\"region-name\\"');
    expect(JSON.stringify(names)).toContain('{"Ref":"FlagE0DBE9F9"}'.slice(0, 8));
    const ssmStatements = statementsWith(template, 'ssm:');
    expect(new Set(ssmStatements.map((s) => s.Action))).toEqual(new Set(['ssm:GetParameter']));
    const resources = JSON.stringify(ssmStatements.map((s) => s.Resource));
    expect(resources).toContain(':ssm:eu-west-1:123456789012:parameter/shop/db-url');
    expect(resources).toContain(':ssm:eu-west-1:123456789012:parameter/region-name');
    expect(resources).toContain('parameter/');
    expect(resources).not.toContain('*');
  });

  test('secrets: their full ARNs in the environment, exactly GetSecretValue, kms:Decrypt through Secrets Manager for a customer key', () => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    const key = new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true });
    const owned = new secretsmanager.Secret(stack, 'Owned', { encryptionKey: key });
    const partial = secretsmanager.Secret.fromSecretNameV2(stack, 'ByName', 'shop/paypal');
    new PowertoolsFunction(stack, 'Fn', { secrets: { stripe: importedSecret(stack), owned, paypal: partial } });
    const template = Template.fromStack(stack);
    const ids = JSON.stringify(functionEnv(template).PARAMETERS_SECRET_IDS);
    expect(ids).toContain('arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe-AbCdEf');
    expect(ids).toContain('secret:shop/paypal');
    const secretStatements = statementsWith(template, 'secretsmanager:');
    expect(secretStatements.map((s) => s.Action)).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue'].slice(0, secretStatements.length));
    const resources = JSON.stringify(secretStatements.map((s) => s.Resource));
    expect(resources).toContain('secret:stripe-AbCdEf');
    // a name-only secret: the suffix Secrets Manager appends, and nothing wider
    expect(resources).toContain('secret:shop/paypal-??????');
    const keyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(keyPolicy).toContain('kms:ViaService');
    expect(keyPolicy).toContain('secretsmanager.eu-west-1.amazonaws.com');
  });

  test('a SecureString under a customer managed key: kms:Decrypt on that key', () => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'ParamKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const imported = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Token', { parameterName: '/shop/token', encryptionKey: key });
    new PowertoolsFunction(stack, 'Fn', { parameters: { token: SsmParameter.fromParameter(imported), apiKey: SsmParameter.fromName('/shop/api-key', { encryptionKey: key }) } });
    const decrypt = statementsWith(Template.fromStack(stack), 'kms:');
    expect(new Set(decrypt.flatMap((s) => [s.Action].flat()))).toEqual(new Set(['kms:Decrypt']));
    expect(new Set(decrypt.flatMap((s) => [s.Resource].flat()))).toEqual(new Set([key.keyArn]));
  });

  test('a token parameter name is accepted and granted: both ARN forms of that one name', () => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    const name = new CfnParameter(stack, 'DbUrlName').valueAsString;
    new PowertoolsFunction(stack, 'Fn', { parameters: { dbUrl: SsmParameter.fromName(name) } });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(functionEnv(template).PARAMETERS_SSM_NAMES)).toContain('{"Ref":"DbUrlName"}');
    const [statement] = statementsWith(template, 'ssm:');
    expect(statement.Resource).toHaveLength(2);
    const arns = JSON.stringify(statement.Resource);
    expect(arns).toContain(':parameter/"');
    expect(arns).toContain(':parameter"');
    expect(arns.match(/\{"Ref":"DbUrlName"\}/g)).toHaveLength(2);
    // simpleName pins one form
    const pinned = new Stack(createTestApp(), 'Pinned', { env: ENV });
    new PowertoolsFunction(pinned, 'Fn', { parameters: { dbUrl: SsmParameter.fromName(new CfnParameter(pinned, 'N').valueAsString, { simpleName: false }) } });
    const [one] = statementsWith(Template.fromStack(pinned), 'ssm:');
    expect(JSON.stringify(one.Resource)).toContain(':parameter"');
    expect(JSON.stringify(one.Resource)).not.toContain(':parameter/"');
  });

  test('parametersMaxAge sets POWERTOOLS_PARAMETERS_MAX_AGE in seconds; 0 is allowed', () => {
    expect(functionEnv(stackWith({ parameters: { a: SsmParameter.fromName('a') }, parametersMaxAge: Duration.minutes(5) }).template).POWERTOOLS_PARAMETERS_MAX_AGE).toBe('300');
    expect(functionEnv(stackWith({ secrets: {}, parameters: { a: SsmParameter.fromName('a') }, parametersMaxAge: Duration.seconds(0) }).template).POWERTOOLS_PARAMETERS_MAX_AGE).toBe('0');
    expect(functionEnv(stackWith({ parameters: { a: SsmParameter.fromName('a') } }).template).POWERTOOLS_PARAMETERS_MAX_AGE).toBeUndefined();
  });

  test('never a value: only names and ARNs reach the environment', () => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    const flag = new ssm.StringParameter(stack, 'Flag', { stringValue: 'plain-value-123' });
    new PowertoolsFunction(stack, 'Fn', { parameters: { flag: SsmParameter.fromParameter(flag) }, secrets: { stripe: importedSecret(stack) } });
    expect(JSON.stringify(functionEnv(Template.fromStack(stack)))).not.toContain('plain-value-123');
  });
});

describe('bad parameter props fail at synth naming the prop, the value and the fix', () => {
  test.each([
    [{ parameters: { 'db-url': SsmParameter.fromName('/a') } }, /PowertoolsFunction Shop\/Fn: invalid `parameters\.db-url` \(got "db-url"\)\. Keys are what your logic passes to get\(\)\/secret\(\): a letter/],
    [{ parameters: { dbUrl: SsmParameter.fromName('shop/db-url') } }, /invalid `parameters\.dbUrl` \(got "shop\/db-url"\)\. An SSM parameter name is a simple name \("db-url"\) or a path starting with "\/"/],
    [{ parameters: { dbUrl: SsmParameter.fromName('') } }, /invalid `parameters\.dbUrl` \(got ""\)/],
    [{ parametersMaxAge: Duration.minutes(1) }, /invalid `parametersMaxAge` \(got 1 minute\)\. It only applies with `parameters` or `secrets`/],
    [{ parameters: { a: SsmParameter.fromName('a') }, parametersMaxAge: Duration.millis(1500) }, /invalid `parametersMaxAge` \(got 1 second 500 millis\)\. Use whole seconds/],
    [{ secrets: { stripe: undefined as any } }, /invalid `secrets\.stripe` \(got undefined\)\. Give an ISecret or remove the key/],
    [{ parameters: { a: SsmParameter.fromName('a') }, environment: { PARAMETERS_SSM_NAMES: '{}' } }, /invalid `environment\.PARAMETERS_SSM_NAMES`/],
  ])('%#', (props, message) => {
    expect(() => stackWith(props as any)).toThrow(message);
  });
});

describe('every construct takes parameters and secrets through the shared options', () => {
  const shared = (stack: Stack): ParametersOptions => ({ parameters: { dbUrl: SsmParameter.fromName('/shop/db-url') }, secrets: { stripe: importedSecret(stack) } });
  const CONSTRUCTS: Record<string, (stack: Stack) => unknown> = {
    IdempotentFunction: (s) => new IdempotentFunction(s, 'C', shared(s)),
    SqsBatchConsumer: (s) => new SqsBatchConsumer(s, 'C', shared(s)),
    StreamBatchConsumer: (s) => new StreamBatchConsumer(s, 'C', shared(s)),
    ObservableApi: (s) => new ObservableApi(s, 'C', shared(s)),
    PowerTunedFunction: (s) => new PowerTunedFunction(s, 'C', { ...shared(s), tuneOnDeploy: true } as any),
  };

  test.each(Object.keys(CONSTRUCTS))('%s: its function gets the names and the grants; helper functions get neither', (name) => {
    const stack = new Stack(createTestApp(), 'Shop', { env: ENV });
    CONSTRUCTS[name](stack);
    const template = Template.fromStack(stack);
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    const withNames = fns.filter((f) => f.Properties.Environment?.Variables?.PARAMETERS_SSM_NAMES);
    expect(withNames).toHaveLength(1);
    expect(JSON.stringify(withNames[0].Properties.Environment.Variables.PARAMETERS_SECRET_IDS)).toContain('secret:stripe-AbCdEf');
    expect(JSON.stringify(statementsWith(template, 'ssm:GetParameter').map((s) => s.Resource))).toContain('parameter/shop/db-url');
    expect(statementsWith(template, 'secretsmanager:')).toHaveLength(1);
  });

  test('nag-clean and free of CloudFormation validation findings with parameters and secrets', () => {
    const app = createTestApp();
    const stack = new Stack(app, 'Nag', { env: ENV });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new PowertoolsFunction(stack, 'Fn', {
      parameters: { dbUrl: SsmParameter.fromName('/shop/db-url', { encryptionKey: key }), flag: SsmParameter.fromName(new CfnParameter(stack, 'Flag').valueAsString) },
      secrets: { stripe: importedSecret(stack), paypal: secretsmanager.Secret.fromSecretNameV2(stack, 'Paypal', 'shop/paypal') },
      parametersMaxAge: Duration.minutes(1),
    });
    expectNagClean(app);
  });
});
