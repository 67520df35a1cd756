import { Annotations, Duration, IResource, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiAuthorization } from './api-authorization';
import { ApiKind } from './api-kind';
import { addApiMonitoring } from './api-monitoring';
import { HttpApiBuilder } from './http-api-builder';
import { ApiRoute, ObservableApiProps } from './observable-api-props';
import { RestApiBuilder } from './rest-api-builder';
import { CORS_ENV, CORS_ENV_PREFIX, resolveApiSettings, validateRoute } from './validate-props';
import { AlarmFactory } from '../core/alarm-factory';
import { TemplateRef } from '../core/handler-code';
import { createCoreFunction } from '../core/powertools-function';

/** The construct's runtime template (src/handlers/api). @internal */
export const API_TEMPLATE: TemplateRef = {
  name: 'api',
  wrapExport: 'wrapApi',
  entryContract:
    'export const routes = { "GET /orders/{id}": (request) => ..., "POST /orders": ... }: an object mapping ' +
    '"METHOD /path" route keys to handler functions that receive the parsed request',
};

/** Warning id when the function may run longer than API Gateway waits for it. */
export const FUNCTION_OUTLIVES_INTEGRATION_WARNING = 'cdk-serverless-powertools:apiFunctionOutlivesIntegration';

/**
 * API Gateway in front of one Lambda function (the "Lambda monolith" pattern), observable
 * from day one: JSON access logs in an owned log group, X-Ray, throttling, detailed metrics,
 * a Powertools router template with structured logs carrying the request id as
 * `correlation_id` and EMF metrics, alarms (5XX rate, optional 4XX rate, p90/p99 latency,
 * function errors, throttles, duration and concurrency) and a high- and a low-level dashboard.
 *
 * A REST API with IAM authorization by default; `apiKind: ApiKind.http()` gives an HTTP API.
 */
export class ObservableApi extends Construct {
  /** The API: an `apigateway.RestApi` or an `apigatewayv2.HttpApi` (see `restApi` / `httpApi`). */
  public readonly api: IResource;
  /** The REST API, when `apiKind` is REST. */
  public readonly restApi?: apigateway.RestApi;
  /** The HTTP API, when `apiKind` is HTTP. */
  public readonly httpApi?: apigwv2.HttpApi;
  /** The stage's invoke URL. */
  public readonly url: string;
  /** The function behind the catch-all route. */
  public readonly function: lambda.Function;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The log group the stage writes JSON access logs to. */
  public readonly accessLogGroup: logs.LogGroup;
  /** Every alarm created (empty when alarms are off). */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The high-level and low-level dashboards (empty when dashboards are off). */
  public readonly dashboards: cloudwatch.Dashboard[];
  /** How long API Gateway waits for a function. */
  public readonly integrationTimeout: Duration;

  private readonly builder: RestApiBuilder | HttpApiBuilder;
  private readonly kind: ApiKind;
  private routeCount = 0;

  constructor(scope: Construct, id: string, props: ObservableApiProps = {}) {
    super(scope, id);
    const kind = props.apiKind ?? ApiKind.rest();
    this.kind = kind;
    const settings = resolveApiSettings(this, props, kind);

    const core = createCoreFunction(this, {
      constructName: 'ObservableApi',
      options: props,
      template: API_TEMPLATE,
      description: `API Gateway ${kind.name} API handler (Powertools router) of ${this.node.path}`,
      wiringEnvironment: props.cors && kind.isRest ? corsEnvironment(props) : undefined,
      // The template reads API_CORS_* for its response headers; only the cors prop sets them.
      reservedEnvironmentPrefixes: [CORS_ENV_PREFIX],
      asyncDeadLetterQueue: false,
    });
    this.function = core.fn;
    this.logGroup = core.logGroup;
    this.role = core.role;
    Validations.of(core.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'API Gateway invokes the function synchronously and receives its errors; a DLQ only catches asynchronous invocations.',
    });

    const integrationTimeout = settings.integrationTimeout ?? minDuration(core.timeout, settings.maxIntegrationTimeout);
    this.integrationTimeout = integrationTimeout;
    if (!core.timeout.isUnresolved() && !integrationTimeout.isUnresolved() && core.timeout.toMilliseconds() > integrationTimeout.toMilliseconds()) {
      Annotations.of(this).addWarningV2(
        FUNCTION_OUTLIVES_INTEGRATION_WARNING,
        `The function timeout (${core.timeout.toHumanString()}) is longer than the integration timeout (${integrationTimeout.toHumanString()}): ` +
          'clients get a 504 while the function keeps running and billing. Lower the function timeout.',
      );
    }

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
    });

    const description = `${this.node.path}: Lambda proxy API with access logs, tracing and alarms (cdk-serverless-powertools)`;
    const authorization = props.authorization ?? ApiAuthorization.iam();
    if (kind.isRest) {
      const rest = new RestApiBuilder(this, {
        fn: core.fn,
        description,
        accessLogGroup: this.accessLogGroup,
        authorization,
        cors: props.cors,
        stageName: settings.stageName,
        throttlingRatePerSecond: settings.throttlingRatePerSecond,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        executionLogLevel: settings.executionLogLevel,
        manageAccountCloudWatchRole: props.manageAccountCloudWatchRole ?? false,
        integrationTimeout,
        detailedMetrics: props.detailedMetrics ?? true,
        webAclArn: props.webAclArn,
      });
      this.builder = rest;
      this.restApi = rest.api;
    } else {
      const http = new HttpApiBuilder(this, {
        fn: core.fn,
        description,
        accessLogGroup: this.accessLogGroup,
        authorization,
        cors: props.cors,
        throttlingRatePerSecond: settings.throttlingRatePerSecond,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        integrationTimeout,
        detailedMetrics: props.detailedMetrics ?? true,
      });
      this.builder = http;
      this.httpApi = http.api;
    }
    this.api = this.builder.resource;
    this.url = this.builder.url;

    const routeFunctions: lambda.IFunction[] = [];
    for (const route of props.routes ?? []) {
      this.addRoute(route);
      if (!routeFunctions.includes(route.handler)) routeFunctions.push(route.handler);
    }

    const m = props.apiMonitoring ?? {};
    const alarmFactory = new AlarmFactory(this, props.monitoring);
    const timeoutMs = integrationTimeout.isUnresolved() ? undefined : integrationTimeout.toMilliseconds();
    this.dashboards = addApiMonitoring(this, alarmFactory, {
      stage: this.builder.stage,
      fn: core.fn,
      functionTimeout: core.timeout,
      serverErrorRateThresholdPercent: m.serverErrorRateThresholdPercent ?? 1,
      clientErrorRateThresholdPercent: m.clientErrorRateThresholdPercent,
      latencyP90Threshold: m.latencyP90Threshold ?? Duration.millis(Math.floor((timeoutMs ?? 29_000) * 0.5)),
      latencyP99Threshold: m.latencyP99Threshold ?? Duration.millis(Math.floor((timeoutMs ?? 29_000) * 0.8)),
      concurrentExecutionsThreshold: m.concurrentExecutionsThreshold ?? defaultConcurrencyThreshold(props.reservedConcurrentExecutions),
      compositeAlarm: m.compositeAlarm ?? false,
      monitoring: props.monitoring,
      metricsNamespace: core.metricsNamespace,
      serviceName: core.serviceName,
      businessMetricNames: m.businessMetricNames ?? (core.code.kind === 'template' ? ['OrderCreated'] : []),
      routeFunctions,
    });
    this.alarms = alarmFactory.alarms;
  }

  /**
   * Routes `path` to another function (Lambda proxy integration) with the API's authorization.
   * Routes added after construction are not on the dashboards.
   */
  public addRoute(route: ApiRoute): void {
    validateRoute(this, this.kind, route);
    this.builder.addRoute(route, this.routeCount++);
  }
}

function minDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved()) return b;
  return a.toMilliseconds() <= b.toMilliseconds() ? a : b;
}

function defaultConcurrencyThreshold(reserved: number | undefined): number {
  if (reserved === undefined || Token.isUnresolved(reserved) || reserved === 0) return 800;
  return Math.max(1, Math.floor(reserved * 0.8));
}

function corsEnvironment(props: ObservableApiProps): { [key: string]: string } {
  return {
    [CORS_ENV.origins]: props.cors!.allowOrigins.join(','),
    [CORS_ENV.credentials]: String(props.cors!.allowCredentials ?? false),
  };
}
