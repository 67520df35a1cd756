import type { EndpointRules } from './endpoint';

/**
 * What sets one AWS JSON-protocol service apart on the wire (from its SDK client's model).
 * DynamoDB's is here (its client, endpoint and error modules share it); SSM's and Secrets
 * Manager's are beside their providers, so a template bundles only the services it calls.
 */
export interface AwsJsonService {
  readonly endpoint: EndpointRules;
  /** The SigV4 service name. */
  readonly signingName: string;
  /** `X-Amz-Target: <targetPrefix>.<Operation>` */
  readonly targetPrefix: string;
  readonly contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  /** The X-Ray subsegment name the X-Ray SDK gives this service's SDK client (its client name without "Client"). */
  readonly traceName: string;
}

export const DYNAMODB: AwsJsonService = {
  endpoint: { label: 'DynamoDB', hostPrefix: 'dynamodb', envSuffix: 'DYNAMODB', govCloudFipsIsRegional: true },
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  contentType: 'application/x-amz-json-1.0',
  traceName: 'DynamoDB',
};
