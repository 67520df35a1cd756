import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { StreamBatchConsumerProps } from './stream-batch-consumer-props';
import { checkRecordIdempotency } from '../core/record-idempotency';
import { checkIntegerInRange, concreteSeconds, convertibleAtSynth, invalidProp } from '../core/validation';

const C = 'StreamBatchConsumer';
const MAX_FILTERS = 5;
const CONSUMER_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Validates every stream prop, each with one error naming the prop, the value and the fix.
 * @internal
 */
export function validateStreamProps(scope: Construct, props: StreamBatchConsumerProps, dynamoDbSource: boolean): void {
  checkIntegerInRange(C, 'batchSize', props.batchSize, 1, 10000);
  checkIntegerInRange(C, 'parallelizationFactor', props.parallelizationFactor, 1, 10);
  if (props.retryAttempts === -1) {
    invalidProp(C, 'retryAttempts', -1, 'Unlimited retries would block the shard until the failing record expires; use 0 to 10000 (default 3) and read failed records from the on-failure destination.');
  }
  checkIntegerInRange(C, 'retryAttempts', props.retryAttempts, 0, 10000);
  checkDuration('maxBatchingWindow', props.maxBatchingWindow, 0, 300, 'Use at most Duration.minutes(5).');
  checkDuration('maxRecordAge', props.maxRecordAge, 60, 7 * 24 * 3600, 'Use Duration.seconds(60) to Duration.days(7).');
  checkDuration('iteratorAgeAlarmThreshold', props.iteratorAgeAlarmThreshold, 1, 7 * 24 * 3600, 'Use Duration.seconds(1) to Duration.days(7).', 'millis');
  if (props.tumblingWindow !== undefined) {
    if (dynamoDbSource) {
      invalidProp(C, 'tumblingWindow', props.tumblingWindow, 'Tumbling windows are supported for Kinesis sources only here; remove it for StreamSource.dynamoDb().');
    }
    checkDuration('tumblingWindow', props.tumblingWindow, 1, 900, 'Use Duration.seconds(1) to Duration.minutes(15).');
  }
  if (props.consumerName !== undefined) {
    if (dynamoDbSource) {
      invalidProp(C, 'consumerName', props.consumerName, 'Enhanced fan-out exists for Kinesis only; remove it for StreamSource.dynamoDb().');
    }
    if (!Token.isUnresolved(props.consumerName) && !CONSUMER_NAME.test(props.consumerName)) {
      invalidProp(C, 'consumerName', props.consumerName, 'Use 1 to 128 letters, digits, "_", "." or "-".');
    }
  }
  if (props.streamEncryptionKey !== undefined && props.source !== undefined) {
    invalidProp(C, 'streamEncryptionKey', 'a KMS key', 'It encrypts the stream this construct creates; with `source`, encrypt your stream or table yourself and remove streamEncryptionKey.');
  }
  if (props.startingPosition === lambda.StartingPosition.AT_TIMESTAMP) {
    invalidProp(C, 'startingPosition', 'AT_TIMESTAMP', 'Use StartingPosition.LATEST or StartingPosition.TRIM_HORIZON.');
  }
  validateIdempotency(scope, props);
  if (props.filters !== undefined && props.filters.length > MAX_FILTERS) {
    invalidProp(C, 'filters', `${props.filters.length} filters`, `Use at most ${MAX_FILTERS} filter patterns (a Lambda limit).`);
  }
}

function validateIdempotency(scope: Construct, props: StreamBatchConsumerProps): void {
  const idempotency = props.idempotency;
  if (!idempotency) return;
  checkRecordIdempotency(C, idempotency, idempotency.key?.payloadJmesPath, { eventId: 'e', sequenceNumber: '1', payload: {} }, "StreamIdempotencyKey.fromPayload('orderId')");
  // A record Lambda delivers again after its idempotency record expired runs again.
  const expiry = concreteSeconds(idempotency.expiresAfter);
  const age = concreteSeconds(props.maxRecordAge) ?? 24 * 3600;
  if (expiry !== undefined && expiry < age) {
    Annotations.of(scope).addWarningV2(
      'cdk-serverless-powertools:streamIdempotencyExpiry',
      `idempotency.expiresAfter (${expiry} s) is shorter than maxRecordAge (${age} s): a record Lambda delivers again after its idempotency record expired runs again. Leave it unset (it follows maxRecordAge).`,
    );
  }
}

function checkDuration(prop: string, value: Duration | undefined, minSeconds: number, maxSeconds: number, fix: string, unit: 'seconds' | 'millis' = 'seconds'): void {
  if (value === undefined) return;
  if (value.isUnresolved()) {
    if (!convertibleAtSynth(value, unit)) {
      invalidProp(C, prop, value, `A token must be given in ${unit === 'millis' ? 'milliseconds' : 'seconds'} (CloudFormation cannot convert units). ${fix}`);
    }
    return;
  }
  const seconds = value.toMilliseconds() / 1000;
  if (seconds < minSeconds || seconds > maxSeconds || (unit === 'seconds' && !Number.isInteger(seconds))) {
    invalidProp(C, prop, value, `${fix}${unit === 'seconds' ? ' Whole seconds only.' : ''}`);
  }
}
