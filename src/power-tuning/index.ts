export * from './power-tuned-function';
export { TuningSampling } from './tuning-options';
export type { AdaptiveSamplingOptions, TuningRunProps, WeightedTuningPayload } from './tuning-options';
