export * from './power-tuned-function';
export { PowerTuner, TuningStrategy } from './power-tuner';
export type { PowerTunerProps, TuningOptions } from './power-tuner';
