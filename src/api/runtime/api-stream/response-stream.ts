import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpResponse } from '../api/http-response';

/** A Lambda response stream (what the runtime passes a streaming handler). */
export interface ResponseStream extends Writable {
  setContentType(contentType: string): void;
}

/** The HTTP status, headers and cookies a Function URL response starts with. */
type Prelude = {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
};

/** What the Lambda Node.js runtime puts on `globalThis.awslambda` for response streaming. */
export interface LambdaStreamingGlobal {
  HttpResponseStream: { from(stream: Writable, prelude: Prelude): Writable };
  streamifyResponse<H>(handler: H): H;
}

export type StreamingHandler = (event: unknown, responseStream: ResponseStream, context: import('aws-lambda').Context) => Promise<void>;

/** The runtime's streaming helpers; absent outside Lambda, where the handler is called with a stream directly. */
export function lambdaStreaming(): Partial<LambdaStreamingGlobal> {
  return (globalThis as { awslambda?: Partial<LambdaStreamingGlobal> }).awslambda ?? {};
}

/**
 * Writes a response: the HTTP prelude as the runtime expects it for a Function URL, then the
 * body, piped chunk by chunk when a route returned a web Response with a stream body.
 */
export async function writeResponse(responseStream: Writable, response: HttpResponse): Promise<void> {
  const cookies = response.cookies.length > 0 ? { cookies: [...response.cookies] } : {};
  const prelude: Prelude = { statusCode: response.statusCode, headers: response.headers, ...cookies };
  const from = lambdaStreaming().HttpResponseStream?.from;
  let out = responseStream;
  if (from) {
    out = from(responseStream, prelude);
  } else {
    // The runtime's own framing: JSON prelude, eight NUL bytes, then the body.
    responseStream.write(JSON.stringify(prelude));
    responseStream.write(new Uint8Array(8));
  }
  const stream = response.web?.body;
  if (stream) {
    await pipeline(Readable.fromWeb(stream as import('node:stream/web').ReadableStream), out);
    return;
  }
  const body = response.web ? await response.web.text() : response.body ?? '';
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(body, () => resolve());
  });
}
