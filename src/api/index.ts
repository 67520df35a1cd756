export * from './api-authorization';
export * from './api-kind';
export * from './observable-api';
export * from './observable-api-props';
