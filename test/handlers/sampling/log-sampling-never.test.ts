import { samplingHarness } from './sampling-harness';

const sampling = samplingHarness('0.000000001');

test('an invocation that is not sampled logs only from POWERTOOLS_LOG_LEVEL up, although Lambda lets DEBUG through', async () => {
  await sampling.invokeTwice();
  expect(sampling.lines.join('')).toContain('"_aws"'); // the template ran and published its metrics
  expect(sampling.levels().filter((level) => level === 'DEBUG' || level === 'INFO')).toEqual([]);
});
