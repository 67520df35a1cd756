/**
 * The lean client's SigV4 signer against the AWS SDK's own (`@smithy/signature-v4`, what
 * DynamoDBClient signs with) on many randomized DynamoDB requests: both must produce the
 * same Authorization header, byte for byte.
 */
import { createHash, createHmac, Hash, Hmac } from 'node:crypto';
// The signer DynamoDBClient itself uses, present as a dependency of the dev dependency @aws-sdk/client-dynamodb.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SignatureV4 } from '@smithy/signature-v4';
import { SigV4Signer } from '../../src/core/runtime/shared/dynamodb/sigv4';
import { seededRandom } from '../support/sqs-simulator';

/** The SHA-256 constructor the SDK's signer takes (a key makes it an HMAC). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | Uint8Array) {
    this.hash = this.fresh();
  }
  update(data: string | Uint8Array) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(this.secret as any));
  }
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1', 'il-central-1'];
const OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];
const HOSTS = (region: string) => [`dynamodb.${region}.amazonaws.com`, '127.0.0.1:8000', `dynamodb-fips.${region}.amazonaws.com`, 'localhost:4566'];

function randomString(random: () => number, length: number, alphabet: string): string {
  let value = '';
  for (let i = 0; i < length; i++) value += alphabet[Math.floor(random() * alphabet.length)];
  return value;
}

test('the Authorization header equals @smithy/signature-v4 for 300 random DynamoDB requests', async () => {
  const random = seededRandom(18);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  let compared = 0;
  for (let i = 0; i < 300; i++) {
    const region = pick(REGIONS);
    const credentials = {
      accessKeyId: `AKIA${randomString(random, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
      secretAccessKey: randomString(random, 40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'),
      ...(random() < 0.7 ? { sessionToken: randomString(random, 200 + Math.floor(random() * 300), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=') } : {}),
    };
    // Any instant between 2020 and 2030, also across a day boundary for the cached signing key.
    const now = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 10 * 365 * 86_400_000));
    // JSON with non-ASCII text and spaces: the payload hash covers the UTF-8 bytes.
    const body = JSON.stringify({ TableName: `t-${randomString(random, 8, 'abc')}`, Key: { id: { S: randomString(random, 1 + Math.floor(random() * 60), 'aé 中#/?=&+') } } });
    const headers = {
      'host': pick(HOSTS(region)),
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-target': `DynamoDB_20120810.${pick(OPERATIONS)}`,
      // Spaces inside a value are folded in the canonical form by both.
      ...(random() < 0.3 ? { 'x-custom-header': `  a   b ${randomString(random, 5, 'xyz')} ` } : {}),
    };
    const ours = new SigV4Signer(region, 'dynamodb').sign({ method: 'POST', path: '/', headers, body }, credentials, now);
    const sdk = new SignatureV4({ service: 'dynamodb', region, credentials, sha256: NodeSha256 as any, applyChecksum: false });
    const signed: any = await sdk.sign(
      { method: 'POST', protocol: 'https:', hostname: headers.host, path: '/', headers: { ...headers }, body, query: {} } as any,
      { signingDate: now },
    );
    expect(ours.authorization).toBe(signed.headers.authorization);
    expect(ours['x-amz-date']).toBe(signed.headers['x-amz-date']);
    expect(ours['x-amz-security-token']).toBe(signed.headers['x-amz-security-token']);
    compared++;
  }
  expect(compared).toBe(300);
});

test('one signer keeps signing correctly when the day or the secret changes (the cached signing key is replaced)', async () => {
  const signer = new SigV4Signer('eu-west-1', 'dynamodb');
  const request = { method: 'POST', path: '/', headers: { 'host': 'dynamodb.eu-west-1.amazonaws.com', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}' };
  const cases = [
    { secret: 's1', now: new Date('2026-12-01T23:59:59Z') },
    { secret: 's1', now: new Date('2026-12-02T00:00:01Z') },
    { secret: 's2', now: new Date('2026-12-02T00:00:02Z') },
  ];
  for (const { secret, now } of cases) {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: secret };
    const sdk = new SignatureV4({ service: 'dynamodb', region: 'eu-west-1', credentials, sha256: NodeSha256 as any, applyChecksum: false });
    const expected: any = await sdk.sign({ protocol: 'https:', hostname: request.headers.host, query: {}, ...request, headers: { ...request.headers } } as any, { signingDate: now });
    expect(signer.sign(request, credentials, now).authorization).toBe(expected.headers.authorization);
  }
});
