import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';

/**
 * The stream a StreamBatchConsumer reads.
 */
export abstract class StreamSource {
  /**
   * A Kinesis data stream. The function gets only the read actions the event source mapping
   * needs on this stream (and `kms:Decrypt` on its customer managed key, if any). The logic
   * receives each record's data, base64-decoded and parsed as JSON (or the text, with
   * `bodyFormat = "text"`).
   */
  public static kinesis(stream: kinesis.IStream): StreamSource {
    return new KinesisSource(stream);
  }

  /**
   * The DynamoDB stream of a table. The table must have a stream (`stream` on
   * `dynamodb.Table`, or `tableStreamArn` on an imported table). Every view type delivers
   * records: the logic receives `{ eventName, keys, newImage, oldImage }`, unmarshalled to
   * plain JavaScript values, where `newImage` is present with NEW_IMAGE and NEW_AND_OLD_IMAGES
   * (not on REMOVE), `oldImage` with OLD_IMAGE and NEW_AND_OLD_IMAGES (not on INSERT), and
   * `keys` always (KEYS_ONLY delivers only the keys).
   */
  public static dynamoDb(table: dynamodb.ITable): StreamSource {
    return new DynamoDbSource(table);
  }

  /** The Kinesis stream, when the source is one. */
  public abstract readonly stream?: kinesis.IStream;
  /** The table, when the source is a DynamoDB stream. */
  public abstract readonly table?: dynamodb.ITable;
}

class KinesisSource extends StreamSource {
  public readonly table = undefined;
  constructor(public readonly stream: kinesis.IStream) {
    super();
  }
}

class DynamoDbSource extends StreamSource {
  public readonly stream = undefined;
  constructor(public readonly table: dynamodb.ITable) {
    super();
  }
}
