import { ArnFormat, Duration, Stack, Token, Tokenization, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCH_DEFAULTS, BATCH_ENTRY, BATCH_ENV, BATCH_METRICS, QUEUE_TYPES, RESERVED_ENV_PREFIXES } from './contract';
import { RecordIdempotencyKey } from './record-idempotency-key';
import { SqsBatchConsumerProps } from './sqs-batch-consumer-props';
import { MAX_BATCHING_WINDOW_SECONDS, MAX_FUNCTION_TIMEOUT_SECONDS, secondsForTemplate, validateBatchProps, VisibilityInputs } from './sqs-batch-validation';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from '../core/alarm-factory';
import { DashboardBuilder } from '../core/dashboard-builder';
import { emfMetric } from '../core/emf-metric';
import { FUNCTION_DEFAULTS } from '../core/function-defaults';
import { TemplateRef } from '../core/handler-code';
import { MonitoringOptions } from '../core/monitoring-options';
import { uniqueName } from '../core/naming';
import { PowertoolsFunction } from '../core/powertools-function';
import { addDeadLetterQueueAlarm } from '../core/queue-monitoring';
import { IdempotencyTable } from '../idempotency';
import { IDEMPOTENCY_DEFAULTS, IDEMPOTENCY_ENV } from '../idempotency/contract';
import { idempotencyKeyPrefixEnvironment } from '../idempotency/key-prefix';
import { resolveIdempotencyTableLayout } from '../idempotency/table-layout';

/** The bundled template: `assets/batch/index.mjs`, wrapping `processRecord` entries. */
const BATCH_TEMPLATE: TemplateRef = {
  name: 'batch',
  wrapExport: 'wrapBatch',
  entry: BATCH_ENTRY,
};

/** The DLQ keeps messages as long as SQS allows, to give operators time to redrive. */
const DLQ_RETENTION = Duration.days(14);
const DEFAULT_MAX_RECEIVE_COUNT = 3;
const DEFAULT_BATCH_SIZE = 10;
const DEFAULT_IDEMPOTENCY_EXPIRY = Duration.seconds(IDEMPOTENCY_DEFAULTS.expiresAfterSeconds);
const MIN_AGE_ALARM_THRESHOLD = Duration.minutes(15);

/**
 * An SQS queue consumed by a Lambda function the safe way: failed records return to the
 * queue on their own (ReportBatchItemFailures, always on), without the successful ones, and
 * move to a dead-letter queue after `maxReceiveCount` receives. The visibility timeout is
 * derived from the function timeout, both queues are encrypted and TLS-only, and the operator
 * is alarmed on DLQ messages, old messages, function errors and throttles.
 *
 * The function runs a bundled Powertools batch template (BatchProcessor, or the FIFO partial
 * processor for FIFO queues) with structured logs, correlation ids, EMF metrics and optional
 * per-record idempotency; bring your per-record logic with `HandlerCode.fromEntry()`.
 */
export class SqsBatchConsumer extends Construct {
  /** The queue the function consumes. */
  public readonly queue: sqs.IQueue;
  /** The dead-letter queue (undefined with an `existingQueue` and no `existingDeadLetterQueue`). */
  public readonly deadLetterQueue?: sqs.IQueue;
  /** The consumer function and everything created with it (alias, alarms). */
  public readonly handler: PowertoolsFunction;
  /** The consumer function. */
  public readonly function: lambda.Function;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The event source mapping, with ReportBatchItemFailures on. */
  public readonly eventSourceMapping: lambda.EventSourceMapping;
  /** The table used for per-record idempotency, created or given (undefined when idempotency is off). */
  public readonly recordIdempotencyTable?: dynamodb.ITable;
  /** The alarms created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The dashboard (undefined when dashboards are off). */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Whether the queue is FIFO (and the template uses the FIFO processor). */
  public readonly fifo: boolean;

  constructor(scope: Construct, id: string, props: SqsBatchConsumerProps = {}) {
    super(scope, id);
    const where = `SqsBatchConsumer ${this.node.path}`;
    const timeout = props.timeout ?? FUNCTION_DEFAULTS.timeout;
    const fifo = props.existingQueue ? (props.existingQueue.fifo ?? false) : props.fifo ?? false;
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    const visibility: VisibilityInputs = {
      functionTimeout: timeout,
      maxBatchingWindow: props.maxBatchingWindow,
      visibilityTimeout: props.visibilityTimeout,
    };
    validateBatchProps(this, where, props, fifo, visibility);
    this.fifo = fifo;

    // Queues
    const visibilityTimeout = props.visibilityTimeout ?? derivedVisibilityTimeout(timeout, props.maxBatchingWindow);
    if (props.existingQueue) {
      this.queue = props.existingQueue;
      this.deadLetterQueue = props.existingDeadLetterQueue;
    } else {
      // The DLQ's RedriveAllowPolicy names its one source queue. Naming the source queue
      // lets the DLQ build that ARN without referencing the queue that references it.
      const queueName = `${uniqueName(this, 'Queue', fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
      const dlq = this.createDeadLetterQueue(props, fifo, queueName);
      this.deadLetterQueue = dlq;
      this.queue = new sqs.Queue(this, 'Queue', {
        queueName,
        fifo: fifo || undefined,
        contentBasedDeduplication: props.contentBasedDeduplication,
        ...encryptionProps(props),
        enforceSSL: true,
        visibilityTimeout,
        retentionPeriod: props.retentionPeriod,
        deadLetterQueue: { queue: dlq, maxReceiveCount },
      });
    }

    // Idempotency
    const idempotency = props.idempotency;
    const idempotencyEnvironment: { [key: string]: string } = {};
    if (idempotency) {
      const table = idempotency.table ?? new IdempotencyTable(this, 'IdempotencyTable').table;
      const layout = resolveIdempotencyTableLayout(table, {
        where,
        propPrefix: 'idempotency.',
        sortKeyName: idempotency.sortKeyName,
        staticPartitionKeyValue: idempotency.staticPartitionKeyValue,
        attributes: idempotency.tableAttributes,
      });
      const expiresAfterSeconds = secondsForTemplate(where, 'idempotency.expiresAfter', idempotency.expiresAfter ?? DEFAULT_IDEMPOTENCY_EXPIRY);
      this.recordIdempotencyTable = table;
      Object.assign(idempotencyEnvironment, {
        [IDEMPOTENCY_ENV.tableName.name]: table.tableName,
        [IDEMPOTENCY_ENV.eventKeyJmesPath.name]: (idempotency.key ?? RecordIdempotencyKey.messageId()).jmesPath,
        [IDEMPOTENCY_ENV.expiresAfterSeconds.name]: Tokenization.stringifyNumber(expiresAfterSeconds),
      });
      Object.assign(idempotencyEnvironment, layout.environment, idempotencyKeyPrefixEnvironment(this, where, 'idempotency.keyPrefix', idempotency.keyPrefix));
    }

    // Function
    const wiringEnvironment: { [key: string]: string } = {
      [BATCH_ENV.queueType.name]: fifo ? QUEUE_TYPES.fifo : QUEUE_TYPES.standard,
      [BATCH_ENV.skipGroupOnError.name]: String(props.skipGroupOnError ?? BATCH_DEFAULTS.skipGroupOnError),
      [BATCH_ENV.correlationIdAttribute.name]: props.correlationIdAttribute ?? BATCH_DEFAULTS.correlationIdAttribute,
      ...idempotencyEnvironment,
    };
    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'SqsBatchConsumer',
      owner: this,
      template: BATCH_TEMPLATE,
      description: `Consumes ${fifo ? 'FIFO ' : ''}SQS batches with partial batch responses (cdk-serverless-powertools SqsBatchConsumer)`,
      wiringEnvironment,
      // Only the construct configures the template: an IDEMPOTENCY_TABLE_NAME set through
      // `environment` would turn idempotency on without a table grant.
      reservedEnvironmentPrefixes: RESERVED_ENV_PREFIXES,
      syncOnlyReason:
        'Only the SQS event source mapping invokes this function, synchronously. Failed records return to the source queue and move to its dead-letter queue after maxReceiveCount; an async-invocation DLQ would stay empty.',
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    if (this.recordIdempotencyTable) {
      IdempotencyTable.grantReadWriteIdempotencyOn(this.recordIdempotencyTable, this.function);
    }

    // Event source mapping: ReportBatchItemFailures is not a prop; it is always on.
    this.eventSourceMapping = new lambda.EventSourceMapping(this, 'EventSourceMapping', {
      target: fn.invokeTarget,
      eventSourceArn: this.queue.queueArn,
      batchSize: props.batchSize ?? DEFAULT_BATCH_SIZE,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
      filters: props.filters,
      enabled: props.enabled ?? true,
      reportBatchItemFailures: true,
    });
    this.queue.grantConsumeMessages(this.function);
    Validations.of(this.eventSourceMapping).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; failed records return to the queue and its redrive policy moves them to the dead-letter queue after maxReceiveCount receives.',
    });

    // Monitoring
    const monitoring = props.monitoring ?? {};
    const alarms = new AlarmFactory(this, monitoring);
    if (this.deadLetterQueue) {
      addDeadLetterQueueAlarm(alarms, 'DeadLetterQueueMessages', this.deadLetterQueue, 'the dead-letter queue');
    }
    const ageThreshold = props.oldestMessageAgeAlarmThreshold ?? defaultAgeThreshold(visibilityTimeout, maxReceiveCount, !!props.existingQueue);
    const ageThresholdText = ageThreshold.isUnresolved() ? 'the configured oldestMessageAgeAlarmThreshold' : ageThreshold.toHumanString();
    alarms.add('OldestMessageAge', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: secondsForTemplate(where, 'oldestMessageAgeAlarmThreshold', ageThreshold),
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      severity: AlarmSeverity.CRITICAL,
      // SQS stops publishing metrics for an idle queue: nothing is waiting, so nothing is old.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: `${this.queue.node.path}: the oldest message is older than ${ageThresholdText}; the consumer is falling behind or stuck.`,
    });
    this.alarms = [...fn.alarms, ...alarms.alarms];

    this.dashboard = this.buildDashboard(monitoring, fn);
  }

  /**
   * Grants what an operator or tool needs to move messages from the dead-letter queue back
   * to the source queue (SQS dead-letter queue redrive): StartMessageMoveTask,
   * ListMessageMoveTasks, CancelMessageMoveTask, ReceiveMessage, DeleteMessage and
   * GetQueueAttributes on the DLQ; SendMessage on the source queue; and the KMS actions of
   * a customer managed key. Scoped to these two queues.
   */
  public grantRedriveFromDeadLetterQueue(grantee: iam.IGrantable): iam.Grant {
    const dlq = this.deadLetterQueue;
    if (!dlq) {
      throw new Error(
        `SqsBatchConsumer ${this.node.path}: grantRedriveFromDeadLetterQueue() needs a dead-letter queue; with existingQueue, also pass existingDeadLetterQueue.`,
      );
    }
    const grant = dlq.grant(
      grantee,
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
      'sqs:CancelMessageMoveTask',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    );
    dlq.encryptionMasterKey?.grant(grantee, 'kms:Decrypt');
    // Exact actions: grantSendMessages() would add the wildcard kms:ReEncrypt* and kms:GenerateDataKey*.
    this.queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    return grant.combine(this.queue.grant(grantee, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'));
  }

  private createDeadLetterQueue(props: SqsBatchConsumerProps, fifo: boolean, sourceQueueName: string): sqs.Queue {
    const stack = Stack.of(this);
    const sourceQueueArn = stack.formatArn({ service: 'sqs', resource: sourceQueueName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const dlq = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: fifo || undefined,
      ...encryptionProps(props),
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
      redriveAllowPolicy: {
        redrivePermission: sqs.RedrivePermission.BY_QUEUE,
        sourceQueues: [sqs.Queue.fromQueueArn(this, 'SourceQueueRef', sourceQueueArn)],
      },
    });
    // cdk-nag's AwsSolutions-SQS3 sees the redrive policy pointing here; the Serverless pack does not.
    Validations.of(dlq).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This queue is itself the dead-letter queue of the consumer\'s source queue; a DLQ has no DLQ of its own.',
    });
    return dlq;
  }

  private buildDashboard(monitoring: MonitoringOptions, fn: PowertoolsFunction): cloudwatch.Dashboard | undefined {
    const period = Duration.minutes(1);
    const builder = new DashboardBuilder(this, 'Dashboard', monitoring);
    const queueMetrics: cloudwatch.IMetric[] = [
      this.queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: 'Visible (depth)' }),
      this.queue.metricApproximateNumberOfMessagesNotVisible({ period, statistic: 'Maximum', label: 'In flight' }),
    ];
    if (this.deadLetterQueue) {
      queueMetrics.push(this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: 'DLQ depth' }));
    }
    builder.addRow('Queue', [
      new cloudwatch.GraphWidget({ title: 'Queue depth, in flight, DLQ depth', left: queueMetrics, width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s)',
        left: [this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' })],
        width: 12,
      }),
    ]);
    builder.addRows(fn._dashboardRows);
    const emf = (metricName: string) => emfMetric(fn.metricsNamespace, fn.serviceName, metricName, { period });
    builder.addRow('Records (EMF from the template)', [
      new cloudwatch.GraphWidget({
        title: 'Records processed vs failed',
        left: [emf(BATCH_METRICS.processed), emf(BATCH_METRICS.failed)],
        width: 24,
      }),
    ]);
    return builder.build();
  }
}

/**
 * AWS guidance: at least 6 × the function timeout, plus the batching window. Token
 * durations cannot be multiplied at synth, so they get the value that is safe for any
 * timeout and window (6 × 15 minutes + 5 minutes); the validation warns about it.
 */
function derivedVisibilityTimeout(timeout: Duration, maxBatchingWindow: Duration | undefined): Duration {
  if (timeout.isUnresolved() || maxBatchingWindow?.isUnresolved()) {
    return Duration.seconds(MAX_FUNCTION_TIMEOUT_SECONDS * 6 + MAX_BATCHING_WINDOW_SECONDS);
  }
  return Duration.seconds(timeout.toSeconds() * 6 + (maxBatchingWindow?.toSeconds() ?? 0));
}

function defaultAgeThreshold(visibilityTimeout: Duration, maxReceiveCount: number, existingQueue: boolean): Duration {
  if (existingQueue || visibilityTimeout.isUnresolved() || Token.isUnresolved(maxReceiveCount)) return MIN_AGE_ALARM_THRESHOLD;
  const retrying = visibilityTimeout.toSeconds() * maxReceiveCount;
  return Duration.seconds(Math.max(MIN_AGE_ALARM_THRESHOLD.toSeconds(), retrying));
}

function encryptionProps(props: SqsBatchConsumerProps): { encryption: sqs.QueueEncryption; encryptionMasterKey?: any } {
  return props.encryptionKey
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };
}
