export * from './alarm-action';
export * from './function-options';
export * from './handler-code';
export * from './monitoring-options';
