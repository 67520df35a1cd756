import { parseS3Url, RunConfig, TuningInputError, weightedSchedule } from '../../contract/tuning-input';

/** Anything with the S3 client's `send`: an S3Client, or a mocked one in tests. */
export interface S3Sender {
  send(command: any): Promise<{ Body?: { transformToString(): Promise<string> } }>;
}

let defaultS3: S3Sender | undefined;

/**
 * The S3 client, loaded on first use: most runs have no payloadS3, and the import is a
 * lazy chunk of the bundle, so they never parse the S3 client at cold start.
 */
async function s3Client(given: S3Sender | undefined): Promise<{ client: S3Sender; getObject: (bucket: string, key: string) => unknown }> {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  defaultS3 ??= given ? undefined : new S3Client({});
  return { client: given ?? defaultS3!, getObject: (Bucket, Key) => new GetObjectCommand({ Bucket, Key }) };
}

/** The payloads of a run: `forInvocation(i)` is the body of invocation i. */
export interface Payloads {
  readonly count: number;
  forInvocation(index: number): Uint8Array;
}

/**
 * The request body of a payload: a string is sent as-is (it is JSON text already, checked
 * at run start), anything else as its JSON. Encoding a string again would send a JSON
 * string literal instead of the object the user wrote.
 */
export function payloadBytes(payload: unknown): Uint8Array {
  return Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
}

/**
 * Builds the run's payloads from whichever source the configuration names: the S3 object
 * (read once per executor call), the weighted list (interleaved so every prefix keeps the
 * mix) or the one payload.
 */
export async function loadPayloads(config: RunConfig, s3?: S3Sender): Promise<Payloads> {
  if (config.payloadS3) {
    const location = parseS3Url(config.payloadS3);
    if (!location) throw new TuningInputError(`payloadS3 must be an s3://bucket/key URL (got ${JSON.stringify(config.payloadS3)}).`);
    const { client, getObject } = await s3Client(s3);
    const object = await client.send(getObject(location.bucket, location.key));
    const text = (await object.Body?.transformToString()) ?? '';
    try {
      JSON.parse(text);
    } catch {
      throw new TuningInputError(`The object at payloadS3 ${config.payloadS3} is not JSON, so it cannot be an invocation payload.`);
    }
    const bytes = Buffer.from(text);
    return { count: 1, forInvocation: () => bytes };
  }
  if (config.payloads) {
    const bodies = config.payloads.map((p) => payloadBytes(p.payload));
    const schedule = weightedSchedule(config.payloads.map((p) => p.weight), config.num);
    return { count: bodies.length, forInvocation: (i) => bodies[config.dryRun ? i % bodies.length : schedule[i % schedule.length]] };
  }
  const bytes = payloadBytes(config.payload);
  return { count: 1, forInvocation: () => bytes };
}
