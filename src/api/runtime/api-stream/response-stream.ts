import type { Writable } from 'node:stream';

/** A Lambda response stream (what the runtime passes a streaming handler). */
export interface ResponseStream extends Writable {
  setContentType(contentType: string): void;
}

/** What the Lambda Node.js runtime puts on `globalThis.awslambda` for response streaming. */
export interface LambdaStreamingGlobal {
  HttpResponseStream: { from(stream: Writable, prelude: { statusCode: number; headers?: Record<string, string> }): Writable };
  streamifyResponse<H>(handler: H): H;
}

export type StreamingHandler = (event: unknown, responseStream: ResponseStream, context: import('aws-lambda').Context) => Promise<void>;

/** The runtime's streaming helpers; absent outside Lambda, where the handler is called with a stream directly. */
export function lambdaStreaming(): Partial<LambdaStreamingGlobal> {
  return (globalThis as { awslambda?: Partial<LambdaStreamingGlobal> }).awslambda ?? {};
}

/**
 * Writes a whole response that was not routed (a non-proxy event, a bad path): the HTTP
 * prelude as the runtime expects it for a Function URL, then the body.
 */
export async function writeWholeResponse(responseStream: Writable, response: Response): Promise<void> {
  const prelude = { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()) };
  const from = lambdaStreaming().HttpResponseStream?.from;
  let out = responseStream;
  if (from) {
    out = from(responseStream, prelude);
  } else {
    // The runtime's own framing: JSON prelude, eight NUL bytes, then the body.
    responseStream.write(JSON.stringify(prelude));
    responseStream.write(new Uint8Array(8));
  }
  const body = await response.text();
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(body, () => resolve());
  });
}
