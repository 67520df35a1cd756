import { STREAM_IDEMPOTENCY_PAYLOAD } from './contract';

/**
 * What makes two stream records "the same" for per-record idempotency. The template hashes
 * the result of a JMESPath expression evaluated over
 * `{ "eventId": <eventID>, "sequenceNumber": <sequence number>, "payload": <decoded payload> }`.
 *
 * Lambda delivers a stream record again when it retries a batch: after the function fails
 * or times out (the whole batch), after a bisect, or from the first failed record of a
 * partial batch response. Idempotency keeps a record that already ran from running again.
 */
export class StreamIdempotencyKey {
  /**
   * The record's event id: DynamoDB Streams' `eventID` (unique per stream record), or for
   * Kinesis `shardId-…:<sequence number>` (unique in the stream). The right key for
   * retries of the same record, on either source.
   */
  public static eventId(): StreamIdempotencyKey {
    return new StreamIdempotencyKey(STREAM_IDEMPOTENCY_PAYLOAD.eventId, undefined);
  }

  /**
   * The record's sequence number alone (`kinesis.sequenceNumber` or
   * `dynamodb.SequenceNumber`). Kinesis guarantees it unique only per partition key within a
   * shard, so prefer `eventId()` unless you need the bare number (e.g. to match records
   * deduplicated elsewhere by sequence number).
   */
  public static sequenceNumber(): StreamIdempotencyKey {
    return new StreamIdempotencyKey(STREAM_IDEMPOTENCY_PAYLOAD.sequenceNumber, undefined);
  }

  /**
   * A JMESPath expression into the decoded payload, e.g. `orderId` for Kinesis JSON data or
   * `newImage.orderId` for a DynamoDB change: protects against the same business event
   * written to the stream more than once, whatever its sequence number. A record whose
   * payload lacks the key fails (and ends in the on-failure destination) instead of running
   * unprotected.
   *
   * @param jmesPath JMESPath evaluated against the decoded payload (Powertools functions such
   * as `powertools_json()` are available)
   */
  public static fromPayload(jmesPath: string): StreamIdempotencyKey {
    return new StreamIdempotencyKey(`${STREAM_IDEMPOTENCY_PAYLOAD.payload} | ${jmesPath}`, jmesPath);
  }

  /** The expression the template evaluates over `{ eventId, sequenceNumber, payload }`. */
  public readonly jmesPath: string;

  /** The expression as given to `fromPayload`, when it is a payload key. */
  public readonly payloadJmesPath?: string;

  private constructor(jmesPath: string, payloadJmesPath: string | undefined) {
    this.jmesPath = jmesPath;
    this.payloadJmesPath = payloadJmesPath;
  }
}
