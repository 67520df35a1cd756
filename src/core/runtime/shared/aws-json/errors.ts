/** What the SDK puts on `$metadata` and X-Ray reads back. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

export interface AwsJsonErrorOptions {
  readonly item?: Record<string, unknown>;
  readonly cause?: unknown;
  readonly transient?: boolean;
}

/**
 * An AWS JSON-protocol error shaped like the AWS SDK's: `name` is the error type (e.g.
 * ConditionalCheckFailedException, ParameterNotFound), `$metadata.httpStatusCode` the status,
 * `$fault` client or server. A failed DynamoDB condition check with
 * ReturnValuesOnConditionCheckFailure carries the existing `Item`.
 */
export class AwsJsonError extends Error {
  public readonly $metadata: ResponseMetadata;
  public readonly $fault: 'client' | 'server';
  public readonly Item?: Record<string, unknown>;
  /** Whether a retry may succeed (set on network errors and timeouts). */
  public readonly transient: boolean;

  constructor(name: string, message: string, metadata: ResponseMetadata, options: AwsJsonErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = name;
    this.$metadata = metadata;
    this.$fault = metadata.httpStatusCode !== undefined && metadata.httpStatusCode < 500 ? 'client' : 'server';
    this.transient = options.transient ?? false;
    if (options.item) this.Item = options.item;
  }
}

type Headers = { readonly [name: string]: string | string[] | undefined };

/**
 * The error a JSON 1.0 / 1.1 error response stands for. The type comes from where the SDK
 * looks for it, in its order: the `x-amzn-errortype` header, then `code`, then `__type` in
 * the body, each cut to the bare name (`com.amazonaws.ssm#ParameterNotFound`,
 * `ParameterNotFound:http://internal.amazon.com/...` both give ParameterNotFound).
 */
export function errorFromJsonResponse(
  service: string,
  status: number,
  body: string,
  metadata: ResponseMetadata,
  headers: Headers = {},
): AwsJsonError {
  let parsed: { __type?: unknown; code?: unknown; message?: unknown; Message?: unknown; Item?: Record<string, unknown> } | undefined;
  try {
    const value = JSON.parse(body);
    if (typeof value === 'object' && value !== null) parsed = value;
  } catch {
    // Not JSON (a proxy's HTML page, an empty 5xx): classified by status below.
  }
  const header = headers['x-amzn-errortype'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? parsed?.code ?? parsed?.__type;
  const type = raw === undefined ? undefined : bareErrorType(String(raw));
  const name = type || (status >= 500 ? 'InternalServerError' : `HttpError${status}`);
  const stated = parsed?.message ?? parsed?.Message;
  const message = typeof stated === 'string' ? stated : parsed === undefined && body.length > 0 && body.length < 500 ? body : `${service} answered HTTP ${status}${type ? ` (${type})` : ''}`;
  return new AwsJsonError(name, message, metadata, { item: parsed?.Item });
}

function bareErrorType(raw: string): string {
  const withoutList = raw.split(',')[0];
  const withoutUri = withoutList.split(':')[0];
  return (withoutUri.includes('#') ? withoutUri.split('#')[1] : withoutUri).trim();
}
