import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A stand-in for the two AWS endpoints the templates' parameter reader calls, for benches
 * that run a template in a child process and for template tests. It speaks just enough of the
 * AWS JSON 1.1 protocol for one call each: SSM `GetParameter` and Secrets Manager
 * `GetSecretValue`, from a fixed in-memory map. An unknown name gets the service's not-found
 * error. It is not an SSM or Secrets Manager emulator: no versions, labels, paths, KMS or
 * signature checks (it records each request, so a test can check those itself). The
 * templates' lean clients, like the SDK's, reach it through the configured endpoints
 * (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`, see `endpointEnv`).
 */
export interface LocalParametersServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  /** The variables that point a child's SDK clients at this server. */
  readonly endpointEnv: Record<string, string>;
  /** Requests answered so far, by target (`AmazonSSM.GetParameter`, `secretsmanager.GetSecretValue`). */
  readonly requests: Record<string, number>;
  /** Every request as received, oldest first (tests compare them with what the AWS SDK sends). */
  readonly received: ReceivedRequest[];
  stop(): Promise<void>;
}

export interface LocalParameterValues {
  /** SSM parameter name -> value (served as a SecureString, decrypted). */
  readonly ssm: Record<string, string>;
  /** Secret name or ARN -> SecretString. */
  readonly secrets: Record<string, string>;
  /** Secret name or ARN -> SecretBinary, base64 (as the JSON protocol carries a blob). */
  readonly binarySecrets?: Record<string, string>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Reply = { status: number; body: unknown };

export async function startLocalParametersServer(values: LocalParameterValues): Promise<LocalParametersServer> {
  const requests: Record<string, number> = {};
  const received: ReceivedRequest[] = [];
  const answer = (target: string, input: any): Reply => {
    if (target === 'AmazonSSM.GetParameter') {
      const value = values.ssm[input?.Name];
      if (value === undefined) return { status: 400, body: { __type: 'ParameterNotFound', message: `${input?.Name} not found` } };
      return {
        status: 200,
        body: {
          Parameter: {
            Name: input.Name,
            Type: 'SecureString',
            Value: value,
            Version: 1,
            DataType: 'text',
            ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${String(input.Name).startsWith('/') ? '' : '/'}${input.Name}`,
          },
        },
      };
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const binary = values.binarySecrets?.[input?.SecretId];
      if (binary !== undefined) return { status: 200, body: { ARN: input.SecretId, Name: input.SecretId, SecretBinary: binary, VersionId: 'v1', VersionStages: ['AWSCURRENT'] } };
      const value = values.secrets[input?.SecretId];
      if (value === undefined) return { status: 400, body: { __type: 'ResourceNotFoundException', message: 'Secrets Manager can\'t find the specified secret.' } };
      return {
        status: 200,
        body: { ARN: input.SecretId, Name: input.SecretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1_700_000_000 },
      };
    }
    return { status: 400, body: { __type: 'UnknownOperationException', message: `${target} is not served by the local parameters server` } };
  };

  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text });
      requests[target] = (requests[target] ?? 0) + 1;
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        input = undefined;
      }
      const reply = answer(target, input);
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'local' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    endpointEnv: { AWS_ENDPOINT_URL_SSM: endpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint },
    requests,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
