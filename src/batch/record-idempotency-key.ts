import { MESSAGE_ID_KEY_JMESPATH } from './contract';

/**
 * What makes two SQS records "the same" for per-record idempotency.
 *
 * The template hashes the result of a JMESPath expression evaluated over
 * `{ "messageId": <SQS message id>, "body": <the body parsed as JSON> }`.
 */
export class RecordIdempotencyKey {
  /**
   * The SQS message id: protects against SQS delivering the same message more than once
   * (at-least-once delivery of standard queues, redeliveries after a visibility timeout).
   * A producer that sends the same payload twice creates two message ids; use
   * `fromBody` for that.
   */
  public static messageId(): RecordIdempotencyKey {
    return new RecordIdempotencyKey(MESSAGE_ID_KEY_JMESPATH, undefined);
  }

  /**
   * A JMESPath expression into the JSON body, e.g. `orderId` or `[customerId, orderId]`:
   * protects against the same business event sent several times, whatever its message id.
   * A record whose body lacks the key fails (and ends in the DLQ) instead of running
   * unprotected.
   *
   * @param jmesPath JMESPath evaluated against the parsed body (Powertools functions such as
   * `powertools_json()` are available)
   */
  public static fromBody(jmesPath: string): RecordIdempotencyKey {
    return new RecordIdempotencyKey(`body | ${jmesPath}`, jmesPath);
  }

  /** The expression the template evaluates over `{ messageId, body }`. */
  public readonly jmesPath: string;

  /** The expression as given to `fromBody`, when it is a body key. */
  public readonly bodyJmesPath?: string;

  private constructor(jmesPath: string, bodyJmesPath: string | undefined) {
    this.jmesPath = jmesPath;
    this.bodyJmesPath = bodyJmesPath;
  }
}
