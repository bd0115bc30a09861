/**
 * layerwise for browsers: the public API less what needs Node (reading and writing files, worker-thread
 * cross-validation, reports written to disk, the native addon). `npm run build` bundles this file into
 * dist/browser/layerwise.js, with the WebAssembly kernels and the worker script beside it.
 *
 * The wasm backend fetches its kernels: `await preloadWasmKernels()` before `setBackend('wasm')`. It uses
 * threads only on cross-origin isolated pages (served with COOP/COEP headers); elsewhere one thread.
 * The webgpu backend (where `navigator.gpu` exists) is set up with `await setBackendAsync('webgpu')`.
 */
import './ops/tensor-methods.js';

export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export type { VariableOptions } from './tensor/variable.js';
export {
  tensor, scalar, fill, zeros, ones, zerosLike, onesLike, range, eye, randomUniform, randomNormal, truncatedNormal,
} from './tensor/creation.js';
export type { TensorLike, TensorOptions, NormalOptions, UniformOptions, FillOptions, RangeOptions, EyeOptions, NumericArray, NestedInput } from './tensor/creation.js';
export { grad, valueAndGrad, variableGrads, noGrad } from './tensor/tape.js';
export type { ValueAndGrads, VariableGrads } from './tensor/tape.js';
export * from './ops/index.js';
export { backend, backendInfo, setBackend, availableBackends, setThreads } from './backend/index.js';
export { setBackendAsync } from './backend/index.js';
export type { BackendName } from './backend/index.js';
export { preloadWasmKernels } from './backend/wasm/index.js';
export { preloadWebGPU, webgpuStats } from './backend/webgpu/index.js';
export type { AdapterFacts, WebGPUOptions, WebGPUStats } from './backend/webgpu/index.js';
export { setSeed, getSeed, getRandomState, setRandomState } from './util/random.js';
export type { RandomState } from './util/random.js';
export type { DType } from './util/dtype.js';
export { LayerwiseError, ShapeError, ValueError, DTypeError, NumericsError } from './util/errors.js';
export { DeviceDataError } from './util/errors.js';

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
  CosineDecay, CosineDecayRestarts, PolynomialDecay,
} from './optimizers/index.js';
export type {
  OptimizerOptions, OptimizerIdentifier, SGDOptions, RMSpropOptions, AdamOptions, AdagradOptions, LearningRateSchedule,
  ExponentialDecayOptions, InverseTimeDecayOptions, CosineDecayOptions, CosineDecayRestartsOptions, PolynomialDecayOptions,
} from './optimizers/index.js';

// Data helpers that work on arrays in memory; parseIdx reads IDX bytes the page has fetched.
export { toCategorical, shuffledIndices, takeRows, sliceRows, batchRanges, parseIdx } from './data/index.js';
export type { Split, IdxArray } from './data/index.js';
export {
  Transformer, StandardScaler, MinMaxScaler, Imputer, TextVectorizer, FunctionTransformer, SelectFeatures, DropConstantFeatures, Pipeline,
  multiHot, oneHotSequences, padSequences,
} from './data/index.js';
// Datasets: lazy pipelines of samples (in a browser, images come from the files of a picked folder).
export { Dataset, DatasetIterator, imageDatasetFromDirectory } from './data/index.js';
export type {
  DatasetPosition, IterateOptions, MapOptions, BatchOptions, CacheOptions, ShuffleOptions, DataWait, DatasetSource, Slices, SliceStructure, SliceOf,
  Sample, Leaf, Batched, Unbatched, PaddingOptions, OnError, ColumnType, TableRow, LabeledRow, TableOptions, FolderOptions, LabelMode,
  ImageFolderOptions, LabeledImage, Interpolation, PickedFile, TextFolderOptions, LabeledText, LabeledTexts,
} from './data/index.js';
export type {
  MinMaxScalerOptions, ImputerOptions, ImputeStrategy, TextVectorizerOptions, MultiHotOptions, OneHotSequencesOptions, PadSequencesOptions, Sequences,
} from './data/index.js';

export * as layers from './layers/index.js';
export {
  BaseLayer, Layer, MergeLayer, Input, InputLayer, SymbolicTensor, LayerNode, Dense, Conv2D, MaxPooling2D, AveragePooling2D,
  GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Dropout, Activation, BatchNormalization, Add, Concatenate, Normalization,
  ConfigReader,
} from './layers/index.js';
export type {
  LayerOptions, CallOptions, NodeResult, WeightOptions, InputSpec, LayerShape, DenseOptions, Conv2DOptions, Pooling2DOptions, ReshapeOptions,
  DropoutOptions, ActivationOptions, BatchNormalizationOptions, ConcatenateOptions, InputOptions, NormalizationOptions, JsonObject, JsonValue,
  LayerConfig, LayerFactory,
} from './layers/index.js';

// Models, training and callbacks; loading takes an IOHandler (files need Node).
export {
  Model, Sequential, History, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, LambdaCallback, LearningRateScheduler, DOCTOR_CHECKS, diagnose, loadModel,
} from './models/index.js';
export type {
  CompileOptions, FitOptions, EvaluateOptions, PredictOptions, OnBatchOptions, FunctionalOptions, ModelOptions, SequentialOptions, SequentialLayer, Batch,
  TensorData, PerPort, SampleWeights, ValidationData, OutputSetup, TrainingPosition,
  Callback, Logs, TrainingParams, TrainingTarget, EarlyStoppingOptions, ReduceLROnPlateauOptions, LambdaCallbackOptions, LearningRateSchedulerOptions,
  EpochSchedule, DoctorCheck, DoctorFinding,
  DoctorContext, BestEpoch, OverfittingOptions, LoadModelOptions, IOHandler, ModelArtifacts, ModelJson,
} from './models/index.js';
