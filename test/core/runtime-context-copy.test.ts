/**
 * withParameters (src/core/runtime/shared/parameters.ts): the context the logic gets is a copy
 * of Lambda's with a non-enumerable `parameters`. The copy must not take the runtime's
 * context as its prototype (each invocation's context turned into a prototype gave every
 * copy a hidden class of its own and kept a warm function's young generation growing:
 * bench/, memory), and must still behave as that context does.
 */
import { withParameters } from '../../src/core/runtime/shared/parameters';
import { lambdaContext } from '../support/assets';

/** A context as Lambda's runtime builds it: an accessor the runtime reads back, methods, plain fields. */
function runtimeContext() {
  const state = { waits: true };
  const context = lambdaContext({ requestId: 'req-copy' }) as Record<string, unknown>;
  delete context.callbackWaitsForEmptyEventLoop;
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
    get: () => state.waits,
    set: (value: boolean) => (state.waits = value),
    enumerable: true,
    configurable: true,
  });
  Object.defineProperty(context, 'runtimeInternal', { value: 'hidden', enumerable: false });
  return { context, state };
}

test('the copy has the context\'s prototype, not the context itself', () => {
  const { context } = runtimeContext();
  const copy = withParameters(context);
  expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(context));
  expect(Object.getPrototypeOf(copy)).not.toBe(context);
  class RuntimeContext {
    public readonly awsRequestId = 'req-class';
    public remaining(): number {
      return 1;
    }
  }
  const instance = withParameters(new RuntimeContext());
  expect(instance).toBeInstanceOf(RuntimeContext);
  expect(instance.remaining()).toBe(1);
});

test('the copy reads as the context: fields, methods, non-enumerable members, its log line', () => {
  const { context } = runtimeContext();
  const copy = withParameters(context) as Record<string, any>;
  expect(copy.awsRequestId).toBe('req-copy');
  expect(copy.getRemainingTimeInMillis()).toBeGreaterThan(0);
  expect(copy.runtimeInternal).toBe('hidden');
  expect(Object.keys(copy)).toEqual(Object.keys(context));
  expect(JSON.stringify(copy)).toBe(JSON.stringify(context));
  expect(Object.getOwnPropertyDescriptor(copy, 'parameters')).toMatchObject({ enumerable: false, writable: false });
  expect(typeof copy.parameters.get).toBe('function');
});

test('setting callbackWaitsForEmptyEventLoop on the copy reaches the runtime; the context gets no parameters', () => {
  const { context, state } = runtimeContext();
  const copy = withParameters(context) as Record<string, any>;
  copy.callbackWaitsForEmptyEventLoop = false;
  expect(state.waits).toBe(false);
  expect(context.callbackWaitsForEmptyEventLoop).toBe(false);
  expect('parameters' in context).toBe(false);
});

test('a mock context made of a Proxy (as jest-mock-extended makes them) is read through', () => {
  const mock = new Proxy({} as Record<string, unknown>, {
    get: (_, property) => (property === 'getRemainingTimeInMillis' ? () => 5 : property === 'awsRequestId' ? 'req-mock' : undefined),
  });
  const copy = withParameters(mock) as Record<string, any>;
  expect(copy.getRemainingTimeInMillis()).toBe(5);
  expect(copy.awsRequestId).toBe('req-mock');
  expect(typeof copy.parameters.get).toBe('function');
  expect(Object.getOwnPropertyDescriptor(copy, 'parameters')).toMatchObject({ enumerable: false });
});
