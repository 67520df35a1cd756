import { LOCAL_AWS_ENV } from '../support/dynalite';

// Shared with bench/ and the tests that set up their own server.
export { createIdempotencyTable } from '../support/idempotency-env';

/** The idempotent template's configuration for `tableName` on a local endpoint, as `configFromEnv` would read it. */
export function localTemplateConfig(tableName: string, endpoint: string, overrides: Record<string, unknown> = {}) {
  return {
    tableName,
    eventKeyJmesPath: 'orderId',
    expiresAfterSeconds: 3600,
    throwOnNoIdempotencyKey: false,
    useLocalCache: false,
    maxLocalCacheSize: 100,
    clientConfig: {
      endpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    },
    ...overrides,
  };
}
