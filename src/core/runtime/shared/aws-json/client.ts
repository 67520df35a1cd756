import { resolveServiceEndpoint, ResolvedEndpoint } from './endpoint';
import { AwsJsonError, errorFromJsonResponse, ResponseMetadata } from './errors';
import type { AwsJsonService } from './services';
import { CredentialSource, credentialSource } from '../dynamodb/credentials';
import { HttpTransportError, KeepAliveHttp } from '../dynamodb/http';
import { isRetryable, resolveMaxAttempts, RetryQuota, retryDelayMs } from '../dynamodb/retry';
import { AwsCredentials, SigV4Signer } from '../dynamodb/sigv4';

/**
 * Options of a lean JSON-protocol client. The names and meaning of those the AWS SDK also has
 * (`endpoint`, `region`, `credentials`, `maxAttempts`) are the SDK's, so a test's SDK
 * clientConfig for a local endpoint works unchanged.
 */
export interface AwsJsonClientOptions {
  /** e.g. http://127.0.0.1:8000 (default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else the regional endpoint). */
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
  readonly error?: AwsJsonError;
}

/** One traced call: the header that links the request to the trace, and where its outcome goes. */
export interface CallTrace {
  readonly traceHeader?: string;
  end(outcome: CallOutcome): void;
}

/** Starts a trace for a call of `service` (its X-Ray name, e.g. DynamoDB, SSM); undefined: not traced. */
export type CallTracer = (operation: string, service: string) => CallTrace | undefined;

/** An operation's JSON input, as the service's API reference lists it. */
export interface OperationInput {
  /** DynamoDB's table, which X-Ray records as table_name. */
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
 * A client for one AWS JSON 1.0 / 1.1 service (POST, `X-Amz-Target: <prefix>.<Op>`) on
 * node:https with SigV4: the requests the AWS SDK sends, without the SDK code a cold start
 * would compile and run first. Retries follow the SDK's standard mode; errors carry the SDK's
 * `name` and `$metadata`, so code written against SDK errors keeps working. Endpoint, region
 * and credentials are resolved on the first call, so a bad setting fails the call that needs
 * it, with a message naming the setting, not the module load.
 */
export class AwsJsonClient {
  private transport?: Transport;
  private tracer?: CallTracer;
  private readonly quota = new RetryQuota();

  constructor(
    private readonly service: AwsJsonService,
    private readonly options: AwsJsonClientOptions = {},
  ) {}

  /** Traces every call from now on (see tracer-active.ts: X-Ray `aws` subsegments). */
  public traceWith(tracer: CallTracer): void {
    this.tracer = tracer;
  }

  /** Sends one operation (e.g. `PutItem`, `GetParameter`) with its JSON input; resolves to its JSON output. */
  public async send<T = Record<string, unknown>>(operation: string, input: OperationInput): Promise<T> {
    const transport = this.connect();
    const trace = this.tracer?.(operation, this.service.traceName);
    const body = JSON.stringify(input);
    const metadata: ResponseMetadata = { attempts: 0, totalRetryDelay: 0 };
    const region = transport.endpoint.region;
    const tableName = typeof input.TableName === 'string' ? input.TableName : undefined;
    const outcome = (error?: AwsJsonError): CallOutcome => ({ operation, tableName, region, metadata, error });
    let retryCost: number | undefined;
    for (;;) {
      metadata.attempts++;
      try {
        const result = await this.attempt<T>(transport, operation, body, metadata, trace?.traceHeader);
        this.quota.release(retryCost);
        trace?.end(outcome());
        return result;
      } catch (thrown) {
        const error = thrown instanceof AwsJsonError ? thrown : transportFailure(thrown, metadata);
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
    const endpoint = resolveServiceEndpoint(this.service.endpoint, this.options);
    const { connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS } = this.options;
    this.transport = {
      endpoint,
      http: new KeepAliveHttp(endpoint.url, connectTimeoutMs, requestTimeoutMs, this.service.endpoint.label),
      signer: new SigV4Signer(endpoint.region, this.service.signingName),
      credentials: credentialSource(this.options.credentials),
      maxAttempts: resolveMaxAttempts(this.options.maxAttempts, process.env, this.service.endpoint.label),
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
          'content-type': this.service.contentType,
          'content-length': String(Buffer.byteLength(body, 'utf8')),
          'x-amz-target': `${this.service.targetPrefix}.${operation}`,
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
    throw errorFromJsonResponse(this.service.endpoint.label, response.status, response.body, { ...metadata }, response.headers);
  }
}

function transportFailure(thrown: unknown, metadata: ResponseMetadata): AwsJsonError {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const name = thrown instanceof HttpTransportError ? thrown.name : thrown instanceof Error ? thrown.name : 'Error';
  // Only a request that got no answer is worth another try; a bug in our own code is not.
  const transient = thrown instanceof HttpTransportError;
  return new AwsJsonError(name, message, { ...metadata, httpStatusCode: undefined }, { cause: thrown, transient });
}
