import { resolveServiceEndpoint, ResolvedEndpoint } from '../aws-json/endpoint';
import { DYNAMODB } from '../aws-json/services';

type Env = { readonly [key: string]: string | undefined };

export type { ResolvedEndpoint } from '../aws-json/endpoint';

/** The DynamoDB endpoint the AWS SDK would choose (AWS_ENDPOINT_URL_DYNAMODB first; see aws-json/endpoint.ts). */
export function resolveEndpoint(options: { endpoint?: string; region?: string }, env: Env = process.env): ResolvedEndpoint {
  return resolveServiceEndpoint(DYNAMODB.endpoint, options, env);
}
