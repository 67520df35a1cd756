import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { HandlerCode } from './handler-code';
import { MonitoringOptions } from './monitoring-options';

/** Log levels understood by Powertools and by Lambda's advanced logging controls. */
export enum PowertoolsLogLevel {
  /** Everything, including debug details. */
  DEBUG = 'DEBUG',
  /** Normal operation. */
  INFO = 'INFO',
  /** Unexpected but handled situations. */
  WARN = 'WARN',
  /** Failures only. */
  ERROR = 'ERROR',
}

/**
 * Function settings shared by every construct of this library. The construct owns the
 * function; these shape it.
 */
export interface PowertoolsFunctionOptions {
  /**
   * The code the function runs.
   *
   * @default HandlerCode.template() - the construct's bundled Powertools template
   */
  readonly handlerCode?: HandlerCode;

  /**
   * Memory in MB (128 to 10240). CPU scales with it.
   *
   * @default 256
   */
  readonly memorySizeMb?: number;

  /**
   * Function timeout (1 second to 15 minutes).
   *
   * @default - 10 seconds, unless the construct documents another value
   */
  readonly timeout?: Duration;

  /**
   * Reserved concurrency: caps and guarantees the function's concurrent executions.
   *
   * @default - no reservation (the function uses the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Extra environment variables. They may override the `POWERTOOLS_*` defaults, but not
   * the variables the construct needs for its wiring (those are documented per construct).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Retention of the function's log group, which the construct creates and owns.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Log level for Powertools (`POWERTOOLS_LOG_LEVEL`) and Lambda's application log filter.
   *
   * @default PowertoolsLogLevel.INFO
   */
  readonly logLevel?: PowertoolsLogLevel;

  /**
   * `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line and metric dimension.
   *
   * @default - the construct's path below its stack, e.g. `Api-Orders`
   */
  readonly serviceName?: string;

  /**
   * `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of EMF metrics.
   *
   * @default - the stack name
   */
  readonly metricsNamespace?: string;

  /**
   * Instruction set architecture.
   *
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Description of the function.
   *
   * @default - a description naming the construct's pattern
   */
  readonly description?: string;

  /**
   * Alarms and dashboard.
   *
   * @default - alarms to the stack's shared topic, and a dashboard
   */
  readonly monitoring?: MonitoringOptions;
}

/**
 * For constructs whose function may also be invoked asynchronously by your own callers.
 */
export interface AsyncInvocationOptions {
  /**
   * Give the function an encrypted, TLS-only SQS dead-letter queue (14 days retention) for
   * failed asynchronous invocations, with an alarm when it holds messages. Set to false only
   * when every caller invokes the function synchronously or handles failures itself.
   *
   * @default true
   */
  readonly asyncDeadLetterQueue?: boolean;
}
