import type { Agent, IncomingMessage, RequestOptions } from 'node:http';

/** A response read to the end. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Raised for a request that got no response: a timeout or a network error (code ECONNRESET, …). */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    public readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = code === 'TimeoutError' ? 'TimeoutError' : 'NetworkingError';
  }
}

type Http = typeof import('node:http');

/**
 * node:http(s) as the X-Ray SDK leaves them once Powertools Tracer's `captureHTTPsRequests`
 * (on by default) has run `captureHTTPsGlobal`: `request` and `get` replaced in place on the
 * module, the originals kept as `__request` and `__get` (aws-xray-sdk-core patchers/http_p).
 */
type MaybeXRayPatched = Http & { readonly __request?: Http['request'] };

/**
 * The module's own `request`, past the X-Ray SDK's patch. Through the patch, each request
 * would become a second, `remote` subsegment beside the client's `aws` one (a second node in
 * the service map) and go out with that subsegment's id as the trace header's Parent. Read at
 * each call: the tracer chunk loads, and patches, after this module. Users' own calls keep
 * the patched `request`, so they are still traced.
 */
function unpatchedRequest(http: Http): Http['request'] {
  return (http as MaybeXRayPatched).__request ?? http.request;
}

/**
 * POSTs over one keep-alive agent per protocol, so a warm environment reuses its TLS
 * connection. node:http(s) come from process.getBuiltinModule on first use: no ESM facade
 * to link at init, and a function that never calls DynamoDB never loads them.
 */
export class KeepAliveHttp {
  private agent?: Agent;
  private module?: Http;

  constructor(
    private readonly url: URL,
    private readonly connectTimeoutMs: number,
    private readonly requestTimeoutMs: number,
    /** The service in error messages (the lean SSM and Secrets Manager clients use this transport too). */
    private readonly service = 'DynamoDB',
  ) {}

  public post(headers: Record<string, string>, body: string): Promise<HttpResponse> {
    const http = (this.module ??= process.getBuiltinModule(this.url.protocol === 'https:' ? 'node:https' : 'node:http') as Http);
    this.agent ??= new http.Agent({ keepAlive: true, maxSockets: 50 });
    const options: RequestOptions = {
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || undefined,
      path: this.url.pathname + this.url.search,
      headers,
      agent: this.agent,
    };
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const fail = (error: HttpTransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        request.destroy();
        reject(error);
      };
      // Unbound, as the X-Ray SDK's patch calls it: http(s).request does not use `this`.
      const request = unpatchedRequest(http)(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error: NodeJS.ErrnoException) => fail(transportError(error, this.service)));
        response.on('end', () => {
          if (settled) return;
          settled = true;
          request.setTimeout(0);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      // No answer in time, on a new or reused socket: fail this attempt clearly instead of
      // waiting for the Lambda timeout (the retry policy decides whether to try again).
      request.setTimeout(this.requestTimeoutMs, () =>
        fail(new HttpTransportError(`${this.service} did not answer within ${this.requestTimeoutMs} ms (requestTimeoutMs)`, 'TimeoutError')),
      );
      const connectTimer = setTimeout(() => {
        fail(new HttpTransportError(`No connection to ${this.url.host} within ${this.connectTimeoutMs} ms (connectTimeoutMs)`, 'TimeoutError'));
      }, this.connectTimeoutMs);
      request.on('socket', (socket) => {
        // A reused keep-alive socket is connected already.
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once(this.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      request.on('error', (error: NodeJS.ErrnoException) => fail(transportError(error, this.service)));
      request.end(body);
    });
  }

  /** Closes idle sockets (tests; Lambda freezes the environment instead). */
  public destroy(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function transportError(error: NodeJS.ErrnoException, service: string): HttpTransportError {
  const code = error.code ?? (/socket hang up/i.test(error.message) ? 'ECONNRESET' : 'NetworkingError');
  return new HttpTransportError(`${service} request failed: ${error.message}`, code, { cause: error });
}
