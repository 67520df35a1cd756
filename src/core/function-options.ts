import { Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HandlerCode } from './handler-code';
import { MonitoringOptions } from './monitoring-options';
import { ObservabilityOptions } from './observability-options';
import { ParametersOptions } from './parameters-options';
import { PowertoolsLayer } from './powertools-layer';

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

/** Target-tracking autoscaling of an alias's provisioned concurrency. */
export interface ProvisionedConcurrencyScaling {
  /**
   * The fewest provisioned environments.
   *
   * @default - `provisionedConcurrency`, or 1 when that is unset
   */
  readonly minCapacity?: number;

  /** The most provisioned environments. */
  readonly maxCapacity: number;

  /**
   * The `ProvisionedConcurrencyUtilization` to track, from 0.1 to 0.9.
   *
   * @default 0.7
   */
  readonly utilizationTarget?: number;
}

/**
 * Function settings shared by every construct of this library. The construct owns the
 * function; these shape it.
 */
export interface PowertoolsFunctionOptions extends ObservabilityOptions, ParametersOptions {
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
   * Fraction of invocations (0 to 1) that log at DEBUG whatever `logLevel` says
   * (`POWERTOOLS_LOGGER_SAMPLE_RATE`). Powertools draws once per execution environment
   * and again on each invocation. When above 0, Lambda's application log filter is set to
   * DEBUG so it does not drop the sampled lines; Powertools still filters by `logLevel`.
   *
   * @default - no sampling
   */
  readonly logSamplingRate?: number;

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
   * Put the function in this VPC. It cannot be added later without replacing the
   * function's network interfaces, so decide up front.
   *
   * @default - no VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` for the function's network interfaces.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc`.
   *
   * @default - a new security group that allows no inbound traffic and all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Lambda layers, e.g. `lambda.LayerVersion.fromLayerVersionArn(...)`.
   *
   * @default - none
   */
  readonly layers?: lambda.ILayerVersion[];

  /**
   * The official Powertools for AWS Lambda layer, resolved for the function's region and
   * architecture. For `HandlerCode.fromCode` functions in other runtimes (the templates
   * bundle Powertools already).
   *
   * @default - no Powertools layer
   */
  readonly powertoolsLayer?: PowertoolsLayer;

  /**
   * Publish a version on every change and point an alias with this name at it. The
   * construct's own wiring (event source mappings, API integrations) then invokes the alias.
   *
   * @default - no alias: the wiring invokes `$LATEST`
   */
  readonly alias?: string;

  /**
   * Provisioned concurrency of the alias (needs `alias`; at most
   * `reservedConcurrentExecutions` when that is set).
   *
   * @default - none
   */
  readonly provisionedConcurrency?: number;

  /**
   * Target-tracking autoscaling of the alias's provisioned concurrency (needs `alias`).
   *
   * @default - no autoscaling
   */
  readonly provisionedConcurrencyScaling?: ProvisionedConcurrencyScaling;

  /**
   * Size of `/tmp`, from 512 MiB to 10240 MiB.
   *
   * @default Size.mebibytes(512)
   */
  readonly ephemeralStorageSize?: Size;

  /**
   * A customer managed key that encrypts the function's environment variables at rest.
   *
   * @default - the AWS managed key for Lambda
   */
  readonly environmentEncryption?: kms.IKey;

  /**
   * A customer managed key that encrypts the function's log group. Its key policy gets a
   * statement letting CloudWatch Logs in this region use it, limited by the encryption
   * context to log groups of this account and region.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logGroupEncryptionKey?: kms.IKey;

  /**
   * Add the Lambda Insights extension (enhanced metrics), matching the architecture.
   *
   * @default false
   */
  readonly insights?: boolean;

  /**
   * What Lambda does when it detects the function in a recursive loop with SQS, SNS or S3.
   *
   * @default lambda.RecursiveLoop.TERMINATE
   */
  readonly recursiveLoop?: lambda.RecursiveLoop;

  /**
   * Alarms and dashboard.
   *
   * @default - alarms to the stack's shared topic, and a dashboard
   */
  readonly monitoring?: MonitoringOptions;
}

/** Where failed asynchronous invocations go when not to the created dead-letter queue. */
export abstract class AsyncFailureDestination {
  /** An SQS queue you own, as Lambda's on-failure destination, with an alarm on its depth. */
  public static queue(queue: sqs.IQueue): AsyncFailureDestination {
    return new QueueFailureDestination(queue);
  }

  /** An SNS topic you own, as Lambda's on-failure destination, with an alarm on delivery failures. */
  public static topic(topic: sns.ITopic): AsyncFailureDestination {
    return new TopicFailureDestination(topic);
  }

  /** The queue, when the destination is one. */
  public abstract readonly destinationQueue?: sqs.IQueue;
  /** The topic, when the destination is one. */
  public abstract readonly destinationTopic?: sns.ITopic;
}

class QueueFailureDestination extends AsyncFailureDestination {
  public readonly destinationTopic = undefined;
  constructor(public readonly destinationQueue: sqs.IQueue) {
    super();
  }
}

class TopicFailureDestination extends AsyncFailureDestination {
  public readonly destinationQueue = undefined;
  constructor(public readonly destinationTopic: sns.ITopic) {
    super();
  }
}

/**
 * For constructs whose function may also be invoked asynchronously by your own callers.
 */
export interface AsyncInvocationOptions {
  /**
   * Give the function an encrypted, TLS-only SQS dead-letter queue (14 days retention) for
   * failed asynchronous invocations, with an alarm when it holds messages. Set to false only
   * when every caller invokes the function synchronously or handles failures itself.
   * Cannot be combined with `onFailure`.
   *
   * @default true
   */
  readonly asyncDeadLetterQueue?: boolean;

  /**
   * Send failed asynchronous invocations to your queue or topic (Lambda destinations, which
   * carry the request, the response and the error) instead of the created dead-letter queue.
   *
   * @default - the created dead-letter queue (see `asyncDeadLetterQueue`)
   */
  readonly onFailure?: AsyncFailureDestination;

  /**
   * How often Lambda retries a failed asynchronous invocation (0 to 2).
   *
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * How long Lambda keeps an asynchronous event before it gives up (1 minute to 6 hours).
   *
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
}
