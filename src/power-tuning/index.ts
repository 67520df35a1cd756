export * from './power-tuned-function';
export { PowerTuner, TuningStrategy } from './power-tuner';
export type { PowerTunerProps, TuningOptions } from './power-tuner';
export { TuningSampling } from './tuning-options';
export type { AdaptiveSamplingOptions, TuningRunProps, WeightedTuningPayload } from './tuning-options';
