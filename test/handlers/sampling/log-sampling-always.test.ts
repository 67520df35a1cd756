import { samplingHarness } from './sampling-harness';

const sampling = samplingHarness('1');

test('a sampled invocation logs below POWERTOOLS_LOG_LEVEL, at DEBUG', async () => {
  await sampling.invokeTwice();
  expect(sampling.levels()).toEqual(expect.arrayContaining(['DEBUG', 'INFO']));
});
