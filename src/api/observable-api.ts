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
import { customDomainUrl } from './custom-domain';
import { FunctionUrlBuilder } from './function-url-builder';
import { HttpApiBuilder } from './http-api-builder';
import { ApiRoute, ObservableApiProps } from './observable-api-props';
import { RestApiBuilder } from './rest-api-builder';
import { addUsagePlans } from './usage-plans';
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

/** The streaming variant (runtime/api-stream), for Function URLs with RESPONSE_STREAM. @internal */
const API_STREAM_TEMPLATE: TemplateRef = {
  name: 'api-stream',
  wrapExport: 'wrapApiStream',
  entry: API_ENTRY,
};

/** Warning id when the function may run longer than API Gateway waits for it. */
const FUNCTION_OUTLIVES_INTEGRATION_WARNING = 'cdk-serverless-powertools:apiFunctionOutlivesIntegration';

/** Warning id when a route's function may run longer than API Gateway waits for it. */
const ROUTE_OUTLIVES_INTEGRATION_WARNING = 'cdk-serverless-powertools:apiRouteFunctionOutlivesIntegration';

/**
 * API Gateway in front of one Lambda function (the "Lambda monolith" pattern), observable
 * from day one: JSON access logs in an owned log group, X-Ray, throttling, detailed metrics,
 * a Powertools router template with structured logs carrying the request id as
 * `correlation_id` and EMF metrics, alarms (5XX rate, optional 4XX rate, p90/p99 latency,
 * function errors, throttles, duration and concurrency) and a high- and a low-level dashboard.
 *
 * A REST API with IAM authorization by default; `apiKind: ApiKind.http()` gives an HTTP API
 * and `ApiKind.functionUrl()` a Lambda Function URL (optionally streaming).
 */
export class ObservableApi extends Construct {
  /** The API: an `apigateway.RestApi`, an `apigatewayv2.HttpApi` or a `lambda.FunctionUrl` (see `restApi` / `httpApi` / `functionUrl`). */
  public readonly api: IResource;
  /** The REST API, when `apiKind` is REST. */
  public readonly restApi?: apigateway.RestApi;
  /** The HTTP API, when `apiKind` is HTTP. */
  public readonly httpApi?: apigwv2.HttpApi;
  /** The Function URL, when `apiKind` is FUNCTION_URL. */
  public readonly functionUrl?: lambda.FunctionUrl;
  /** The REST API's custom domain, when `customDomain` is set. */
  public readonly restDomainName?: apigateway.DomainName;
  /** The HTTP API's custom domain, when `customDomain` is set. */
  public readonly httpDomainName?: apigwv2.DomainName;
  /** The REST API's usage plans (empty without `usagePlans`). */
  public readonly usagePlans: apigateway.UsagePlan[];
  /** The API keys of the usage plans, created and imported (empty without `usagePlans`). */
  public readonly apiKeys: apigateway.IApiKey[];
  /** The URL clients call: the custom domain's when there is one, else the stage's invoke URL or the Function URL. */
  public readonly url: string;
  /** The function behind the catch-all route, and everything created with it (alias, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The function behind the catch-all route. */
  public readonly function: lambda.Function;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /**
   * The log group the stage writes JSON access logs to. Undefined for a Function URL, which
   * has no access log: the template's "Request handled" line (method, path, status,
   * duration, correlation id) takes its place.
   */
  public readonly accessLogGroup?: logs.LogGroup;
  /** Every alarm created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The high-level and low-level dashboards (empty when dashboards are off). */
  public readonly dashboards: cloudwatch.Dashboard[];
  /** How long API Gateway waits for a function. */
  public readonly integrationTimeout: Duration;

  private readonly builder: RestApiBuilder | HttpApiBuilder | FunctionUrlBuilder;
  private readonly kind: ApiKind;
  private readonly props: ObservableApiProps;
  private routeCount = 0;

  constructor(scope: Construct, id: string, props: ObservableApiProps = {}) {
    super(scope, id);
    const kind = props.apiKind ?? ApiKind.rest();
    this.kind = kind;
    this.props = props;
    const settings = resolveApiSettings(this, props, kind);

    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'ObservableApi',
      owner: this,
      template: props.responseStreaming ? API_STREAM_TEMPLATE : API_TEMPLATE,
      description: kind.isFunctionUrl
        ? `Function URL handler (Powertools router${props.responseStreaming ? ', streaming' : ''}) of ${this.node.path}`
        : `API Gateway ${kind.name} API handler (Powertools router) of ${this.node.path}`,
      wiringEnvironment: props.cors && kind.isRest ? corsEnvironment(props) : undefined,
      // The template reads API_CORS_* for its response headers; only the cors prop sets them.
      reservedEnvironmentPrefixes: [API_ENV_PREFIX],
      syncOnlyReason: `${kind.isFunctionUrl ? 'The Function URL' : 'API Gateway'} invokes the function synchronously and receives its errors; a DLQ only catches asynchronous invocations.`,
      errorRateFeedsComposite: props.apiMonitoring?.compositeAlarm ?? false,
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    // A Function URL waits as long as the function runs: its timeout is the integration timeout.
    const integrationTimeout = kind.isFunctionUrl
      ? fn.timeout
      : settings.integrationTimeout ?? minDuration(fn.timeout, settings.maxIntegrationTimeout);
    this.integrationTimeout = integrationTimeout;
    if (!fn.timeout.isUnresolved() && !integrationTimeout.isUnresolved() && fn.timeout.toMilliseconds() > integrationTimeout.toMilliseconds()) {
      Annotations.of(this).addWarningV2(
        FUNCTION_OUTLIVES_INTEGRATION_WARNING,
        `The function timeout (${fn.timeout.toHumanString()}) is longer than the integration timeout (${integrationTimeout.toHumanString()}): ` +
          'clients get a 504 while the function keeps running and billing. Lower the function timeout.',
      );
    }

    const description = `${this.node.path}: Lambda proxy API with access logs, tracing and alarms (cdk-serverless-powertools)`;
    const authorization = props.authorization ?? ApiAuthorization.iam();
    const allowUnauthenticatedAccess = props.allowUnauthenticatedAccess ?? false;
    const routes = props.routes ?? [];
    if (kind.isFunctionUrl) {
      const url = new FunctionUrlBuilder(this, {
        fn: fn.invokeTarget,
        authorization,
        cors: props.cors,
        responseStreaming: props.responseStreaming ?? false,
      });
      this.builder = url;
      this.functionUrl = url.functionUrl;
    } else {
      // The function's log-group key (a Control Tower hardening) encrypts the access logs too.
      const accessLogGroup = encryptedLogGroup(this, 'AccessLogs', props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS, props.logGroupEncryptionKey);
      this.accessLogGroup = accessLogGroup;
      const common = {
        fn: fn.invokeTarget,
        description,
        accessLogGroup,
        authorization,
        allowUnauthenticatedAccess,
        routes,
        cors: props.cors,
        throttlingRatePerSecond: settings.throttlingRatePerSecond,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        integrationTimeout,
        detailedMetrics: props.detailedMetrics ?? true,
        customDomain: props.customDomain,
        stageVariables: props.stageVariables,
      };
      if (kind.isRest) {
        const rest = new RestApiBuilder(this, {
          ...common,
          stageName: settings.stageName,
          executionLogLevel: settings.executionLogLevel,
          manageAccountCloudWatchRole: props.manageAccountCloudWatchRole ?? false,
          webAclArn: props.webAclArn,
          endpointType: props.endpointType ?? apigateway.EndpointType.REGIONAL,
          vpcEndpoints: props.vpcEndpoints,
          apiKeyRequired: props.usagePlans !== undefined,
          canary: props.canary,
        });
        this.builder = rest;
        this.restApi = rest.api;
        this.restDomainName = rest.domain;
      } else {
        const http = new HttpApiBuilder(this, common);
        this.builder = http;
        this.httpApi = http.api;
        this.httpDomainName = http.domain;
      }
    }
    this.api = this.builder.resource;
    this.url = props.customDomain ? customDomainUrl(props.customDomain) : this.builder.url;

    const routeFunctions: lambda.IFunction[] = [];
    // resolveApiSettings has checked these routes; addRoute checks routes added later.
    for (const route of routes) {
      this.addCheckedRoute(route);
      if (route.handler && route.handler !== fn.invokeTarget && !routeFunctions.includes(route.handler)) routeFunctions.push(route.handler);
    }
    const plans = this.builder instanceof RestApiBuilder && props.usagePlans
      ? addUsagePlans(this, `ObservableApi ${this.node.path}`, this.builder.api, this.builder.methods, props.usagePlans)
      : { usagePlans: [], apiKeys: [] };
    this.usagePlans = plans.usagePlans;
    this.apiKeys = plans.apiKeys;
    acknowledgeInvokePermissions(this);

    const alarmFactory = new AlarmFactory(this, props.monitoring);
    this.dashboards = addApiMonitoring(this, alarmFactory, {
      kind,
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
    validateRoute(this, this.kind, route, this.props);
    this.addCheckedRoute(route);
    acknowledgeInvokePermissions(this);
  }

  private addCheckedRoute(route: ApiRoute): void {
    if (this.builder instanceof FunctionUrlBuilder) return; // validation rejects routes on a Function URL
    this.builder.addRoute(route, this.routeCount++);
    const timeout = route.handler instanceof lambda.Function ? route.handler.timeout : undefined;
    const limit = this.integrationTimeout;
    if (timeout && !timeout.isUnresolved() && !limit.isUnresolved() && timeout.toMilliseconds() > limit.toMilliseconds()) {
      Annotations.of(this).addWarningV2(
        ROUTE_OUTLIVES_INTEGRATION_WARNING,
        `The function of route ${route.path} has a timeout (${timeout.toHumanString()}) longer than the integration timeout (${this.integrationTimeout.toHumanString()}): ` +
          'clients get a 504 while it keeps running and billing. Lower its timeout.',
      );
    }
  }
}

/**
 * CT.LAMBDA.PR.2 wants a literal SourceAccount or a SourceArn it can read; aws-cdk-lib writes
 * API Gateway's SourceArn as an Fn::Join of this API's execute-api ARN, which the rule cannot
 * read although it scopes the permission to this API. Runs again for routes added later.
 */
function acknowledgeInvokePermissions(api: Construct): void {
  const permissions = api.node.findAll().filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission);
  // A public Function URL's permission is public on purpose, with its own warning: no acknowledgement.
  for (const permission of permissions.filter((p) => p.principal === 'apigateway.amazonaws.com')) {
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
