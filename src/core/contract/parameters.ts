/**
 * The contract between the `parameters` / `secrets` props every construct shares and the
 * templates' reader: dependency-free, so templates bundle it. A function in another runtime
 * (`HandlerCode.fromCode`) reads the same variables and fetches the values with Powertools
 * Parameters for Python, Java or .NET. Values never travel in the environment: only names.
 */
export const PARAMETERS_ENV = {
  /** JSON object: the key you chose -> the SSM parameter name (read with decryption). */
  ssmParameterNames: { name: 'PARAMETERS_SSM_NAMES', prop: 'parameters' },
  /** JSON object: the key you chose -> the secret's ARN (full when known) or name. */
  secretIds: { name: 'PARAMETERS_SECRET_IDS', prop: 'secrets' },
  /** Seconds a fetched value is cached; Powertools Parameters reads this variable itself. */
  maxAge: { name: 'POWERTOOLS_PARAMETERS_MAX_AGE', prop: 'parametersMaxAge' },
} as const;

/** Variables only the construct may set (`environment` cannot). */
export const PARAMETERS_ENV_PREFIX = 'PARAMETERS_';

/** Powertools Parameters' own cache default, which applies when `parametersMaxAge` is unset. */
export const PARAMETERS_DEFAULT_MAX_AGE_SECONDS = 5;

/**
 * What the templates hand your logic as `parameters` on its context object: the SSM
 * parameters and secrets you declared on the construct, fetched with Powertools Parameters
 * on first use and cached for `parametersMaxAge`. A key you did not declare, or a parameter
 * that does not exist, rejects with an error naming it; you never get `undefined`.
 */
export interface EntryParameters {
  /** The value of the SSM parameter declared as `key` in the construct's `parameters` (SecureStrings decrypted). */
  get(key: string): Promise<string>;
  /** The value of the secret declared as `key` in the construct's `secrets` (SecretString; a binary secret as base64). */
  secret(key: string): Promise<string>;
}
