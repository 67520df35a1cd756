/** What the SDK puts on `$metadata` and X-Ray reads back. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

export interface DynamoDbErrorOptions {
  readonly item?: Record<string, unknown>;
  readonly cause?: unknown;
  readonly transient?: boolean;
}

/**
 * A DynamoDB error shaped like the AWS SDK's: `name` is the error type (the suffix of
 * `__type`, e.g. ConditionalCheckFailedException), `$metadata.httpStatusCode` the status,
 * `$fault` client or server. A failed condition check with ReturnValuesOnConditionCheckFailure
 * carries the existing `Item`.
 */
export class DynamoDbError extends Error {
  public readonly $metadata: ResponseMetadata;
  public readonly $fault: 'client' | 'server';
  public readonly Item?: Record<string, unknown>;
  /** Whether a retry may succeed (set on network errors and timeouts). */
  public readonly transient: boolean;

  constructor(name: string, message: string, metadata: ResponseMetadata, options: DynamoDbErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = name;
    this.$metadata = metadata;
    this.$fault = metadata.httpStatusCode !== undefined && metadata.httpStatusCode < 500 ? 'client' : 'server';
    this.transient = options.transient ?? false;
    if (options.item) this.Item = options.item;
  }
}

/** The error a DynamoDB JSON error response stands for. */
export function errorFromResponse(status: number, body: string, metadata: ResponseMetadata): DynamoDbError {
  let parsed: { __type?: string; message?: string; Message?: string; Item?: Record<string, unknown> } = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON (a proxy's HTML page, an empty 5xx): classified by status below.
  }
  const type = parsed.__type?.split('#').pop();
  const name = type || (status >= 500 ? 'InternalServerError' : `HttpError${status}`);
  const message = parsed.message ?? parsed.Message ?? (body.length > 0 && body.length < 500 ? body : `DynamoDB answered HTTP ${status}`);
  return new DynamoDbError(name, message, metadata, { item: parsed.Item });
}
