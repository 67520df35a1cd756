import { createHash, createHmac } from 'node:crypto';

/** AWS credentials as Lambda provides them (the session token is set for a role). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials stop working; refreshed shortly before. */
  readonly expiration?: Date;
}

/** One HTTP request to sign: the headers must already hold `host` and every other header to send. */
export interface SignableRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

// Headers proxies and agents may add or rewrite; signing them would break the signature.
const UNSIGNED = new Set(['authorization', 'connection', 'expect', 'keep-alive', 'transfer-encoding', 'user-agent', 'x-amzn-trace-id']);

const hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * AWS Signature Version 4 for one service and region (header signing, no presigning):
 * what `@smithy/signature-v4` produces for the same request, which a test checks on many
 * random requests. The derived signing key is cached per day and secret, so a warm call
 * costs two SHA-256 and one HMAC.
 */
export class SigV4Signer {
  private keyScope?: string;
  private key?: Buffer;

  constructor(
    private readonly region: string,
    private readonly service: string,
  ) {}

  /** Adds `x-amz-date`, `x-amz-security-token` (for temporary credentials) and `authorization` to `request.headers`. */
  public sign(request: SignableRequest, credentials: AwsCredentials, now: Date = new Date()): Record<string, string> {
    const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
    const day = amzDate.slice(0, 8);
    const headers: Record<string, string> = { ...request.headers, 'x-amz-date': amzDate };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers)
      .map((name) => name.toLowerCase())
      .filter((name) => !UNSIGNED.has(name))
      .sort();
    const lower: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
    const canonicalHeaders = names.map((name) => `${name}:${lower[name].trim().replace(/\s+/g, ' ')}\n`).join('');
    const signedHeaders = names.join(';');
    const canonicalRequest = [request.method, canonicalPath(request.path), '', canonicalHeaders, signedHeaders, hex(request.body)].join('\n');
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
    const signature = createHmac('sha256', this.signingKey(credentials.secretAccessKey, day)).update(stringToSign, 'utf8').digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }

  private signingKey(secret: string, day: string): Buffer {
    const keyScope = `${day}:${secret}`;
    if (this.key && this.keyScope === keyScope) return this.key;
    let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(day).digest();
    for (const part of [this.region, this.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    this.keyScope = keyScope;
    this.key = key;
    return key;
  }
}

/** The path as SigV4 wants it for every service but S3: normalized, and the wire path URI-encoded once more. */
function canonicalPath(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return strictEncode(normalized).replace(/%2F/g, '/');
}

const strictEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
