import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization } from './api-authorization';
import { ApiKind } from './api-kind';
import { PowertoolsFunctionOptions } from '../core/function-options';

/** Cross-origin resource sharing (CORS) for browser clients. */
export interface ApiCorsOptions {
  /** Origins allowed to call the API, e.g. `['https://app.example.com']`. `['*']` allows any origin. */
  readonly allowOrigins: string[];

  /**
   * Allowed methods.
   *
   * @default - all methods
   */
  readonly allowMethods?: string[];

  /**
   * Allowed request headers.
   *
   * @default - Content-Type, X-Amz-Date, Authorization, X-Api-Key, X-Amz-Security-Token, X-Amz-User-Agent
   */
  readonly allowHeaders?: string[];

  /**
   * Response headers the browser may read.
   *
   * @default - none beyond the CORS-safelisted ones
   */
  readonly exposeHeaders?: string[];

  /**
   * Allow cookies and authorization headers on cross-origin requests. Not allowed with `*` origins.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;

  /**
   * How long browsers cache a preflight answer.
   *
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/**
 * An explicit route, beside the template's catch-all proxy: to another function, or to the
 * API's own function with its own authorization or request validation (so API Gateway
 * rejects a bad request before any invocation).
 */
export interface ApiRoute {
  /** Path with `{name}` parameters, e.g. `/reports/{id}`. */
  readonly path: string;

  /**
   * The function that handles the route (Lambda proxy integration).
   *
   * @default - the API's own function
   */
  readonly handler?: lambda.IFunction;

  /**
   * Who may call this route. Public routes (`ApiAuthorization.none()`) need
   * `allowUnauthenticatedAccess: true` on the API.
   *
   * @default - the API's `authorization`
   */
  readonly authorization?: ApiAuthorization;

  /**
   * OAuth scopes a token must carry for this route (one of them). Cognito and JWT
   * authorization only.
   *
   * @default - the scopes of the route's authorization
   */
  readonly authorizationScopes?: string[];

  /**
   * HTTP methods: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.
   *
   * @default ['ANY']
   */
  readonly methods?: string[];

  /**
   * JSON schema the request body must match; API Gateway answers 400 otherwise. REST APIs only.
   *
   * @default - the body is not validated
   */
  readonly requestBodySchema?: apigateway.JsonSchema;

  /**
   * Query string parameters that must be present; API Gateway answers 400 otherwise. REST APIs only.
   *
   * @default - none required
   */
  readonly requiredQueryParameters?: string[];

  /**
   * Request headers that must be present; API Gateway answers 400 otherwise. REST APIs only.
   *
   * @default - none required
   */
  readonly requiredHeaders?: string[];
}

/** A custom domain name for the API. */
export interface ApiCustomDomainOptions {
  /** The host name, e.g. `api.example.com`. */
  readonly domainName: string;

  /**
   * An ACM certificate for `domainName`: in the stack's region, or in us-east-1 for an EDGE
   * REST API (CloudFront serves it).
   */
  readonly certificate: acm.ICertificate;

  /**
   * A Route 53 public hosted zone that gets an alias (A) record for `domainName`.
   *
   * @default - no DNS record; point your DNS at the domain's target yourself
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The base path the API is mapped to, without a leading slash, e.g. `orders` or `v1/orders`.
   *
   * @default - the API is mapped to the domain's root
   */
  readonly basePath?: string;

  /**
   * Turn off the default `execute-api` endpoint, so clients can only use the custom domain
   * (and its TLS policy, mappings and WAF).
   *
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

/**
 * A canary on the REST stage: a share of requests runs with other stage variables (the
 * function sees them in `event.stageVariables`), e.g. to try a feature flag or a backend
 * version on 10% of traffic. The canary serves the stage's current deployment; promote it
 * by moving the overrides into `stageVariables`, or remove `canary`.
 */
export interface ApiCanaryOptions {
  /** The percentage of requests (greater than 0, at most 100) the canary serves. */
  readonly percentTraffic: number;

  /**
   * Stage variables the canary's requests see instead of (or beside) `stageVariables`.
   *
   * @default - none: the canary's requests see the stage's variables
   */
  readonly stageVariableOverrides?: { [name: string]: string };

  /**
   * Whether the canary's requests use the stage cache.
   *
   * @default false
   */
  readonly useStageCache?: boolean;
}

/** Throttling for one method (REST usage plans). */
export interface ApiMethodThrottle {
  /** The resource path, e.g. `/orders` or `/{proxy+}`. */
  readonly path: string;

  /** The HTTP method, e.g. `POST`, or `ANY`. */
  readonly method: string;

  /** Steady-state requests per second for this method. */
  readonly rateLimitPerSecond: number;

  /** Burst capacity in requests for this method. */
  readonly burstLimit: number;
}

/** A REST API usage plan: throttling and a quota per API key. */
export interface ApiUsagePlanOptions {
  /** The plan's name, unique in this API, e.g. `free` or `partner`. */
  readonly name: string;

  /**
   * Steady-state requests per second per key.
   *
   * @default - the stage's throttling
   */
  readonly rateLimitPerSecond?: number;

  /**
   * Burst capacity in requests per key.
   *
   * @default - the stage's throttling
   */
  readonly burstLimit?: number;

  /**
   * Requests a key may make per `quotaPeriod`.
   *
   * @default - no quota
   */
  readonly quotaRequests?: number;

  /**
   * The period of `quotaRequests`.
   *
   * @default apigateway.Period.MONTH
   */
  readonly quotaPeriod?: apigateway.Period;

  /**
   * Throttling for single methods, below the plan's.
   *
   * @default - none
   */
  readonly methodThrottles?: ApiMethodThrottle[];

  /**
   * API keys to create for this plan, by name (API Gateway generates the values; none is
   * written to a template output: read a value with `aws apigateway get-api-key --include-value`).
   *
   * @default - none
   */
  readonly apiKeyNames?: string[];

  /**
   * Existing API keys to attach to this plan (e.g. `apigateway.ApiKey.fromApiKeyId(...)`).
   *
   * @default - none
   */
  readonly apiKeys?: apigateway.IApiKey[];
}

/** Alarm and dashboard settings specific to the API. */
export interface ApiMonitoringOptions {
  /**
   * The 5XX alarm fires when more than this percentage of requests failed with a 5XX in 5 minutes.
   *
   * @default 1
   */
  readonly serverErrorRateThresholdPercent?: number;

  /**
   * Create a 4XX rate alarm firing above this percentage over 5 minutes (client errors often
   * mean a broken client release or an attack rather than trouble in the API).
   *
   * @default - no 4XX alarm
   */
  readonly clientErrorRateThresholdPercent?: number;

  /**
   * Create a low-traffic alarm firing when fewer than this many requests arrive in an hour
   * (a broken client, DNS or upstream often shows as silence, not as errors). An hour with
   * no data at all counts as breaching.
   *
   * @default - no low-traffic alarm
   */
  readonly lowTrafficRequestsPerHour?: number;

  /**
   * p90 latency threshold.
   *
   * @default - 50% of the integration timeout
   */
  readonly latencyP90Threshold?: Duration;

  /**
   * p99 latency threshold.
   *
   * @default - 80% of the integration timeout (requests are about to time out with a 504)
   */
  readonly latencyP99Threshold?: Duration;

  /**
   * p99 integration latency threshold (HTTP APIs: the time the function takes as API Gateway
   * sees it, without API Gateway's own overhead).
   *
   * @default - 80% of the integration timeout
   */
  readonly integrationLatencyP99Threshold?: Duration;

  /**
   * The concurrent executions alarm fires above this many concurrent executions.
   *
   * @default - 80% of `reservedConcurrentExecutions` when set, else 800 (80% of the default account limit of 1000)
   */
  readonly concurrentExecutionsThreshold?: number;

  /**
   * Add a composite "API unhealthy" alarm that fires when the 5XX rate, p99 latency or
   * function errors alarm fires. Page on it and route the others to a ticket queue.
   *
   * @default false
   */
  readonly compositeAlarm?: boolean;

  /**
   * Names of EMF business metrics (namespace `metricsNamespace`, dimension `service`) to graph
   * on the high-level dashboard.
   *
   * @default - `['OrderCreated']` with the bundled template, none otherwise
   */
  readonly businessMetricNames?: string[];
}

/** Props of an ObservableApi. */
export interface ObservableApiProps extends PowertoolsFunctionOptions {
  /**
   * REST API (v1), HTTP API (v2) or a Lambda Function URL.
   *
   * @default ApiKind.rest()
   */
  readonly apiKind?: ApiKind;

  /**
   * Who may call the API. Routes can override it (`ApiRoute.authorization`).
   *
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;

  /**
   * Confirms that `ApiAuthorization.none()` (on the API or on a route) is meant: anyone on
   * the internet may call it. Without it, `none()` fails synth; with it, the cdk-nag
   * findings of the public methods are acknowledged with this reason. A Function URL with no
   * authorization also gets a synth warning.
   *
   * @default false
   */
  readonly allowUnauthenticatedAccess?: boolean;

  /**
   * REST API endpoint type: REGIONAL, EDGE (through CloudFront; a custom domain's
   * certificate must be in us-east-1) or PRIVATE (only from your VPC, through `vpcEndpoints`).
   *
   * @default apigateway.EndpointType.REGIONAL
   */
  readonly endpointType?: apigateway.EndpointType;

  /**
   * Interface VPC endpoints (service `execute-api`) of a PRIVATE REST API. Its resource
   * policy allows calls only through them.
   *
   * @default - none; required with `endpointType: PRIVATE`
   */
  readonly vpcEndpoints?: ec2.IInterfaceVpcEndpoint[];

  /**
   * A custom domain name (TLS 1.2 minimum) with an optional Route 53 alias and base path.
   * REST (REGIONAL or EDGE) and HTTP APIs.
   *
   * @default - only the `execute-api` endpoint
   */
  readonly customDomain?: ApiCustomDomainOptions;

  /**
   * Usage plans with throttling and quotas per API key (REST APIs only). With any plan,
   * every method requires an API key (`x-api-key` header) besides its authorization.
   *
   * @default - no usage plans, no API keys
   */
  readonly usagePlans?: ApiUsagePlanOptions[];

  /**
   * Stage variables (REST and HTTP APIs), e.g. `{ backendVersion: '2' }`. They are visible in
   * the proxy event; never put secrets in them.
   *
   * @default - none
   */
  readonly stageVariables?: { [name: string]: string };

  /**
   * A canary on the REST stage: `percentTraffic` of requests see `stageVariableOverrides`.
   * REST APIs only.
   *
   * @default - no canary
   */
  readonly canary?: ApiCanaryOptions;

  /**
   * Stream the function's responses (Function URL `InvokeMode: RESPONSE_STREAM`, with the
   * streaming variant of the template). `ApiKind.functionUrl()` only: API Gateway buffers
   * responses of these integrations.
   *
   * @default false
   */
  readonly responseStreaming?: boolean;

  /**
   * CORS for browser clients. With a REST API the function also adds the CORS headers to its
   * responses (a proxy integration's response headers come from the function).
   *
   * @default - no CORS
   */
  readonly cors?: ApiCorsOptions;

  /**
   * Stage throttling: steady-state requests per second.
   *
   * @default 500
   */
  readonly throttlingRatePerSecond?: number;

  /**
   * Stage throttling: burst capacity in requests.
   *
   * @default 1000
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Execution logging of the REST API stage (API Gateway's own log of each request). Request
   * and response bodies are never logged. HTTP APIs have no execution logging.
   * REST API logging needs the account-level CloudWatch role: see `manageAccountCloudWatchRole`.
   *
   * @default apigateway.MethodLoggingLevel.ERROR (REST API)
   */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;

  /**
   * Create the account-level API Gateway CloudWatch role (`AWS::ApiGateway::Account`). REST API
   * access and execution logs need it, but it is one setting for the whole account and region:
   * enable this in exactly one stack per account and region, or set the role up outside CDK.
   * Without it, the stage deploys only where the role is already set; a synth warning says so.
   * The role and setting are retained when the stack is deleted. REST APIs only.
   *
   * @default false
   */
  readonly manageAccountCloudWatchRole?: boolean;

  /**
   * Retention of the access log group, which the construct creates.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * REST API stage name (letters, digits, `-` and `_`). HTTP APIs use their `$default` stage.
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * How long API Gateway waits for the function (50 ms to 29 s for REST, 30 s for HTTP). The
   * latency alarms derive from it.
   *
   * @default - the function timeout, capped at the maximum
   */
  readonly integrationTimeout?: Duration;

  /**
   * ARN of a regional WAFv2 web ACL to associate with the REST API stage. REST APIs only.
   *
   * @default - no web ACL; the AwsSolutions-APIG3 finding is acknowledged on the stage
   */
  readonly webAclArn?: string;

  /**
   * Detailed (per method / per route) CloudWatch metrics on the stage. They are billed as custom metrics.
   *
   * @default true
   */
  readonly detailedMetrics?: boolean;

  /**
   * Extra routes to other functions. The template's function handles every other path.
   *
   * @default - none
   */
  readonly routes?: ApiRoute[];

  /**
   * API alarms and dashboards (the function's settings are in `monitoring`).
   *
   * @default - see ApiMonitoringOptions
   */
  readonly apiMonitoring?: ApiMonitoringOptions;
}
