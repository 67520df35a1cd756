import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HandlerCode } from '../../src';
import { pathDerivedName, uniqueName } from '../../src/core/naming';
import { createTestStack } from '../support/app';

const TEMPLATE = { name: 'no-such-template', wrapExport: 'wrap', entryContract: 'export a function' };

describe('naming', () => {
  test('path-derived name drops the stack and joins the path', () => {
    const stack = createTestStack('Shop');
    const inner = new Construct(new Construct(stack, 'Api'), 'Orders');
    expect(pathDerivedName(inner)).toBe('Api-Orders');
    expect(uniqueName(inner, 'Errors')).toBe('Shop-Api-Orders-Errors');
  });

  test('long names are shortened with a hash and stay distinct', () => {
    const stack = createTestStack('S');
    const a = new Construct(stack, 'A'.repeat(300));
    const b = new Construct(stack, 'A'.repeat(299) + 'B');
    const na = uniqueName(a, 'Errors');
    const nb = uniqueName(b, 'Errors');
    expect(na.length).toBe(255);
    expect(nb.length).toBe(255);
    expect(na).not.toBe(nb);
    expect(na.endsWith(`Errors-${na.slice(-8)}`.slice(-15))).toBe(true);
  });
});

describe('HandlerCode', () => {
  test('template() fails clearly when the bundled template is missing', () => {
    const stack = createTestStack();
    expect(() => HandlerCode.template()._bind(stack, TEMPLATE)).toThrow(/bundled template "no-such-template" is missing at .*"npx projen bundle:templates"/);
  });

  test('fromEntry() fails clearly for a file that does not exist', () => {
    const stack = createTestStack();
    expect(() => HandlerCode.fromEntry('does/not/exist.ts')._bind(new Construct(stack, 'Fn'), TEMPLATE)).toThrow(
      /Fn: invalid `handlerCode` \(got "does\/not\/exist.ts"\)\. HandlerCode.fromEntry\(\) needs an existing file/,
    );
  });

  test('fromCode() keeps the user code, handler and runtime', () => {
    const stack = new Stack();
    const code = lambda.Code.fromInline('def handler(e, c): return 1');
    const bound = HandlerCode.fromCode(code, 'index.handler', lambda.Runtime.PYTHON_3_13)._bind(stack, TEMPLATE);
    expect(bound).toEqual({ code, handler: 'index.handler', runtime: lambda.Runtime.PYTHON_3_13, kind: 'custom' });
  });

  test('fromCode() rejects an empty handler', () => {
    const stack = createTestStack();
    expect(() => HandlerCode.fromCode(lambda.Code.fromInline('x'), '', lambda.Runtime.PYTHON_3_13)._bind(stack, TEMPLATE)).toThrow(
      /invalid `handlerCode` \(got ""\)\. HandlerCode.fromCode\(\) needs a handler/,
    );
  });
});
