/**
 * Which flavour of API Gateway fronts the function.
 *
 * - `ApiKind.rest()`: a REST API (v1) with a REGIONAL endpoint: X-Ray tracing, execution
 *   logging, request validation and WAF support. The default.
 * - `ApiKind.http()`: an HTTP API (v2): lower price and latency, no X-Ray, no execution
 *   logs, no request validation and no WAF.
 */
export class ApiKind {
  /** A REST API (API Gateway v1) with a REGIONAL endpoint. */
  public static rest(): ApiKind {
    return new ApiKind('REST');
  }

  /** An HTTP API (API Gateway v2) with its `$default` stage. */
  public static http(): ApiKind {
    return new ApiKind('HTTP');
  }

  /** `REST` or `HTTP`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Whether this is a REST API (v1). */
  public get isRest(): boolean {
    return this.name === 'REST';
  }
}
