/** The variables PowerTunedFunction sets on its tuner functions (runtime/tuner reads them). */
export const TUNER_ENV = {
  /** The function being tuned: the only function the tuner may touch. */
  tunedFunctionName: { name: 'TUNED_FUNCTION_NAME', prop: 'the tuned function (set by the construct)' },
  /** The memory the tuned function was deployed with, in MB. */
  tunedFunctionMemoryMb: { name: 'TUNED_FUNCTION_MEMORY_MB', prop: 'memorySizeMb' },
  /** The SSM parameter each run's result is written to; unset writes none. */
  resultsParameterName: { name: 'RESULTS_PARAMETER_NAME', prop: 'resultsParameterName' },
} as const;
