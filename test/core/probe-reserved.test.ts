import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ProbePattern } from './probe-construct';
import { createTestApp } from '../support/app';

function build(environment: { [key: string]: string }): Stack {
  const stack = new Stack(createTestApp(), 'Env');
  new ProbePattern(stack, 'P', { environment }, { reservedPrefixes: ['PROBE_'] });
  return stack;
}

describe('reserved environment prefixes', () => {
  test('a reserved variable the construct leaves unset is still refused', () => {
    expect(() => build({ PROBE_MODE: 'on' })).toThrow(
      /invalid `environment.PROBE_MODE` \(got "on"\)\. Variables starting with PROBE_ configure the construct's template/,
    );
  });

  test('repeating the wired value is allowed; unrelated variables pass into the merged environment', () => {
    const t = Template.fromStack(build({ PROBE_TABLE: 'wired', OTHER: '1' }));
    const variables = Object.values<any>(t.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
    expect(variables).toMatchObject({ PROBE_TABLE: 'wired', OTHER: '1', POWERTOOLS_SERVICE_NAME: 'P' });
  });
});
