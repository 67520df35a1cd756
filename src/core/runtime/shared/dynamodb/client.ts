import { CredentialSource, credentialSource } from './credentials';
import { ResolvedEndpoint, resolveEndpoint } from './endpoint';
import { DynamoDbError, errorFromResponse, ResponseMetadata } from './errors';
import { HttpTransportError, KeepAliveHttp } from './http';
import { isRetryable, resolveMaxAttempts, RetryQuota, retryDelayMs } from './retry';
import { AwsCredentials, SigV4Signer } from './sigv4';

/**
 * Options of the lean DynamoDB client. The names and meaning of those the AWS SDK also has
 * (`endpoint`, `region`, `credentials`, `maxAttempts`) are the SDK's, so a test's SDK
 * clientConfig for a local endpoint works unchanged.
 */
export interface DynamoDbClientOptions {
  /** e.g. http://127.0.0.1:8000 (default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, else the regional endpoint). */
  readonly endpoint?: string;
  /** Default: AWS_REGION, then AWS_DEFAULT_REGION. */
  readonly region?: string;
  /** Default: the AWS_* variables Lambda sets, else the AWS SDK's default credential chain (loaded lazily). */
  readonly credentials?: AwsCredentials | CredentialSource;
  /** Attempts per call, the first included (default: AWS_MAX_ATTEMPTS, else 3). */
  readonly maxAttempts?: number;
  /** How long one attempt may wait for its response (default 5000). */
  readonly requestTimeoutMs?: number;
  /** How long opening a connection may take (default 2000). */
  readonly connectTimeoutMs?: number;
}

/** What a tracer learns about one call once it ends. */
export interface CallOutcome {
  readonly operation: string;
  readonly tableName?: string;
  readonly region?: string;
  readonly metadata: ResponseMetadata;
  readonly error?: DynamoDbError;
}

/** One traced call: the header that links the request to the trace, and where its outcome goes. */
export interface CallTrace {
  readonly traceHeader?: string;
  end(outcome: CallOutcome): void;
}

/** Starts a trace for a call (undefined: not traced). */
export type CallTracer = (operation: string) => CallTrace | undefined;

/** An operation's JSON input, as the DynamoDB API reference lists it. */
export interface OperationInput {
  readonly TableName?: string;
  readonly [field: string]: unknown;
}

/** What the first call resolves from the options and the environment. */
interface Transport {
  readonly endpoint: ResolvedEndpoint;
  readonly http: KeepAliveHttp;
  readonly signer: SigV4Signer;
  readonly credentials: CredentialSource;
  readonly maxAttempts: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DynamoDB client for the JSON protocol (POST, `X-Amz-Target: DynamoDB_20120810.<Op>`) on
 * node:https with SigV4: the requests the AWS SDK sends, without the ~250 KB of SDK code a
 * cold start would compile and run first. Retries follow the SDK's standard mode; errors
 * carry the SDK's `name` and `$metadata`, so code written against SDK errors keeps working.
 * Endpoint, region and credentials are resolved on the first call, so a bad setting fails
 * the call that needs it, with a message naming the setting, not the module load.
 */
export class DynamoDbJsonClient {
  private transport?: Transport;
  private tracer?: CallTracer;
  private readonly quota = new RetryQuota();

  constructor(private readonly options: DynamoDbClientOptions = {}) {}

  /** Traces every call from now on (see tracer-active.ts: X-Ray `aws` subsegments). */
  public traceWith(tracer: CallTracer): void {
    this.tracer = tracer;
  }

  /** Sends one DynamoDB operation (e.g. `PutItem`) with its JSON input; resolves to its JSON output. */
  public async send<T = Record<string, unknown>>(operation: string, input: OperationInput): Promise<T> {
    const transport = this.connect();
    const trace = this.tracer?.(operation);
    const body = JSON.stringify(input);
    const metadata: ResponseMetadata = { attempts: 0, totalRetryDelay: 0 };
    const region = transport.endpoint.region;
    const outcome = (error?: DynamoDbError): CallOutcome => ({ operation, tableName: input.TableName, region, metadata, error });
    let retryCost: number | undefined;
    for (;;) {
      metadata.attempts++;
      try {
        const result = await this.attempt<T>(transport, operation, body, metadata, trace?.traceHeader);
        this.quota.release(retryCost);
        trace?.end(outcome());
        return result;
      } catch (thrown) {
        const error = thrown instanceof DynamoDbError ? thrown : transportFailure(thrown, metadata);
        const cost = metadata.attempts < transport.maxAttempts && isRetryable(error) ? this.quota.acquire(error) : undefined;
        if (cost === undefined) {
          trace?.end(outcome(error));
          throw error;
        }
        retryCost = (retryCost ?? 0) + cost;
        const delay = retryDelayMs(error, metadata.attempts);
        metadata.totalRetryDelay += delay;
        await sleep(delay);
      }
    }
  }

  /** Closes the keep-alive connections. */
  public destroy(): void {
    this.transport?.http.destroy();
  }

  private connect(): Transport {
    if (this.transport) return this.transport;
    const endpoint = resolveEndpoint(this.options);
    const { connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS } = this.options;
    this.transport = {
      endpoint,
      http: new KeepAliveHttp(endpoint.url, connectTimeoutMs, requestTimeoutMs),
      signer: new SigV4Signer(endpoint.region, 'dynamodb'),
      credentials: credentialSource(this.options.credentials),
      maxAttempts: resolveMaxAttempts(this.options.maxAttempts),
    };
    return this.transport;
  }

  private async attempt<T>(transport: Transport, operation: string, body: string, metadata: ResponseMetadata, traceHeader?: string): Promise<T> {
    const credentials = await transport.credentials();
    const headers = transport.signer.sign(
      {
        method: 'POST',
        path: transport.endpoint.url.pathname,
        headers: {
          'host': transport.endpoint.url.host,
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(Buffer.byteLength(body, 'utf8')),
          'x-amz-target': `DynamoDB_20120810.${operation}`,
        },
        body,
      },
      credentials,
    );
    if (traceHeader) headers['x-amzn-trace-id'] = traceHeader;
    const response = await transport.http.post(headers, body);
    metadata.httpStatusCode = response.status;
    const requestId = response.headers['x-amzn-requestid'];
    metadata.requestId = Array.isArray(requestId) ? requestId[0] : requestId;
    if (response.status >= 200 && response.status < 300) return (response.body.length > 0 ? JSON.parse(response.body) : {}) as T;
    throw errorFromResponse(response.status, response.body, { ...metadata });
  }
}

function transportFailure(thrown: unknown, metadata: ResponseMetadata): DynamoDbError {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const name = thrown instanceof HttpTransportError ? thrown.name : thrown instanceof Error ? thrown.name : 'Error';
  // Only a request that got no answer is worth another try; a bug in our own code is not.
  const transient = thrown instanceof HttpTransportError;
  return new DynamoDbError(name, message, { ...metadata, httpStatusCode: undefined }, { cause: thrown, transient });
}
