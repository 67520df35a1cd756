import { LeanGetOptions, LeanJsonProvider } from './lean-provider';
import type { AwsJsonClientOptions } from '../aws-json/client';
import type { AwsJsonService } from '../aws-json/services';

/** Secrets Manager's JSON 1.1 protocol, as @aws-sdk/client-secrets-manager speaks it. */
export const SECRETS_MANAGER: AwsJsonService = {
  endpoint: { label: 'Secrets Manager', hostPrefix: 'secretsmanager', envSuffix: 'SECRETS_MANAGER', regionalHostIsDualStack: true },
  signingName: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  contentType: 'application/x-amz-json-1.1',
  traceName: 'SecretsManager',
};

interface GetSecretValueOutput {
  readonly SecretString?: string;
  /** A blob: base64 in the JSON protocol. */
  readonly SecretBinary?: string;
}

/**
 * Powertools' SecretsProvider.get on the lean client: the GetSecretValue request it sends, and
 * what it returns (SecretString, else SecretBinary as the bytes the SDK decodes from base64).
 */
export class LeanSecretsProvider extends LeanJsonProvider {
  constructor(options: AwsJsonClientOptions = {}) {
    super(SECRETS_MANAGER, options);
  }

  protected async _get(name: string, options?: LeanGetOptions): Promise<string | Uint8Array | undefined> {
    const input = { ...(options?.sdkOptions ?? {}), SecretId: name };
    const output = await this.read<GetSecretValueOutput>('GetSecretValue', input, 'ResourceNotFoundException', options);
    if (output?.SecretString) return output.SecretString;
    return output?.SecretBinary === undefined ? undefined : new Uint8Array(Buffer.from(output.SecretBinary, 'base64'));
  }
}
