/**
 * The variables behind the templates' tracing and log buffering, set from the shared
 * function props (`tracing`, `logBuffering`). Dependency-free: the construct writes them and
 * the templates read them. A function in another runtime reads the same names (see the
 * README's environment contract for Powertools for Python).
 */
export const OBSERVABILITY_ENV = {
  /** `false` turns the Powertools Tracer off (Powertools reads it itself); unset means on. */
  traceEnabled: { name: 'POWERTOOLS_TRACE_ENABLED', prop: 'tracing' },
  /** Set by Lambda when active tracing is on: where the X-Ray SDK sends segments. */
  xrayDaemonAddress: { name: 'AWS_XRAY_DAEMON_ADDRESS', prop: 'tracing' },
  /** Set by Lambda in every execution environment; Powertools Tracer stays off without it. */
  executionEnv: { name: 'AWS_EXECUTION_ENV', prop: '(set by Lambda)' },
  /** Bytes of log lines buffered per invocation; set only when log buffering is on. */
  logBufferMaxBytes: { name: 'LOG_BUFFER_MAX_BYTES', prop: 'logBuffering.maxBufferSize' },
  /** The most verbose level that is buffered (`DEBUG`, `INFO` or `WARN`); lines at or below it wait for a failure. */
  logBufferAtLevel: { name: 'LOG_BUFFER_AT_LEVEL', prop: 'logBuffering.bufferAtLevel' },
} as const;

/** Log buffering's variables start with this; only the `logBuffering` prop may set them. */
export const LOG_BUFFER_ENV_PREFIX = 'LOG_BUFFER_';

/** Defaults both sides apply. */
export const OBSERVABILITY_DEFAULTS = {
  /** Powertools' own default buffer size: 20 KiB per invocation. */
  logBufferMaxBytes: 20480,
  logBufferAtLevel: 'DEBUG',
} as const;

/** Levels log buffering can hold back (ERROR lines are never buffered: they flush the buffer). */
export const BUFFERABLE_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;

/** X-Ray annotation keys the templates write, beside Powertools' `ColdStart` and `Service`. */
export const TRACE_ANNOTATIONS = {
  /** IdempotentFunction: the value the idempotency key JMESPath selects (e.g. the order id). */
  idempotencyKey: 'idempotencyKey',
  /** IdempotentFunction: true when the stored result was replayed. */
  replayed: 'replayed',
  /** SqsBatchConsumer: one subsegment per record. */
  messageId: 'messageId',
  correlationId: 'correlationId',
  /** StreamBatchConsumer: one subsegment per record. */
  sequenceNumber: 'sequenceNumber',
  partitionKey: 'partitionKey',
  /** ObservableApi: the matched route key, e.g. `GET /orders/{id}`. */
  route: 'route',
} as const;

/**
 * Where the templates look for a correlation id to hand to the logic (`context.correlationId`,
 * `request.correlationId`) and put on every log line, so a downstream publish can carry it on.
 */
export const CORRELATION_ID = {
  /** StreamBatchConsumer: a top-level string field of the JSON payload (Kinesis) or of the new/old image (DynamoDB). */
  payloadField: 'correlationId',
  /** ObservableApi: a request header that continues a caller's chain; otherwise API Gateway's request id. */
  header: 'x-correlation-id',
  /** What an inbound id may look like (anything else is ignored, so log lines stay clean). */
  pattern: /^[A-Za-z0-9._:\-]{1,128}$/,
} as const;
