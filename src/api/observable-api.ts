import { Annotations, Duration, IResource } from 'aws-cdk-lib';
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
import { API_ENTRY, API_ENV, API_ENV_PREFIX } from './contract';
import { HttpApiBuilder } from './http-api-builder';
import { ApiRoute, ObservableApiProps } from './observable-api-props';
import { RestApiBuilder } from './rest-api-builder';
import { resolveApiSettings, validateRoute } from './validate-props';
import { AlarmFactory } from '../core/alarm-factory';
import { acknowledgeControlTower } from '../core/compliance';
import { TemplateRef } from '../core/handler-code';
import { encryptedLogGroup } from '../core/log-group-encryption';
import { PowertoolsFunction } from '../core/powertools-function';

/** The construct's runtime template (runtime/api). @internal */
const API_TEMPLATE: TemplateRef = {
  name: 'api',
  wrapExport: 'wrapApi',
  entry: API_ENTRY,
};

/** Warning id when the function may run longer than API Gateway waits for it. */
const FUNCTION_OUTLIVES_INTEGRATION_WARNING = 'cdk-serverless-powertools:apiFunctionOutlivesIntegration';

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
  /** The function behind the catch-all route, and everything created with it (alias, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The function behind the catch-all route. */
  public readonly function: lambda.Function;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The log group the stage writes JSON access logs to. */
  public readonly accessLogGroup: logs.LogGroup;
  /** Every alarm created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
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

    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'ObservableApi',
      owner: this,
      template: API_TEMPLATE,
      description: `API Gateway ${kind.name} API handler (Powertools router) of ${this.node.path}`,
      wiringEnvironment: props.cors && kind.isRest ? corsEnvironment(props) : undefined,
      // The template reads API_CORS_* for its response headers; only the cors prop sets them.
      reservedEnvironmentPrefixes: [API_ENV_PREFIX],
      syncOnlyReason: 'API Gateway invokes the function synchronously and receives its errors; a DLQ only catches asynchronous invocations.',
      errorRateFeedsComposite: props.apiMonitoring?.compositeAlarm ?? false,
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    const integrationTimeout = settings.integrationTimeout ?? minDuration(fn.timeout, settings.maxIntegrationTimeout);
    this.integrationTimeout = integrationTimeout;
    if (!fn.timeout.isUnresolved() && !integrationTimeout.isUnresolved() && fn.timeout.toMilliseconds() > integrationTimeout.toMilliseconds()) {
      Annotations.of(this).addWarningV2(
        FUNCTION_OUTLIVES_INTEGRATION_WARNING,
        `The function timeout (${fn.timeout.toHumanString()}) is longer than the integration timeout (${integrationTimeout.toHumanString()}): ` +
          'clients get a 504 while the function keeps running and billing. Lower the function timeout.',
      );
    }

    // The function's log-group key (a Control Tower hardening) encrypts the access logs too.
    this.accessLogGroup = encryptedLogGroup(this, 'AccessLogs', props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS, props.logGroupEncryptionKey);

    const description = `${this.node.path}: Lambda proxy API with access logs, tracing and alarms (cdk-serverless-powertools)`;
    const authorization = props.authorization ?? ApiAuthorization.iam();
    if (kind.isRest) {
      const rest = new RestApiBuilder(this, {
        fn: fn.invokeTarget,
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
        fn: fn.invokeTarget,
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
    acknowledgeInvokePermissions(this);

    const routeFunctions: lambda.IFunction[] = [];
    // resolveApiSettings has checked these routes; addRoute checks routes added later.
    for (const route of props.routes ?? []) {
      this.builder.addRoute(route, this.routeCount++);
      if (!routeFunctions.includes(route.handler)) routeFunctions.push(route.handler);
    }
    acknowledgeInvokePermissions(this);

    const alarmFactory = new AlarmFactory(this, props.monitoring);
    this.dashboards = addApiMonitoring(this, alarmFactory, {
      stage: this.builder.stage,
      fn,
      integrationTimeout,
      apiMonitoring: props.apiMonitoring ?? {},
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      monitoring: props.monitoring,
      routeFunctions,
    });
    this.alarms = [...fn.alarms, ...alarmFactory.alarms];
  }

  /**
   * Routes `path` to another function (Lambda proxy integration) with the API's authorization.
   * Routes added after construction are not on the dashboards.
   */
  public addRoute(route: ApiRoute): void {
    validateRoute(this, this.kind, route);
    this.builder.addRoute(route, this.routeCount++);
    acknowledgeInvokePermissions(this);
  }
}

/**
 * CT.LAMBDA.PR.2 wants a literal SourceAccount or a SourceArn it can read; aws-cdk-lib writes
 * API Gateway's SourceArn as an Fn::Join of this API's execute-api ARN, which the rule cannot
 * read although it scopes the permission to this API. Runs again for routes added later.
 */
function acknowledgeInvokePermissions(api: Construct): void {
  for (const permission of api.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
    acknowledgeControlTower(
      permission,
      'lambda_function_public_access_prohibited_check',
      'CT.LAMBDA.PR.2',
      'The permission lets only API Gateway invoke the function, from this API (its SourceArn is this API\'s execute-api ARN, which the rule cannot read as an Fn::Join).',
    );
  }
}

function minDuration(a: Duration, b: Duration): Duration {
  if (a.isUnresolved()) return b;
  return a.toMilliseconds() <= b.toMilliseconds() ? a : b;
}

function corsEnvironment(props: ObservableApiProps): { [key: string]: string } {
  return {
    [API_ENV.corsAllowOrigins.name]: props.cors!.allowOrigins.join(','),
    [API_ENV.corsAllowCredentials.name]: String(props.cors!.allowCredentials ?? false),
  };
}
