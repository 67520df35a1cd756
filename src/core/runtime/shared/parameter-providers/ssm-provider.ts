import { getBooleanFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { GetOptionsInterface } from '@aws-lambda-powertools/parameters/base/types';
import { LeanGetOptions, LeanJsonProvider } from './lean-provider';
import type { AwsJsonClientOptions } from '../aws-json/client';
import type { AwsJsonService } from '../aws-json/services';

/** SSM's JSON 1.1 protocol, as @aws-sdk/client-ssm speaks it. */
export const SSM: AwsJsonService = {
  endpoint: { label: 'SSM', hostPrefix: 'ssm', envSuffix: 'SSM', govCloudFipsIsRegional: true },
  signingName: 'ssm',
  targetPrefix: 'AmazonSSM',
  contentType: 'application/x-amz-json-1.1',
  traceName: 'SSM',
};

interface GetParameterOutput {
  readonly Parameter?: { readonly Value?: string };
}

interface SsmGetOptions extends LeanGetOptions {
  readonly decrypt?: boolean;
}

/** Powertools' SSMProvider.get on the lean client: the GetParameter request it sends, the value it returns. */
export class LeanSSMProvider extends LeanJsonProvider {
  constructor(options: AwsJsonClientOptions = {}) {
    super(SSM, options);
  }

  /** BaseProvider.get with SSMProvider's `decrypt` option. */
  public get(name: string, options?: GetOptionsInterface & { readonly decrypt?: boolean }): Promise<unknown> {
    return super.get(name, options);
  }

  protected async _get(name: string, options?: SsmGetOptions): Promise<string | undefined> {
    const input = { ...(options?.sdkOptions ?? {}), Name: name, WithDecryption: withDecryption(options) };
    const output = await this.read<GetParameterOutput>('GetParameter', input, 'ParameterNotFound', options);
    return output?.Parameter?.Value;
  }
}

/** SSMProvider's order: the `decrypt` option, then sdkOptions.WithDecryption, then POWERTOOLS_PARAMETERS_SSM_DECRYPT. */
function withDecryption(options: SsmGetOptions | undefined): boolean {
  if (options?.decrypt !== undefined) return options.decrypt;
  const fromSdk = options?.sdkOptions?.WithDecryption;
  if (typeof fromSdk === 'boolean') return fromSdk;
  return getBooleanFromEnv({ key: 'POWERTOOLS_PARAMETERS_SSM_DECRYPT', defaultValue: false, extendedParsing: true });
}
