/**
 * layerwise: deep learning for TypeScript. This file is the public API; everything a user (or the command
 * line) needs is exported here, and nothing else is part of the contract.
 */
import './ops/tensor-methods.js';

export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export type { VariableOptions } from './tensor/variable.js';
export {
  tensor, scalar, fill, zeros, ones, zerosLike, onesLike, range, eye, randomUniform, randomNormal, truncatedNormal,
} from './tensor/creation.js';
export type { TensorLike, TensorOptions, NormalOptions } from './tensor/creation.js';
export { grad, valueAndGrad, variableGrads, noGrad } from './tensor/tape.js';
export type { ValueAndGrads, VariableGrads } from './tensor/tape.js';
export * from './ops/index.js';
export { backend, backendInfo, setBackend, availableBackends, setThreads } from './backend/index.js';
export type { BackendName } from './backend/index.js';
export { setSeed, getSeed } from './util/random.js';
export type { DType } from './util/dtype.js';
export { LayerwiseError, ShapeError, ValueError, DTypeError, NumericsError } from './util/errors.js';

// Level 4: the parts models are made of. Keras groups them in namespaces (`initializers.heNormal()`,
// `losses.categoricalCrossentropy(yTrue, yPred)`); the classes compile() takes are also exported by name.
export * as activations from './nn/activations.js';
export * as initializers from './nn/initializers.js';
export * as regularizers from './nn/regularizers.js';
export type { ActivationIdentifier } from './nn/activations.js';
export type { Initializer, InitializerIdentifier } from './nn/initializers.js';
export type { Regularizer, RegularizerIdentifier } from './nn/regularizers.js';
export * as losses from './losses/index.js';
export type { Loss, LossFunction, LossIdentifier } from './losses/index.js';
export * as metrics from './metrics/index.js';
export type { Metric, MetricIdentifier } from './metrics/index.js';
export {
  Optimizer, SGD, RMSprop, Adam, AdamW, Adagrad, getOptimizer, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay,
} from './optimizers/index.js';
export type {
  OptimizerOptions, OptimizerIdentifier, SGDOptions, RMSpropOptions, AdamOptions, AdagradOptions, LearningRateSchedule,
  ExponentialDecayOptions,
} from './optimizers/index.js';
export { datasets, toCategorical, shuffledIndices, takeRows, sliceRows, batchRanges, readIdx, parseIdx, mnistFiles } from './data/index.js';
export type { MnistData, Split, IdxArray, MnistFiles } from './data/index.js';

// Level 5: layers, by name (`new Dense({ units: 10 })`) and as a namespace (`new layers.Dense(...)`).
export * as layers from './layers/index.js';
export {
  BaseLayer, Layer, MergeLayer, Input, InputLayer, SymbolicTensor, Dense, Conv2D, MaxPooling2D, AveragePooling2D,
  GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Dropout, Activation, BatchNormalization, Add, Concatenate,
} from './layers/index.js';
export type {
  LayerOptions, CallOptions, WeightOptions, InputSpec, LayerShape, DenseOptions, Conv2DOptions, Pooling2DOptions, ReshapeOptions,
  DropoutOptions, ActivationOptions, BatchNormalizationOptions, ConcatenateOptions, InputOptions,
} from './layers/index.js';

// Level 6: models, training and callbacks.
export { Model, Sequential, History, EarlyStopping, ReduceLROnPlateau, ProgressBar, DOCTOR_CHECKS, diagnose } from './models/index.js';
export type {
  CompileOptions, FitOptions, EvaluateOptions, PredictOptions, FunctionalOptions, ModelOptions, SequentialOptions, Batch,
  Callback, Logs, TrainingParams, TrainingTarget, EarlyStoppingOptions, ReduceLROnPlateauOptions, DoctorCheck, DoctorFinding,
  DoctorContext,
} from './models/index.js';

// Saving and loading in the TensorFlow.js Layers format, crash-safe checkpoints and resumed training.
export { loadModel, ModelCheckpoint, fileHandler } from './models/index.js';
export type {
  SaveOptions, LoadModelOptions, ModelCheckpointOptions, IOHandler, ModelArtifacts, ModelJson, ModelLocation, FileOptions,
} from './models/index.js';
export { getRandomState, setRandomState } from './util/random.js';
export type { RandomState } from './util/random.js';
export type { JsonObject, JsonValue, LayerConfig, LayerFactory } from './layers/index.js';
export { ConfigReader } from './layers/index.js';

// Preprocessing and feature engineering: fitted on training data, applied to any data, composed in a Pipeline.
export {
  Transformer, StandardScaler, MinMaxScaler, Imputer, TextVectorizer, FunctionTransformer, SelectFeatures, DropConstantFeatures, Pipeline,
  multiHot, oneHotSequences, padSequences,
} from './data/index.js';
export type {
  MinMaxScalerOptions, ImputerOptions, ImputeStrategy, TextVectorizerOptions, MultiHotOptions, OneHotSequencesOptions, PadSequencesOptions, Sequences,
} from './data/index.js';
export { Normalization } from './layers/index.js';
export type { NormalizationOptions } from './layers/index.js';
export type { BestEpoch, OverfittingOptions } from './models/index.js';

// Level 7: the universal workflow (evaluation protocols, cross-validation, baselines, search).
export * from './workflow/index.js';

// Level 7: reports of training runs (self-contained HTML with SVG charts) and loss curves in the terminal.
export {
  historyReport, crossValidationReport, searchReport, analyzeHistory, historyOf, lossChart, writeReport, lineChartSvg, pointChartSvg,
} from './workflow/report/index.js';
export type {
  HistoryReportOptions, CrossValidationReportOptions, SearchReportOptions, HistoryLike, HistoryAnalysis, TerminalChartOptions, LineChartOptions,
  ChartSeries, PointChartOptions, ChartPoint,
} from './workflow/report/index.js';
