import { fileEnv, importTemplate, lambdaContext } from '../../support/assets';

// The builtin the bundled assets reach through process.getBuiltinModule('node:crypto').
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('crypto');

/**
 * PowertoolsFunction with logSamplingRate sets Lambda's application log level to DEBUG
 * (AWS_LAMBDA_LOG_LEVEL) so sampled DEBUG lines are kept, and POWERTOOLS_LOG_LEVEL to the
 * configured level. The bundled template must still filter by POWERTOOLS_LOG_LEVEL. One test
 * file per rate: the template reads the rate when it is imported.
 *
 * Powertools samples when `randomInt(0, 100) / 100 <= rate`: a draw of 0 samples any positive
 * rate, so unscripted, the "never" file failed about 1 % of the time per draw. Every draw is
 * 50 here: sampled at rate 1, not at a rate near 0.
 */
export function samplingHarness(rate: string) {
  let mod: any;
  const lines: string[] = [];
  fileEnv({ AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_LOGGER_SAMPLE_RATE: rate });
  beforeAll(async () => {
    const draw = jest.spyOn(nodeCrypto, 'randomInt').mockImplementation(() => 50);
    mod = await importTemplate('function');
    draw.mockRestore();
  });
  beforeEach(() => {
    jest.spyOn(nodeCrypto, 'randomInt').mockImplementation(() => 50);
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
