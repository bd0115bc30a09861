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
export * as constraints from './nn/constraints.js';
export type { ActivationIdentifier } from './nn/activations.js';
export type { Initializer, InitializerIdentifier, OrthogonalOptions, VarianceScalingOptions } from './nn/initializers.js';
export type { Regularizer, RegularizerIdentifier } from './nn/regularizers.js';
export type { Constraint, ConstraintIdentifier, MaxNormOptions, UnitNormOptions, MinMaxNormOptions } from './nn/constraints.js';
export * as losses from './losses/index.js';
export type { Loss, LossFunction, LossIdentifier } from './losses/index.js';
export * as metrics from './metrics/index.js';
export type { Metric, MetricIdentifier } from './metrics/index.js';
export {
  Optimizer, SGD, RMSprop, Adam, AdamW, Adagrad, Adamax, Nadam, Adadelta, Ftrl, Lion, getOptimizer, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay,
  CosineDecay, CosineDecayRestarts, PolynomialDecay,
} from './optimizers/index.js';
export type {
  OptimizerOptions, OptimizerIdentifier, SGDOptions, RMSpropOptions, AdamOptions, AdagradOptions, AdamaxOptions, NadamOptions, AdadeltaOptions, FtrlOptions, LionOptions, LearningRateSchedule,
  ExponentialDecayOptions, InverseTimeDecayOptions, CosineDecayOptions, CosineDecayRestartsOptions, PolynomialDecayOptions,
} from './optimizers/index.js';

// Data helpers that work on arrays in memory; parseIdx reads IDX bytes the page has fetched.
export { toCategorical, shuffledIndices, takeRows, sliceRows, batchRanges, parseIdx } from './data/index.js';
export type { Split, IdxArray } from './data/index.js';
export {
  Transformer, StandardScaler, MinMaxScaler, Imputer, TextVectorizer, FunctionTransformer, SelectFeatures, DropConstantFeatures, Pipeline,
  multiHot, oneHotSequences, padSequences,
} from './data/index.js';
// Datasets: lazy pipelines of samples (in a browser, CSV from a URL, a File or a stream; images from the files of a picked folder).
export { Dataset, DatasetIterator, csvDataset, imageDatasetFromDirectory } from './data/index.js';
export type {
  DatasetPosition, IterateOptions, MapOptions, BatchOptions, CacheOptions, ShuffleOptions, DataWait, DatasetSource, Slices, SliceStructure, SliceOf,
  Sample, Leaf, Batched, Unbatched, PaddingOptions, OnError, ColumnType, TableRow, LabeledRow, TableOptions, FolderOptions, LabelMode,
  ImageFolderOptions, LabeledImage, Interpolation, PickedFile, TextFolderOptions, LabeledText, LabeledTexts, CsvOptions, CsvSource,
} from './data/index.js';
export type {
  MinMaxScalerOptions, ImputerOptions, ImputeStrategy, TextVectorizerOptions, MultiHotOptions, OneHotSequencesOptions, PadSequencesOptions, Sequences,
} from './data/index.js';

export * as layers from './layers/index.js';
export {
  BaseLayer, Layer, MergeLayer, Input, InputLayer, SymbolicTensor, LayerNode, Dense, Conv2D, MaxPooling2D, AveragePooling2D,
  GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Dropout, Activation, BatchNormalization, Add, Concatenate, Normalization,
  ConfigReader,
  Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, Conv3D, Conv3DTranspose, MaxPooling3D, AveragePooling3D, GlobalMaxPooling3D,
  GlobalAveragePooling3D, UpSampling2D, UpSampling3D, ZeroPadding2D, ZeroPadding3D, Cropping2D, Cropping3D, Permute, RepeatVector,
  Subtract, Multiply, Average, Maximum, Minimum, Dot, ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU, SpatialDropout1D,
  SpatialDropout2D, SpatialDropout3D, GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization, GroupNormalization,
  UnitNormalization, Lambda,
  Embedding, Masking, RNNCell, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells, RNN, SimpleRNN, LSTM, GRU, Bidirectional,
  TimeDistributed,
  Conv1D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, UpSampling1D, ZeroPadding1D, Cropping1D,
  LayerNormalization, EinsumDense, MultiHeadAttention,
} from './layers/index.js';
export type {
  LayerOptions, CallOptions, NodeResult, WeightOptions, InputSpec, LayerShape, DenseOptions, Conv2DOptions, Pooling2DOptions, ReshapeOptions,
  DropoutOptions, ActivationOptions, BatchNormalizationOptions, ConcatenateOptions, InputOptions, NormalizationOptions, JsonObject, JsonValue,
  LayerConfig, LayerFactory,
  Conv2DTransposeOptions, DepthwiseConv2DOptions, SeparableConv2DOptions, Conv3DOptions, Conv3DTransposeOptions, Pooling3DOptions,
  GlobalPooling3DOptions, UpSampling2DOptions, UpSampling3DOptions, ZeroPaddingOptions, CroppingOptions, PermuteOptions, RepeatVectorOptions,
  DotOptions, ReLUOptions, LeakyReLUOptions, PReLUOptions, ELUOptions, SoftmaxOptions, ThresholdedReLUOptions, SpatialDropoutOptions,
  GaussianNoiseOptions, GaussianDropoutOptions, AlphaDropoutOptions, ActivityRegularizationOptions, GroupNormalizationOptions,
  UnitNormalizationOptions, LambdaOptions, LambdaFunction,
  NestedLayerReader, EmbeddingOptions, MaskingOptions, CellOptions, CellCallOptions, CellOutput,
  SimpleRNNCellOptions, LSTMCellOptions, GRUCellOptions, StackedRNNCellsOptions, RecurrentOptions, RecurrentCallOptions, WithState, RNNOptions,
  SequenceOutput, SequenceCallOptions,
  SimpleRNNOptions, LSTMOptions, GRUOptions, BidirectionalOptions, MergeMode, TimeDistributedOptions,
  Conv1DOptions, Pooling1DOptions, GlobalPooling1DOptions, UpSampling1DOptions, ZeroPadding1DOptions, Cropping1DOptions,
  Edges, LayerNormalizationOptions, EinsumDenseOptions, MultiHeadAttentionOptions, AttentionCallOptions, AttentionEagerOptions, NodeCall,
} from './layers/index.js';
// Preprocessing and augmentation layers.
export {
  Rescaling, Resizing, CenterCrop, CategoryEncoding, Discretization, IntegerLookup, StringLookup, Hashing, RandomFlip, RandomRotation, RandomZoom,
  RandomTranslation, RandomContrast, RandomBrightness, RandomCrop, ImageAugmentation, ImageWarp,
} from './layers/index.js';
export type {
  AugmentationOptions, WarpOptions, Factor, FlipMode, RandomFlipOptions, RandomRotationOptions, RandomZoomOptions, RandomTranslationOptions,
  RandomContrastOptions, RandomBrightnessOptions, RandomCropOptions,
  RescalingOptions, ResizingOptions, CenterCropOptions, CategoryEncodingOptions, Encoding, DiscretizationOptions, DiscretizationOutput,
  IntegerLookupOptions, StringLookupOptions, LookupOptions, LookupOutput, HashingOptions, HashingOutput,
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
