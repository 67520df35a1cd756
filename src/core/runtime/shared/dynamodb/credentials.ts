import type { AwsCredentials } from './sigv4';

type Env = { readonly [key: string]: string | undefined };

/** Resolves the credentials to sign with; called before every request (cheap once resolved). */
export type CredentialSource = () => Promise<AwsCredentials>;

// Temporary credentials are replaced this long before they expire, as the SDK does.
const REFRESH_BEFORE_MS = 5 * 60 * 1000;

/**
 * The credentials Lambda gives every function (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), read without loading the AWS SDK. Without them (a laptop, CI, an EC2
 * or ECS host), the SDK's default credential chain resolves them: a lazy chunk, loaded only
 * there, so the Lambda cold start never pays for it.
 */
export function defaultCredentials(env: Env = process.env): CredentialSource {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    const fromEnv: AwsCredentials = { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
    return () => Promise.resolve(fromEnv);
  }
  return cached(sdkDefaultChain());
}

/** Fixed credentials, or the given source with expiry-aware caching. */
export function credentialSource(credentials: AwsCredentials | CredentialSource | undefined, env: Env = process.env): CredentialSource {
  if (credentials === undefined) return defaultCredentials(env);
  if (typeof credentials === 'function') return cached(credentials);
  return () => Promise.resolve(credentials);
}

function sdkDefaultChain(): CredentialSource {
  let provider: Promise<CredentialSource> | undefined;
  return async () => {
    provider ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => {
      // The client resolves the default chain (env, SSO, ini, process, web identity, ECS, IMDS) as its config.
      const client = new DynamoDBClient({});
      return () => client.config.credentials() as Promise<AwsCredentials>;
    });
    return (await provider)();
  };
}

function cached(source: CredentialSource): CredentialSource {
  let current: Promise<AwsCredentials> | undefined;
  return async () => {
    if (current) {
      const credentials = await current.catch(() => undefined);
      const expiration = credentials?.expiration?.getTime();
      if (credentials && (expiration === undefined || expiration - Date.now() > REFRESH_BEFORE_MS)) return credentials;
    }
    current = source();
    return current;
  };
}
