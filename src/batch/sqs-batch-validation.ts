import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SqsBatchConsumerProps } from './sqs-batch-consumer-props';
import { checkRecordIdempotency } from '../core/record-idempotency';
import { checkIntegerInRange, concreteSeconds, invalidProp, secondsOrSecondsToken } from '../core/validation';

/** Lambda's maximum function timeout. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 900;
/** The event source mapping's maximum batching window. */
export const MAX_BATCHING_WINDOW_SECONDS = 300;
/** SQS limits. */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 3600;
const MIN_RETENTION_SECONDS = 60;
const MAX_RETENTION_SECONDS = 14 * 24 * 3600;
/** Lambda's batch size without a batching window, and FIFO's batch size at all. */
const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
const MAX_BATCH_SIZE = 10_000;
/** The default quota of filters per event source mapping. */
const DEFAULT_FILTER_QUOTA = 5;
/** The maxReceiveCount range DESIGN recommends; outside it is a warning. */
const RECOMMENDED_MAX_RECEIVE_COUNT = { min: 3, max: 5 };
/** SQS message attribute names: letters, digits, `_`, `-`, `.`; at most 256 characters. */
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;

/** The durations the visibility timeout is checked against. */
export interface VisibilityInputs {
  readonly functionTimeout: Duration;
  readonly maxBatchingWindow?: Duration;
  readonly visibilityTimeout?: Duration;
}

/** Every prop check of SqsBatchConsumer; throws one clear error, or warns for risky-but-legal values. */
export function validateBatchProps(scope: Construct, where: string, props: SqsBatchConsumerProps, fifo: boolean, visibility: VisibilityInputs): void {
  validateExistingQueue(where, props);
  validateTokenDurations(where, props);
  validateQueueShape(scope, where, props, fifo);
  validateEventSource(scope, where, props, fifo);
  validateVisibility(scope, where, visibility);
  validateMonitoringAndLogging(where, props);
  validateIdempotency(scope, where, props, visibility);
}

function validateExistingQueue(where: string, props: SqsBatchConsumerProps): void {
  if (props.existingDeadLetterQueue && !props.existingQueue) {
    invalidProp(where, 'existingDeadLetterQueue', props.existingDeadLetterQueue.node.path, 'It describes the DLQ of an existingQueue; without existingQueue the construct creates both queues. Remove it or also pass existingQueue.');
  }
  if (!props.existingQueue) return;
  const shaping: [string, unknown][] = [
    ['fifo', props.fifo],
    ['contentBasedDeduplication', props.contentBasedDeduplication],
    ['encryptionKey', props.encryptionKey],
    ['maxReceiveCount', props.maxReceiveCount],
    ['visibilityTimeout', props.visibilityTimeout],
    ['retentionPeriod', props.retentionPeriod],
  ];
  for (const [prop, value] of shaping) {
    if (value !== undefined) {
      invalidProp(where, prop, value, `It shapes the queue the construct creates, but existingQueue was given; configure ${prop} on the existing queue instead, or drop existingQueue.`);
    }
  }
}

function validateQueueShape(scope: Construct, where: string, props: SqsBatchConsumerProps, fifo: boolean): void {
  const receives = props.maxReceiveCount;
  checkIntegerInRange(where, 'maxReceiveCount', receives, 1, 1000);
  const { min, max } = RECOMMENDED_MAX_RECEIVE_COUNT;
  if (receives !== undefined && !Token.isUnresolved(receives) && (receives < min || receives > max)) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:batchMaxReceiveCount',
      `maxReceiveCount is ${receives}; ${min} to ${max} is recommended: ` +
        (receives < min
          ? 'with fewer receives a transient error (throttling, a brief outage) sends a good message to the DLQ.'
          : 'with more receives a poison message keeps failing (and blocking its batch slots) long before it reaches the DLQ.'),
    );
  }
  if (props.contentBasedDeduplication && !fifo) {
    invalidProp(where, 'contentBasedDeduplication', true, 'Content-based deduplication exists only on FIFO queues; set fifo: true or remove it.');
  }
  if (props.skipGroupOnError && !fifo) {
    invalidProp(where, 'skipGroupOnError', true, 'Message groups exist only on FIFO queues; set fifo: true or remove skipGroupOnError.');
  }
  const retention = concreteSeconds(props.retentionPeriod);
  if (retention !== undefined && (retention < MIN_RETENTION_SECONDS || retention > MAX_RETENTION_SECONDS)) {
    invalidProp(where, 'retentionPeriod', props.retentionPeriod, 'SQS keeps messages from 1 minute to 14 days; use a Duration in that range.');
  }
}

function validateEventSource(scope: Construct, where: string, props: SqsBatchConsumerProps, fifo: boolean): void {
  const window = concreteSeconds(props.maxBatchingWindow);
  if (props.maxBatchingWindow !== undefined && fifo) {
    invalidProp(where, 'maxBatchingWindow', props.maxBatchingWindow, 'Lambda does not support a batching window on FIFO queues; remove it.');
  }
  if (window !== undefined && (window < 0 || window > MAX_BATCHING_WINDOW_SECONDS)) {
    invalidProp(where, 'maxBatchingWindow', props.maxBatchingWindow, 'Use a Duration from 0 to 5 minutes.');
  }
  const batchSize = props.batchSize;
  checkIntegerInRange(where, 'batchSize', batchSize, 1, MAX_BATCH_SIZE);
  if (batchSize !== undefined && !Token.isUnresolved(batchSize) && batchSize > MAX_BATCH_SIZE_WITHOUT_WINDOW) {
    if (fifo) {
      invalidProp(where, 'batchSize', batchSize, 'FIFO queues deliver at most 10 records per batch; use 1 to 10.');
    }
    if (props.maxBatchingWindow === undefined) {
      invalidProp(where, 'batchSize', batchSize, 'A batch size above 10 needs a batching window; set maxBatchingWindow (e.g. Duration.seconds(5)) or use 1 to 10.');
    }
  }
  checkIntegerInRange(where, 'maxConcurrency', props.maxConcurrency, 2, 1000);
  validateProcessingMode(where, props, fifo);
  if (props.filters !== undefined && props.filters.length > DEFAULT_FILTER_QUOTA) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:batchFilterQuota',
      `${props.filters.length} filters exceed the default quota of ${DEFAULT_FILTER_QUOTA} per event source mapping; the deployment fails unless the quota was raised.`,
    );
  }
}

/** SQS limits of provisioned mode (Lambda API ProvisionedPollerConfig; SQS needs at least 2 pollers). */
const SQS_POLLERS = { minimum: { min: 2, max: 200 }, maximum: { min: 2, max: 2000 } };

function validateProcessingMode(where: string, props: SqsBatchConsumerProps, fifo: boolean): void {
  if (props.processInParallel === true && fifo) {
    invalidProp(where, 'processInParallel', true, 'FIFO queues are always processed one record at a time, in order (the FIFO partial processor); remove processInParallel.');
  }
  const pollers = props.provisionedPollerConfig;
  if (!pollers) return;
  const { minimumPollers: min, maximumPollers: max } = pollers;
  checkIntegerInRange(where, 'provisionedPollerConfig.minimumPollers', min, SQS_POLLERS.minimum.min, SQS_POLLERS.minimum.max);
  checkIntegerInRange(where, 'provisionedPollerConfig.maximumPollers', max, SQS_POLLERS.maximum.min, SQS_POLLERS.maximum.max);
  if (min !== undefined && max !== undefined && !Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    invalidProp(where, 'provisionedPollerConfig.minimumPollers', min, `It must not exceed maximumPollers (${max}); raise maximumPollers or lower minimumPollers.`);
  }
  if (pollers.pollerGroupName !== undefined) {
    invalidProp(where, 'provisionedPollerConfig.pollerGroupName', pollers.pollerGroupName, 'Poller groups exist for Amazon MSK and self-managed Kafka sources only; remove it for an SQS queue.');
  }
}

function validateVisibility(scope: Construct, where: string, v: VisibilityInputs): void {
  const timeout = concreteSeconds(v.functionTimeout);
  const window = concreteSeconds(v.maxBatchingWindow) ?? 0;
  if (v.visibilityTimeout === undefined) {
    if (timeout === undefined || (v.maxBatchingWindow !== undefined && v.maxBatchingWindow.isUnresolved())) {
      Annotations.of(scope).addWarningV2(
        'cdk-serverless-powertools:batchVisibilityFromToken',
        'The function timeout or batching window is a token, so the visibility timeout cannot be derived at synth; it is set to 95 minutes (safe for any timeout). Set visibilityTimeout to 6 × timeout + window to tighten it.',
      );
    }
    return;
  }
  const visibility = concreteSeconds(v.visibilityTimeout);
  if (visibility === undefined) return;
  if (visibility > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    invalidProp(where, 'visibilityTimeout', v.visibilityTimeout, 'SQS allows at most 12 hours; use a shorter Duration.');
  }
  if (timeout === undefined) return;
  if (visibility < timeout) {
    invalidProp(
      where,
      'visibilityTimeout',
      v.visibilityTimeout,
      `It must be at least the function timeout (${timeout} seconds), or messages reappear while still being processed; AWS recommends ${6 * timeout + window} seconds (6 × timeout + batching window). Leave it unset to derive it.`,
    );
  }
  const recommended = 6 * timeout + window;
  if (visibility < recommended) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:batchVisibilityTimeout',
      `visibilityTimeout is ${visibility} seconds, below AWS's recommended 6 × function timeout + batching window = ${recommended} seconds; throttled or retried invocations may see messages reappear and be processed twice.`,
    );
  }
}

function validateMonitoringAndLogging(where: string, props: SqsBatchConsumerProps): void {
  const attribute = props.correlationIdAttribute;
  if (attribute !== undefined && !Token.isUnresolved(attribute)) {
    if (!ATTRIBUTE_NAME.test(attribute) || /^(aws|amazon)\./i.test(attribute)) {
      invalidProp(where, 'correlationIdAttribute', attribute, 'Use an SQS message attribute name: 1-256 letters, digits, "_", "-" or "." (not starting with "AWS." or "Amazon."), e.g. "correlationId".');
    }
  }
  const age = concreteSeconds(props.oldestMessageAgeAlarmThreshold);
  if (age !== undefined && (age < 60 || age > MAX_RETENTION_SECONDS)) {
    invalidProp(where, 'oldestMessageAgeAlarmThreshold', props.oldestMessageAgeAlarmThreshold, 'Use a Duration from 1 minute to 14 days.');
  }
}

function validateIdempotency(scope: Construct, where: string, props: SqsBatchConsumerProps, v: VisibilityInputs): void {
  const idempotency = props.idempotency;
  if (!idempotency) return;
  checkRecordIdempotency(where, idempotency, idempotency.key?.bodyJmesPath, { messageId: 'm', body: {} }, "RecordIdempotencyKey.fromBody('orderId')");
  const seconds = concreteSeconds(idempotency.expiresAfter);
  // A duplicate that arrives after the record expired runs again. Redeliveries of one
  // message span up to visibilityTimeout × maxReceiveCount.
  const visibility = concreteSeconds(v.visibilityTimeout) ?? derivedSeconds(v);
  const receives = props.maxReceiveCount ?? 3;
  if (seconds !== undefined && visibility !== undefined && !Token.isUnresolved(receives) && seconds < visibility * receives) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:batchIdempotencyExpiry',
      `idempotency.expiresAfter (${seconds} s) is shorter than visibilityTimeout × maxReceiveCount (${visibility * receives} s): a duplicate delivered after the record expires runs again.`,
    );
  }
}

function derivedSeconds(v: VisibilityInputs): number | undefined {
  const timeout = concreteSeconds(v.functionTimeout);
  if (timeout === undefined) return undefined;
  return 6 * timeout + (concreteSeconds(v.maxBatchingWindow) ?? 0);
}


/** Seconds for the template or an alarm threshold; a token must be given in seconds. */
export function secondsForTemplate(where: string, prop: string, duration: Duration): number {
  return secondsOrSecondsToken(
    where,
    prop,
    duration,
    (unit) =>
      `It is a token in ${unit}, but a number of seconds is needed at synth and CloudFormation cannot convert units; give the token in seconds, e.g. Duration.seconds(param.valueAsNumber), or use a concrete Duration.`,
  );
}


/** Token Durations the construct or CDK converts to seconds must be given in seconds. */
function validateTokenDurations(where: string, props: SqsBatchConsumerProps): void {
  const durations: [string, Duration | undefined][] = [
    ['visibilityTimeout', props.visibilityTimeout],
    ['retentionPeriod', props.retentionPeriod],
    ['maxBatchingWindow', props.maxBatchingWindow],
    ['oldestMessageAgeAlarmThreshold', props.oldestMessageAgeAlarmThreshold],
    ['idempotency.expiresAfter', props.idempotency?.expiresAfter],
  ];
  for (const [prop, duration] of durations) {
    if (duration?.isUnresolved()) secondsForTemplate(where, prop, duration);
  }
}
