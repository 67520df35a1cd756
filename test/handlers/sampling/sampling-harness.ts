import { fileEnv, importTemplate, lambdaContext } from '../../support/assets';

/**
 * PowertoolsFunction with logSamplingRate sets Lambda's application log level to DEBUG
 * (AWS_LAMBDA_LOG_LEVEL) so sampled DEBUG lines are kept, and POWERTOOLS_LOG_LEVEL to the
 * configured level. The bundled template must still filter by POWERTOOLS_LOG_LEVEL. One test
 * file per rate: the template reads the rate when it is imported.
 */
export function samplingHarness(rate: string) {
  let mod: any;
  const lines: string[] = [];
  fileEnv({ AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_LOGGER_SAMPLE_RATE: rate });
  beforeAll(async () => {
    mod = await importTemplate('function');
  });
  beforeEach(() => {
    lines.length = 0;
    const capture = (chunk: any) => (lines.push(String(chunk)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => jest.restoreAllMocks());
  return {
    lines,
    /** Two invocations: Powertools draws the sample at init and again from the second one on. */
    invokeTwice: async () => {
      await mod.handler({}, lambdaContext());
      await mod.handler({}, lambdaContext());
    },
    /** The level of every log line (EMF lines left out). */
    levels: () => lines.join('').split('\n').filter((l) => l.startsWith('{') && !l.includes('"_aws"')).map((l) => JSON.parse(l).level),
  };
}
