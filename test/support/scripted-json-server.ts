import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/** What the stand-in does with one request: answer it, drop its connection, or never answer. */
export type ScriptedAnswer = { status: number; body?: unknown; headers?: Record<string, string>; requestId?: string } | 'reset' | 'hang';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedJsonServerOptions {
  /** The response's content type (the AWS JSON protocol version). */
  readonly contentType: string;
  /** The answer to the next request; undefined: 200 with `{}`. */
  next(): ScriptedAnswer | undefined;
  /** Each request, as received, before it is answered; returns its number in the test (`array.push` does), its request id's. */
  record(request: RecordedRequest): number;
}

/**
 * A local HTTP stand-in for an AWS JSON-protocol endpoint on 127.0.0.1, answering each request
 * as the test scripts it. Its request ids are `req-<n>`, n as `record` numbers the request.
 */
export async function startScriptedJsonServer(options: ScriptedJsonServerOptions): Promise<{ readonly endpoint: string; stop(): Promise<void> }> {
  const hung: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const number = options.record({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = options.next() ?? { status: 200, body: {} };
      if (answer === 'reset') {
        request.socket.destroy();
        return;
      }
      if (answer === 'hang') {
        hung.push(response);
        return;
      }
      response.writeHead(answer.status, { 'content-type': options.contentType, 'x-amzn-requestid': answer.requestId ?? `req-${number}`, ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
