import { importTemplate, lambdaContext } from '../../support/assets';

// PowertoolsFunction with logSamplingRate sets Lambda's application log level to DEBUG
// (AWS_LAMBDA_LOG_LEVEL) so sampled DEBUG lines are kept, and POWERTOOLS_LOG_LEVEL to the
// configured level. The bundled template must still filter by POWERTOOLS_LOG_LEVEL.
const RATE = '1';
let mod: any;
const lines: string[] = [];
beforeAll(async () => {
  Object.assign(process.env, { AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_LOGGER_SAMPLE_RATE: RATE });
  mod = await importTemplate('function');
});
afterAll(() => {
  for (const key of ['AWS_LAMBDA_LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_LOGGER_SAMPLE_RATE']) delete process.env[key];
});
beforeEach(() => {
  lines.length = 0;
  const capture = (chunk: any) => (lines.push(String(chunk)), true);
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => jest.restoreAllMocks());

const levels = () => lines.join('').split('\n').filter((l) => l.startsWith('{') && !l.includes('"_aws"')).map((l) => JSON.parse(l).level);

test('a sampled invocation logs below POWERTOOLS_LOG_LEVEL, at DEBUG', async () => {
  await mod.handler({}, lambdaContext());
  await mod.handler({}, lambdaContext());
  expect(levels()).toEqual(expect.arrayContaining(['DEBUG', 'INFO']));
});
