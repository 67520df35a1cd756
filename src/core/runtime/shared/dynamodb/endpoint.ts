type Env = { readonly [key: string]: string | undefined };

/** Where DynamoDB requests go and which region signs them. */
export interface ResolvedEndpoint {
  readonly url: URL;
  readonly region: string;
}

/**
 * The DynamoDB endpoint the AWS SDK would choose, without its rules engine: an explicit
 * `endpoint`, then AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, else the regional one
 * (`.amazonaws.com.cn` in the China partition), with FIPS (AWS_USE_FIPS_ENDPOINT) and dual-stack
 * (AWS_USE_DUALSTACK_ENDPOINT) honoured. A setting this cannot serve fails with a clear error
 * instead of silently calling a different endpoint.
 */
export function resolveEndpoint(options: { endpoint?: string; region?: string }, env: Env = process.env): ResolvedEndpoint {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('DynamoDB client: no region. Set AWS_REGION (Lambda sets it) or pass `region`.');
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`DynamoDB client: region "${region}" is not a region name (e.g. eu-west-1).`);
  const explicit = options.endpoint ?? nonEmpty(env.AWS_ENDPOINT_URL_DYNAMODB) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (explicit !== undefined) return { url: parseEndpoint(explicit), region };
  const fips = flag(env, 'AWS_USE_FIPS_ENDPOINT');
  const dualStack = flag(env, 'AWS_USE_DUALSTACK_ENDPOINT');
  const china = region.startsWith('cn-');
  const govCloud = region.startsWith('us-gov-');
  if (region.startsWith('us-iso') || region.startsWith('eu-isoe-')) {
    throw new Error(`DynamoDB client: region "${region}" is in an isolated partition; set AWS_ENDPOINT_URL_DYNAMODB to its endpoint.`);
  }
  if (fips && china) throw new Error(`DynamoDB client: AWS_USE_FIPS_ENDPOINT=true, but the China partition (${region}) has no FIPS endpoint.`);
  const suffix = china ? (dualStack ? 'api.amazonwebservices.com.cn' : 'amazonaws.com.cn') : dualStack ? 'api.aws' : 'amazonaws.com';
  // GovCloud's FIPS endpoint is the regional one (dynamodb.<region>.amazonaws.com is FIPS there).
  const service = fips && !(govCloud && !dualStack) ? 'dynamodb-fips' : 'dynamodb';
  return { url: new URL(`https://${service}.${region}.${suffix}/`), region };
}

function parseEndpoint(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`DynamoDB client: endpoint "${value}" is not a URL; use e.g. https://dynamodb.eu-west-1.amazonaws.com or http://127.0.0.1:8000.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`DynamoDB client: endpoint "${value}" must use http: or https:.`);
  }
  return url;
}

function flag(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`DynamoDB client: ${name} is "${env[name]}"; set it to true or false.`);
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
