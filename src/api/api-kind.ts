/**
 * What fronts the function.
 *
 * - `ApiKind.rest()`: a REST API (v1), REGIONAL by default (see `endpointType`): X-Ray tracing,
 *   execution logging, request validation, usage plans and WAF support. The default.
 * - `ApiKind.http()`: an HTTP API (v2): lower price and latency, JWT authorizers; no X-Ray,
 *   no execution logs, no request validation and no WAF.
 * - `ApiKind.functionUrl()`: a Lambda Function URL: no API Gateway at all (no access logs,
 *   throttling, WAF or custom domain), IAM or no authorization, and the only kind that can
 *   stream responses (`responseStreaming`). Its alarms and dashboards read Lambda's URL
 *   metrics (`UrlRequestCount`, `Url4xxCount`, `Url5xxCount`, `UrlRequestLatency`) instead of
 *   API Gateway's (`Count`, `4XXError`, `5XXError`, `Latency`).
 */
export class ApiKind {
  /** A REST API (API Gateway v1). */
  public static rest(): ApiKind {
    return new ApiKind('REST');
  }

  /** An HTTP API (API Gateway v2) with its `$default` stage. */
  public static http(): ApiKind {
    return new ApiKind('HTTP');
  }

  /** A Lambda Function URL on the function (its alias, when it has one). */
  public static functionUrl(): ApiKind {
    return new ApiKind('FUNCTION_URL');
  }

  /** `REST`, `HTTP` or `FUNCTION_URL`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Whether this is a REST API (v1). */
  public get isRest(): boolean {
    return this.name === 'REST';
  }

  /** Whether this is an HTTP API (v2). */
  public get isHttp(): boolean {
    return this.name === 'HTTP';
  }

  /** Whether this is a Lambda Function URL. */
  public get isFunctionUrl(): boolean {
    return this.name === 'FUNCTION_URL';
  }
}
