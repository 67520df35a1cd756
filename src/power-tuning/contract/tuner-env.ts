/** The variables the tuner construct sets on its functions (runtime/tuner reads them). */
export const TUNER_ENV = {
  /** The function being tuned: the only function the tuner may touch. */
  tunedFunctionName: { name: 'TUNED_FUNCTION_NAME', prop: 'function (the tuned function, set by the construct)' },
  /** The SSM parameter each run's result is written to; unset writes none. */
  resultsParameterName: { name: 'RESULTS_PARAMETER_NAME', prop: 'resultsParameterName' },
} as const;

/**
 * The properties of the run-on-deploy custom resource. `DeployToken` is the tuned
 * function's published version number: it changes, and grows, with every deployment that
 * changes the function, and goes back on a rollback.
 */
export const STARTER_PROPERTIES = {
  stateMachineArn: 'StateMachineArn',
  deployToken: 'DeployToken',
  cleanerFunctionName: 'CleanerFunctionName',
} as const;
