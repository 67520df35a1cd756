/**
 * The attribute names of an existing idempotency table whose layout differs from
 * Powertools' defaults, e.g. one another team or another Powertools runtime created. They
 * are passed to Powertools' DynamoDBPersistenceLayer; `key` and `expiry` are checked
 * against the table's partition key and TTL at synth when the table is defined in the app.
 */
export interface IdempotencyTableAttributes {
  /**
   * The partition key (String) holding the hashed idempotency key, or the static value in
   * the shared sort-key layout.
   *
   * @default 'id'
   */
  readonly key?: string;

  /**
   * The record expiry (epoch seconds): the table's TTL attribute.
   *
   * @default 'expiration'
   */
  readonly expiry?: string;

  /**
   * When an in-progress record is considered abandoned (epoch milliseconds, from the Lambda
   * timeout).
   *
   * @default 'in_progress_expiration'
   */
  readonly inProgressExpiry?: string;

  /**
   * The record status (`INPROGRESS`, `COMPLETED`).
   *
   * @default 'status'
   */
  readonly status?: string;

  /**
   * The stored result.
   *
   * @default 'data'
   */
  readonly data?: string;

  /**
   * The hash of the payload part checked on replays (`payloadValidationJmesPath`).
   *
   * @default 'validation'
   */
  readonly validation?: string;
}
