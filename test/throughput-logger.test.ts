/**
 * startInvocation skips Powertools' sample re-draw for a logger made without a sampling
 * rate (it only costs time there), but must still do what the re-draw did: put the logger
 * back on its initial level at the start of each invocation.
 */
import { lambdaContext } from './support/assets';
import { OBSERVABILITY_ENV } from '../src/core/contract/observability-env';
import { POWERTOOLS_ENV } from '../src/core/contract/powertools-env';
import { createLogger, startInvocation } from '../src/core/runtime/shared/logger';

describe('startInvocation without log sampling', () => {
  const saved = process.env.POWERTOOLS_LOG_LEVEL;
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = saved;
  });

  test.each([
    ['plain', {}],
    ['with log buffering', { [OBSERVABILITY_ENV.logBufferMaxBytes.name]: '20480' }],
  ])('a level changed during one invocation is back at its initial level in the next (%s)', (_, env) => {
    const logger = createLogger(env);
    expect(logger.getLevelName()).toBe('WARN');
    startInvocation(logger, lambdaContext() as any);
    expect(logger.getLevelName()).toBe('WARN');
    logger.setLogLevel('DEBUG');
    startInvocation(logger, lambdaContext() as any);
    expect(logger.getLevelName()).toBe('WARN');
  });

  test('a sampled logger still re-draws at each invocation (rate 1: DEBUG every time)', () => {
    const logger = createLogger({ [POWERTOOLS_ENV.loggerSampleRate.name]: '1' });
    const spy = jest.spyOn(logger, 'refreshSampleRateCalculation');
    startInvocation(logger, lambdaContext() as any);
    startInvocation(logger, lambdaContext() as any);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
