/**
 * The Powertools variables every function of this library gets (Powertools reads them
 * itself; the templates read the sampling rate too), and the variable Lambda sets from its
 * application log level.
 */
export const POWERTOOLS_ENV = {
  serviceName: { name: 'POWERTOOLS_SERVICE_NAME', prop: 'serviceName' },
  metricsNamespace: { name: 'POWERTOOLS_METRICS_NAMESPACE', prop: 'metricsNamespace' },
  logLevel: { name: 'POWERTOOLS_LOG_LEVEL', prop: 'logLevel' },
  loggerSampleRate: { name: 'POWERTOOLS_LOGGER_SAMPLE_RATE', prop: 'logSamplingRate' },
  /** Set by Lambda from the function's application log level (advanced logging controls). */
  lambdaLogLevel: { name: 'AWS_LAMBDA_LOG_LEVEL', prop: 'logLevel / logSamplingRate' },
} as const;
