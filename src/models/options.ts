/**
 * The options of Model's constructor, fit, evaluate, predict and save, each declared once with its checks
 * (util/checks.ts): an unknown key is refused, naming the closest known one, and every value is checked
 * where it enters. compile's options live with what they choose (compile-setup.ts).
 */
import { Dataset } from '../data/index.js';
import type { SymbolicTensor } from '../layers/index.js';
import { SymbolicTensor as SymbolicTensorClass } from '../layers/index.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SampleWeights } from './array-data.js';
import type { Callback } from './callbacks/callback.js';
import type { TensorData } from './model-io.js';
import type { ModelLocation } from './saving/io.js';

export type { CompileOptions } from './compile-setup.js';

export type Verbosity = 0 | 1 | 2;

/** Validation data: `[x, y]` or `[x, y, sampleWeight]` in tensors, or a Dataset of batches. */
export type ValidationData = readonly [TensorData, TensorData] | readonly [TensorData, TensorData, SampleWeights] | Dataset<unknown>;

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32 (a Dataset is batched already: it makes its own batches). */
  batchSize?: number;
  /** 0 silent, 1 progress bar (in place on a terminal), 2 one line per epoch. Default 1. */
  verbose?: Verbosity;
  callbacks?: readonly Callback[];
  /** Fraction of the samples, taken from the end before shuffling, to validate on after each epoch. */
  validationSplit?: number;
  /** Data to validate on after each epoch: [x, y], [x, y, sampleWeight] or a Dataset. */
  validationData?: ValidationData;
  /** Shuffle the training samples before each epoch (default true; a Dataset shuffles itself with shuffle()). */
  shuffle?: boolean;
  /** Weights per class index, multiplying each sample's loss (models with one output). */
  classWeight?: Readonly<Record<number, number>>;
  /** One weight per sample, multiplying its loss (for every output, or per output). */
  sampleWeight?: SampleWeights;
  /** The epoch to start counting from, to resume a run (default 0). */
  initialEpoch?: number;
  /**
   * A checkpoint (a ModelCheckpoint folder, a model saved with includeTrainingState, or an IO handler) to
   * continue from: its weights, optimizer state, random generator position, history and place in the data
   * are restored and training goes on from there. With a fixed seed the result equals an uninterrupted run.
   */
  resumeFrom?: ModelLocation;
  /** With a Dataset: the batches that make an epoch, read from a stream that goes on across epochs (needed after repeat()). */
  stepsPerEpoch?: number;
  /** With a validation Dataset: validate on this many of its batches (default: a whole pass). */
  validationSteps?: number;
}

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 a progress line. Default 1. */
  verbose?: 0 | 1;
  sampleWeight?: SampleWeights;
  /** With a Dataset: evaluate on this many batches (default: a whole pass). */
  steps?: number;
}

export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
  /** With a Dataset: predict this many batches (default: a whole pass). */
  steps?: number;
}

export interface OnBatchOptions {
  /** One weight per sample, multiplying its loss (for every output, or per output). */
  sampleWeight?: SampleWeights;
  /** trainOnBatch: weights per class index (models with one output). */
  classWeight?: Readonly<Record<number, number>>;
}

export interface ModelOptions {
  name?: string;
}

export interface FunctionalOptions extends ModelOptions {
  /** The model's inputs (from Input()): one, or several in the order data gives them. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The model's outputs: one, or several in the order predictions and labels come. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

const sampleWeights = is.satisfying<SampleWeights>('sample weights (one per sample, for every output or per output)', (v): v is SampleWeights => v !== undefined && v !== null);
const callback = is.satisfying<Callback>('a callback (an object with hooks such as onEpochEnd)', (v): v is Callback => typeof v === 'object' && v !== null && !Array.isArray(v));
const location = is.satisfying<ModelLocation>('a path or an IO handler', (v): v is ModelLocation => (typeof v === 'string' && v !== '') || (typeof v === 'object' && v !== null));

export const FIT_OPTIONS = optionsSpec({
  epochs: is.positiveInteger.default(1),
  batchSize: is.positiveInteger.default(32),
  verbose: is.oneOf([0, 1, 2] as const).default(1),
  callbacks: is.arrayOf(callback).default([]),
  validationSplit: is.numberIn(0, 1, '()').optional(),
  validationData: is.satisfying<ValidationData>('[x, y], [x, y, sampleWeight] or a Dataset', (v): v is ValidationData =>
    v instanceof Dataset || (Array.isArray(v) && (v.length === 2 || v.length === 3))).optional(),
  shuffle: is.boolean.default(true),
  classWeight: is.plainObject.to((v) => v as Readonly<Record<number, number>>).optional(),
  sampleWeight: sampleWeights.optional(),
  initialEpoch: is.nonNegativeInteger.optional(),
  resumeFrom: location.optional(),
  stepsPerEpoch: is.positiveInteger.optional(),
  validationSteps: is.positiveInteger.optional(),
} satisfies SpecFor<FitOptions>);

export const EVALUATE_OPTIONS = optionsSpec({
  batchSize: is.positiveInteger.default(32),
  verbose: is.oneOf([0, 1] as const).default(1),
  sampleWeight: sampleWeights.optional(),
  steps: is.positiveInteger.optional(),
} satisfies SpecFor<EvaluateOptions>);

export const PREDICT_OPTIONS = optionsSpec({
  batchSize: is.positiveInteger.default(32),
  steps: is.positiveInteger.optional(),
} satisfies SpecFor<PredictOptions>);

export const ON_BATCH_OPTIONS = optionsSpec({
  sampleWeight: sampleWeights.optional(),
  classWeight: is.plainObject.to((v) => v as Readonly<Record<number, number>>).optional(),
} satisfies SpecFor<OnBatchOptions>);

const symbolicList = is.satisfying('a symbolic tensor or a non-empty array of them (from Input() and layer.apply)', (v): v is SymbolicTensor | SymbolicTensor[] =>
  v instanceof SymbolicTensorClass || (Array.isArray(v) && v.length > 0 && v.every((t) => t instanceof SymbolicTensorClass)));

export const MODEL_OPTIONS = optionsSpec({
  name: is.nonEmptyString.optional(),
} satisfies SpecFor<ModelOptions>);

export const FUNCTIONAL_OPTIONS = optionsSpec({
  name: is.nonEmptyString.optional(),
  inputs: symbolicList,
  outputs: symbolicList,
} satisfies SpecFor<FunctionalOptions>);

export function isFunctional(options: unknown): options is FunctionalOptions {
  return typeof options === 'object' && options !== null && ('inputs' in options || 'outputs' in options);
}
