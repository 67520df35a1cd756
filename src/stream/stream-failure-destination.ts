import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Where the event source mapping sends the metadata of records it gives up on (after
 * `retryAttempts` or `maxRecordAge`): the shard id, the sequence-number range and the batch
 * size. The records themselves stay in the stream until its retention ends.
 */
export abstract class StreamFailureDestination {
  /** An SQS queue you own. The function may send to it (and use its KMS key); its depth is alarmed. */
  public static queue(queue: sqs.IQueue): StreamFailureDestination {
    return new QueueDestination(queue);
  }

  /** An SNS topic you own. The function may publish to it; lost deliveries are alarmed. */
  public static topic(topic: sns.ITopic): StreamFailureDestination {
    return new TopicDestination(topic);
  }

  /** The queue, when the destination is one. */
  public abstract readonly destinationQueue?: sqs.IQueue;
  /** The topic, when the destination is one. */
  public abstract readonly destinationTopic?: sns.ITopic;
}

class QueueDestination extends StreamFailureDestination {
  public readonly destinationTopic = undefined;
  constructor(public readonly destinationQueue: sqs.IQueue) {
    super();
  }
}

class TopicDestination extends StreamFailureDestination {
  public readonly destinationQueue = undefined;
  constructor(public readonly destinationTopic: sns.ITopic) {
    super();
  }
}
