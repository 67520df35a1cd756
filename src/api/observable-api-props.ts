import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
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

/** An extra route to another function, beside the template's catch-all proxy. */
export interface ApiRoute {
  /** Path with `{name}` parameters, e.g. `/reports/{id}`. */
  readonly path: string;

  /** The function that handles the route (Lambda proxy integration). */
  readonly handler: lambda.IFunction;

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
   * REST API (v1) or HTTP API (v2).
   *
   * @default ApiKind.rest()
   */
  readonly apiKind?: ApiKind;

  /**
   * Who may call the API.
   *
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;

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
