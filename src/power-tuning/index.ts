export * from './power-tuned-function';
