import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { AwsJsonClient, AwsJsonClientOptions, OperationInput } from '../aws-json/client';
import type { AwsJsonService } from '../aws-json/services';

/** What every provider's `_get` receives from BaseProvider.get. */
export interface LeanGetOptions {
  readonly throwOnMissing?: boolean;
  readonly sdkOptions?: Record<string, unknown>;
}

/**
 * A Powertools provider on the lean JSON client instead of an AWS SDK client: BaseProvider
 * keeps its caching (maxAge, POWERTOOLS_PARAMETERS_MAX_AGE, forceFetch), transforms and errors
 * (GetParameterError with the service's error as `cause`); subclasses send the one request
 * the SDK-based provider sends.
 */
export abstract class LeanJsonProvider extends BaseProvider {
  /** The client the template's tracer traces (traced-clients.ts). */
  public readonly jsonClient: AwsJsonClient;

  protected constructor(
    private readonly service: AwsJsonService,
    options: AwsJsonClientOptions,
  ) {
    super({});
    this.jsonClient = new AwsJsonClient(service, options);
  }

  /**
   * Sends `operation`; as the SDK-based providers do, with `throwOnMissing` the service's
   * not-found error resolves to undefined, which BaseProvider turns into ParameterNotFoundError.
   */
  protected async read<T>(operation: string, input: OperationInput, notFound: string, options?: LeanGetOptions): Promise<T | undefined> {
    try {
      return await this.jsonClient.send<T>(operation, input);
    } catch (error) {
      if (options?.throwOnMissing && (error as Error).name === notFound) return undefined;
      throw error;
    }
  }

  protected _getMultiple(path: string): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error(`The lean ${this.service.endpoint.label} provider reads one value at a time; read "${path}" with Powertools' SDK-based provider.`));
  }
}
