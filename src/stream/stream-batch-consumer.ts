import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RESERVED_ENV_PREFIXES, STREAM_ENV, STREAM_METRICS, STREAM_SOURCE_TYPES } from './contract';
import { StreamBatchConsumerProps } from './stream-batch-consumer-props';
import { StreamIdempotencyKey } from './stream-idempotency-key';
import { validateStreamProps } from './stream-validation';
import { ALARM_PERIOD, AlarmFactory, AlarmSeverity } from '../core/alarm-factory';
import { DashboardBuilder } from '../core/dashboard-builder';
import { emfMetric } from '../core/emf-metric';
import { lambdaFailureQueue } from '../core/failure-queue';
import { TemplateRef } from '../core/handler-code';
import { MonitoringOptions } from '../core/monitoring-options';
import { PowertoolsFunction } from '../core/powertools-function';
import { addDeadLetterQueueAlarm } from '../core/queue-monitoring';
import { wireRecordIdempotency } from '../core/record-idempotency';
import { invalidProp, secondsOrSecondsToken } from '../core/validation';
import { IdempotencyTable } from '../idempotency/idempotency-table';

/** The bundled template: `assets/stream/index.mjs`, wrapping `processRecord` entries. */
const STREAM_TEMPLATE: TemplateRef = { name: 'stream', wrapExport: 'wrapStream' };

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_RETRY_ATTEMPTS = 3;
const DEFAULT_MAX_RECORD_AGE = Duration.hours(24);
const DEFAULT_ITERATOR_AGE_THRESHOLD = Duration.seconds(60);
const SECONDS_TOKEN_FIX = (unit: string) =>
  `It is a token in ${unit}, but CloudFormation cannot convert units; give the token in seconds, e.g. Duration.seconds(param.valueAsNumber), or use a concrete Duration.`;

/** What the event source mapping reads with GetRecords polling (Lambda's documented minimum). */
const KINESIS_READ_ACTIONS = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
/** What an enhanced fan-out consumer needs on the consumer ARN. */
const KINESIS_FAN_OUT_ACTIONS = ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'];
const DYNAMODB_STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/**
 * A Kinesis data stream or a DynamoDB stream consumed by a Lambda function the safe way:
 * partial batch responses (ReportBatchItemFailures, always on), bisect on error, bounded
 * retries (3) and record age (24 hours), and an on-failure destination that receives the
 * shard and sequence-number range of every batch given up on, so a poison record never
 * blocks its shard for long and is never lost. IAM is limited to the read actions the
 * mapping needs; the operator is alarmed on iterator age, the on-failure destination and the
 * function's errors, throttles and duration.
 *
 * The function runs a bundled Powertools batch template that processes a shard's records in
 * order and stops at the first failure: that record and every later one are reported as
 * failed, so Lambda retries from the first failed sequence number and nothing after a failure
 * counts as done. Bring your per-record logic with `HandlerCode.fromEntry()`.
 */
export class StreamBatchConsumer extends Construct {
  /** The Kinesis stream read (created or given); undefined for a DynamoDB source. */
  public readonly stream?: kinesis.IStream;
  /** The table whose stream is read; undefined for a Kinesis source. */
  public readonly table?: dynamodb.ITable;
  /** The ARN the event source mapping reads: the stream, the fan-out consumer, or the table's stream. */
  public readonly eventSourceArn: string;
  /** The enhanced fan-out consumer, with `consumerName`. */
  public readonly streamConsumer?: kinesis.CfnStreamConsumer;
  /** The on-failure queue (created or given); undefined with a topic destination. */
  public readonly onFailureQueue?: sqs.IQueue;
  /** The on-failure topic, with `StreamFailureDestination.topic()`. */
  public readonly onFailureTopic?: sns.ITopic;
  /** The table used for per-record idempotency, created or given (undefined when idempotency is off). */
  public readonly recordIdempotencyTable?: dynamodb.ITable;
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
  /** The alarms created (empty when alarms are off). */
  public readonly alarms: cloudwatch.AlarmBase[];
  /** The dashboard (undefined when dashboards are off). */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: StreamBatchConsumerProps = {}) {
    super(scope, id);
    const table = props.source?.table;
    validateStreamProps(this, props, table !== undefined);

    // Source
    let sourceArn: string;
    let sourceKey: kms.IKey | undefined;
    if (table) {
      const tableStreamArn = table.tableStreamArn;
      if (!tableStreamArn) {
        invalidProp(`StreamBatchConsumer ${this.node.path}`, 'source', `StreamSource.dynamoDb(${table.node.path})`,
          'The table has no stream. Set `stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES` (or NEW_IMAGE, OLD_IMAGE, KEYS_ONLY) on the table, or import it with `tableStreamArn`.');
      }
      this.table = table;
      sourceArn = tableStreamArn;
      sourceKey = table.encryptionKey;
    } else {
      const stream = props.source?.stream ?? this.createStream(props.streamEncryptionKey);
      this.stream = stream;
      sourceArn = stream.streamArn;
      sourceKey = stream.encryptionKey;
    }

    // Idempotency: remembered as long as Lambda may deliver the record again (maxRecordAge).
    const where = `StreamBatchConsumer ${this.node.path}`;
    const idempotency = props.idempotency;
    const idempotencyWiring = idempotency && wireRecordIdempotency(this, {
      where,
      options: idempotency,
      keyJmesPath: (idempotency.key ?? StreamIdempotencyKey.eventId()).jmesPath,
      expiresAfterSeconds: secondsOrSecondsToken(where, 'idempotency.expiresAfter', idempotency.expiresAfter ?? props.maxRecordAge ?? DEFAULT_MAX_RECORD_AGE, SECONDS_TOKEN_FIX),
    });
    this.recordIdempotencyTable = idempotencyWiring?.table;

    // Function
    const fn = PowertoolsFunction._forPattern(this, 'Handler', props, {
      constructName: 'StreamBatchConsumer',
      owner: this,
      template: STREAM_TEMPLATE,
      description: `Consumes ${table ? 'DynamoDB stream' : 'Kinesis'} batches with partial batch responses (cdk-serverless-powertools StreamBatchConsumer)`,
      wiringEnvironment: {
        [STREAM_ENV.sourceType.name]: table ? STREAM_SOURCE_TYPES.dynamoDb : STREAM_SOURCE_TYPES.kinesis,
        ...idempotencyWiring?.environment,
      },
      reservedEnvironmentPrefixes: RESERVED_ENV_PREFIXES,
      syncOnlyReason:
        'Only the stream event source mapping invokes this function, synchronously. Records it gives up on go to the mapping\'s on-failure destination; an async-invocation DLQ would stay empty.',
    });
    this.handler = fn;
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.role = fn.role;
    if (this.recordIdempotencyTable) IdempotencyTable.grantReadWriteIdempotencyOn(this.recordIdempotencyTable, this.function);

    // Least-privilege reads: exactly what the mapping calls, on exactly this stream.
    if (table) {
      // ListStreams too, on the stream ARN: Lambda checks the role may call all four "on your
      // stream" when it creates the mapping, and the DynamoDB guide scopes it to the table's streams.
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: DYNAMODB_STREAM_READ_ACTIONS, resources: [sourceArn] }));
    } else {
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: KINESIS_READ_ACTIONS, resources: [sourceArn] }));
    }
    sourceKey?.grant(fn.role, 'kms:Decrypt');

    let eventSourceArn = sourceArn;
    if (props.consumerName !== undefined && this.stream) {
      this.streamConsumer = new kinesis.CfnStreamConsumer(this, 'StreamConsumer', { consumerName: props.consumerName, streamArn: sourceArn });
      eventSourceArn = this.streamConsumer.attrConsumerArn;
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: KINESIS_FAN_OUT_ACTIONS, resources: [eventSourceArn] }));
    }
    this.eventSourceArn = eventSourceArn;

    // On-failure destination: the function's role sends there, so grant exactly that.
    const destination = this.wireDestination(props, fn.role);
    this.onFailureQueue = destination.queue;
    this.onFailureTopic = destination.topic;
    const destinationArn = destination.arn;

    // Event source mapping: ReportBatchItemFailures is not a prop; it is always on.
    this.eventSourceMapping = new lambda.EventSourceMapping(this, 'EventSourceMapping', {
      target: fn.invokeTarget,
      eventSourceArn,
      startingPosition: props.startingPosition ?? lambda.StartingPosition.LATEST,
      batchSize: props.batchSize ?? DEFAULT_BATCH_SIZE,
      maxBatchingWindow: props.maxBatchingWindow,
      parallelizationFactor: props.parallelizationFactor,
      retryAttempts: props.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
      maxRecordAge: props.maxRecordAge ?? DEFAULT_MAX_RECORD_AGE,
      bisectBatchOnError: props.bisectBatchOnError ?? true,
      tumblingWindow: props.tumblingWindow,
      filters: props.filters,
      enabled: props.enabled ?? true,
      reportBatchItemFailures: true,
      onFailure: { bind: () => ({ destination: destinationArn }) },
    });
    // Lambda validates the mapping's permissions when it is created.
    this.eventSourceMapping.node.addDependency(fn.role);
    if (this.streamConsumer) this.eventSourceMapping.node.addDependency(this.streamConsumer);

    // Monitoring
    const monitoring = props.monitoring ?? {};
    const alarms = new AlarmFactory(this, monitoring);
    const iteratorAge = props.iteratorAgeAlarmThreshold ?? DEFAULT_ITERATOR_AGE_THRESHOLD;
    alarms.add('IteratorAge', {
      metric: this.function.metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: iteratorAge.toMilliseconds(),
      severity: AlarmSeverity.CRITICAL,
      // An idle stream publishes no iterator age: nothing is waiting, so nothing is behind.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: `${this.node.path}: the function reads more than ${iteratorAge.isUnresolved() ? 'iteratorAgeAlarmThreshold' : iteratorAge.toHumanString()} behind the newest record; a shard is blocked by a failing record or the consumer cannot keep up (raise parallelizationFactor).`,
    });
    if (this.onFailureQueue) {
      addDeadLetterQueueAlarm(alarms, 'OnFailureQueueMessages', this.onFailureQueue, 'the on-failure destination of stream records given up on');
    } else {
      alarms.add('OnFailureDeliveryFailures', {
        metric: this.function.metric('DestinationDeliveryFailures', { period: ALARM_PERIOD, statistic: 'Sum' }),
        threshold: 0,
        severity: AlarmSeverity.CRITICAL,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        description: `${this.node.path}: the metadata of stream records given up on could not be delivered to the on-failure topic.`,
      });
    }
    this.alarms = [...fn.alarms, ...alarms.alarms];
    this.dashboard = this.buildDashboard(monitoring, fn);
  }

  private createStream(key: kms.IKey | undefined): kinesis.Stream {
    const stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      // SSE-KMS with the AWS managed aws/kinesis key unless a customer managed key is given.
      encryption: key ? kinesis.StreamEncryption.KMS : kinesis.StreamEncryption.MANAGED,
      encryptionKey: key,
      retentionPeriod: Duration.hours(24),
    });
    if (key) {
      Validations.of(stream).acknowledge({
        id: 'AwsSolutions-KDS3',
        reason: 'streamEncryptionKey was given: the owner chose a customer managed key (for key policies or audit) over the aws/kinesis key, accepting its per-request KMS cost.',
      });
    }
    return stream;
  }

  private wireDestination(props: StreamBatchConsumerProps, role: iam.IRole): { arn: string; queue?: sqs.IQueue; topic?: sns.ITopic } {
    const topic = props.onFailure?.destinationTopic;
    if (topic) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      topic.masterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
      return { arn: topic.topicArn, topic };
    }
    const queue = props.onFailure?.destinationQueue ?? lambdaFailureQueue(this, 'OnFailureQueue', 'the on-failure destination of a stream event source mapping');
    // Exact actions: grantSendMessages() would add the wildcard kms:ReEncrypt* and kms:GenerateDataKey*.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: [queue.queueArn] }));
    queue.encryptionMasterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    return { arn: queue.queueArn, queue };
  }

  private buildDashboard(monitoring: MonitoringOptions, fn: PowertoolsFunction): cloudwatch.Dashboard | undefined {
    const period = Duration.minutes(1);
    const builder = new DashboardBuilder(this, 'Dashboard', monitoring);
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Iterator age (ms)',
        left: [this.function.metric('IteratorAge', { period, statistic: 'Maximum' })],
        width: this.stream ? 12 : 24,
      }),
    ];
    if (this.stream) {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Incoming records',
          left: [this.stream.metricIncomingRecords({ period, statistic: 'Sum' })],
          width: 12,
        }),
      );
    }
    builder.addRow('Stream', widgets);
    builder.addRows(fn._dashboardRows);
    const emf = (metricName: string) => emfMetric(fn.metricsNamespace, fn.serviceName, metricName, { period });
    builder.addRow('Records (EMF from the template)', [
      new cloudwatch.GraphWidget({
        title: 'Records processed vs failed',
        left: [emf(STREAM_METRICS.processed), emf(STREAM_METRICS.failed)],
        width: 24,
      }),
    ]);
    return builder.build();
  }
}
