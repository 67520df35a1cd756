type Env = { readonly [key: string]: string | undefined };

/** Where a service's requests go and which region signs them. */
export interface ResolvedEndpoint {
  readonly url: URL;
  readonly region: string;
}

/** How one service names its endpoints, as its AWS SDK client's endpoint rules do. */
export interface EndpointRules {
  /** The service in messages, e.g. DynamoDB. */
  readonly label: string;
  /** The host's first label, e.g. dynamodb (FIPS: dynamodb-fips). */
  readonly hostPrefix: string;
  /** The service's configured-endpoint variable: AWS_ENDPOINT_URL_<this>, e.g. DYNAMODB. */
  readonly envSuffix: string;
  /** GovCloud's FIPS endpoint is the regional host (without dual-stack), e.g. DynamoDB and SSM. */
  readonly govCloudFipsIsRegional?: boolean;
  /** The regional hosts of the aws, aws-us-gov and aws-cn partitions already serve IPv6 (Secrets Manager). */
  readonly regionalHostIsDualStack?: boolean;
}

/**
 * The endpoint the AWS SDK would choose, without its rules engine: an explicit `endpoint`,
 * then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, else the regional one (China:
 * `.amazonaws.com.cn`, the European Sovereign Cloud: `.amazonaws.eu`), with FIPS
 * (AWS_USE_FIPS_ENDPOINT) and dual-stack (AWS_USE_DUALSTACK_ENDPOINT) honoured. A setting this
 * cannot serve fails with a clear error instead of silently calling a different endpoint.
 */
export function resolveServiceEndpoint(
  rules: EndpointRules,
  options: { endpoint?: string; region?: string },
  env: Env = process.env,
): ResolvedEndpoint {
  const fail = (message: string) => new Error(`${rules.label} client: ${message}`);
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw fail('no region. Set AWS_REGION (Lambda sets it) or pass `region`.');
  if (!/^[a-z0-9-]+$/.test(region)) throw fail(`region "${region}" is not a region name (e.g. eu-west-1).`);
  const variable = `AWS_ENDPOINT_URL_${rules.envSuffix}`;
  const explicit = options.endpoint ?? nonEmpty(env[variable]) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (explicit !== undefined) return { url: parseEndpoint(explicit, rules.hostPrefix, fail), region };
  const fips = flag(env, 'AWS_USE_FIPS_ENDPOINT', fail);
  const dualStack = flag(env, 'AWS_USE_DUALSTACK_ENDPOINT', fail);
  const china = region.startsWith('cn-');
  const sovereign = region.startsWith('eusc-');
  const govCloud = region.startsWith('us-gov-');
  if (region.startsWith('us-iso') || region.startsWith('eu-isoe-')) {
    throw fail(`region "${region}" is in an isolated partition; set ${variable} to its endpoint.`);
  }
  if (fips && china) throw fail(`AWS_USE_FIPS_ENDPOINT=true, but the China partition (${region}) has no FIPS endpoint.`);
  const useDualStackHost = dualStack && !(rules.regionalHostIsDualStack && !sovereign);
  const suffix = china
    ? useDualStackHost ? 'api.amazonwebservices.com.cn' : 'amazonaws.com.cn'
    : sovereign
      ? useDualStackHost ? 'api.amazonwebservices.eu' : 'amazonaws.eu'
      : useDualStackHost ? 'api.aws' : 'amazonaws.com';
  const fipsHost = fips && !(govCloud && rules.govCloudFipsIsRegional && !dualStack);
  return { url: new URL(`https://${rules.hostPrefix}${fipsHost ? '-fips' : ''}.${region}.${suffix}/`), region };
}

function parseEndpoint(value: string, hostPrefix: string, fail: (message: string) => Error): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(`endpoint "${value}" is not a URL; use e.g. https://${hostPrefix}.eu-west-1.amazonaws.com or http://127.0.0.1:8000.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(`endpoint "${value}" must use http: or https:.`);
  return url;
}

function flag(env: Env, name: string, fail: (message: string) => Error): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw fail(`${name} is "${env[name]}"; set it to true or false.`);
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
