import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerCode } from '../../src';
import { createCoreFunction } from '../../src/core/powertools-function';
import { createTestApp } from '../support/app';

const CODE = HandlerCode.fromCode(lambda.Code.fromInline('exports.handler = async () => 1;'), 'index.handler', lambda.Runtime.NODEJS_24_X);

function build(environment: { [key: string]: string }) {
  const scope = new Construct(new Stack(createTestApp(), 'Env'), 'P');
  return createCoreFunction(scope, {
    constructName: 'Probe',
    options: { handlerCode: CODE, environment },
    template: { name: 'probe', wrapExport: 'wrap', entryContract: '' },
    description: 'probe',
    wiringEnvironment: { FEATURE_TABLE: 't' },
    reservedEnvironmentPrefixes: ['FEATURE_'],
    asyncDeadLetterQueue: false,
  });
}

describe('reserved environment prefixes', () => {
  test('a reserved variable the construct leaves unset is still refused', () => {
    expect(() => build({ FEATURE_MODE: 'on' })).toThrow(
      /invalid `environment.FEATURE_MODE` \(got "on"\)\. Variables starting with FEATURE_ configure the construct's template/,
    );
  });

  test('repeating the wired value is allowed; unrelated variables pass', () => {
    const core = build({ FEATURE_TABLE: 't', OTHER: '1' });
    expect(core.fn).toBeDefined();
  });
});
