import { AwsJsonClient, AwsJsonClientOptions } from '../aws-json/client';
import { DYNAMODB } from '../aws-json/services';

// The JSON-protocol client is shared with the SSM and Secrets Manager readers; these are its DynamoDB names.
export type { CallOutcome, CallTrace, CallTracer, OperationInput } from '../aws-json/client';

/** Options of the lean DynamoDB client (endpoint default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, else regional). */
export type DynamoDbClientOptions = AwsJsonClientOptions;

/**
 * A DynamoDB client for the JSON 1.0 protocol (POST, `X-Amz-Target: DynamoDB_20120810.<Op>`)
 * on node:https with SigV4: the requests the AWS SDK sends, without the ~250 KB of SDK code a
 * cold start would compile and run first (see aws-json/client.ts for retries, errors, tracing).
 */
export class DynamoDbJsonClient extends AwsJsonClient {
  constructor(options: DynamoDbClientOptions = {}) {
    super(DYNAMODB, options);
  }
}
