/** Level 6: models (Sequential, functional Model), training, callbacks, summaries and the model doctor. */
export * from './model.js';
export type { CompileOptions, EvaluateOptions, FitOptions, FunctionalOptions, ModelOptions, PredictOptions, Verbosity } from './options.js';
export * from './sequential.js';
export * from './data.js';
export * from './doctor.js';
export * from './summary.js';
export * from './tracker.js';
export * from './callbacks/callback.js';
export * from './callbacks/history.js';
export * from './callbacks/early-stopping.js';
export * from './callbacks/reduce-lr-on-plateau.js';
export * from './callbacks/progress-bar.js';
export * from './callbacks/progress-line.js';
export type { MonitorMode } from './callbacks/monitor.js';
