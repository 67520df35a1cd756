import * as dgram from 'dgram';
import { AddressInfo } from 'net';

/** A segment or subsegment document as the X-Ray SDK sends it to the daemon. */
export interface XRayDocument {
  readonly name: string;
  readonly id: string;
  readonly trace_id?: string;
  readonly parent_id?: string;
  readonly type?: string;
  readonly annotations?: Record<string, string | number | boolean>;
  readonly subsegments?: XRayDocument[];
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly cause?: unknown;
  readonly [key: string]: unknown;
}

/** A stand-in for the X-Ray daemon: a UDP socket on 127.0.0.1 that keeps every document the SDK sends. */
export interface FakeXRayDaemon {
  /** `127.0.0.1:<port>`, the value of AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Every document received so far, with nested subsegments flattened out. */
  documents(): XRayDocument[];
  /** Waits until `predicate` holds for the documents (UDP delivery is asynchronous), up to ~2 s. */
  waitFor(predicate: (docs: XRayDocument[]) => boolean): Promise<XRayDocument[]>;
  clear(): void;
  stop(): Promise<void>;
}

/** The environment Lambda gives a function with active tracing, for one invocation's trace id. */
export function lambdaTracingEnv(daemon: FakeXRayDaemon, traceRoot = '1-5759e988-bd862e3fe1be46a994272793'): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    _X_AMZN_TRACE_ID: `Root=${traceRoot};Parent=53995c3f42cd8ad8;Sampled=1`,
  };
}

export async function startFakeXRayDaemon(): Promise<FakeXRayDaemon> {
  const socket = dgram.createSocket('udp4');
  const received: XRayDocument[] = [];
  socket.on('message', (message) => {
    // "{"format":"json","version":1}\n{document}"
    const body = message.toString('utf8').split('\n').slice(1).join('\n');
    try {
      flatten(JSON.parse(body), received);
    } catch {
      // not a document
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    documents: () => [...received],
    waitFor: async (predicate) => {
      for (let i = 0; i < 100; i++) {
        if (predicate(received)) return [...received];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return [...received];
    },
    clear: () => void received.splice(0),
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function flatten(doc: XRayDocument, into: XRayDocument[]): void {
  into.push(doc);
  for (const sub of doc.subsegments ?? []) flatten(sub, into);
}
