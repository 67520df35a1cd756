import { errorFromJsonResponse, ResponseMetadata } from '../aws-json/errors';

// One error class for every lean JSON client, so `instanceof DynamoDbError` holds as before.
export { AwsJsonError as DynamoDbError } from '../aws-json/errors';
export type { AwsJsonErrorOptions as DynamoDbErrorOptions, ResponseMetadata } from '../aws-json/errors';

/** The error a DynamoDB JSON error response stands for. */
export function errorFromResponse(status: number, body: string, metadata: ResponseMetadata) {
  return errorFromJsonResponse('DynamoDB', status, body, metadata);
}
