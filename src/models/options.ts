/** The options of Model's constructor, compile, fit, evaluate and predict, and their checks. */
import type { SymbolicTensor } from '../layers/index.js';
import type { LossIdentifier } from '../losses/index.js';
import type { MetricIdentifier } from '../metrics/index.js';
import type { OptimizerIdentifier } from '../optimizers/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { ValueError, describe } from '../util/errors.js';
import type { Callback } from './callbacks/callback.js';
import type { ModelLocation } from './saving/io.js';

export interface CompileOptions {
  /** Default 'rmsprop', as in Keras. */
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: readonly MetricIdentifier[];
}

export type Verbosity = 0 | 1 | 2;

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 progress bar (in place on a terminal), 2 one line per epoch. Default 1. */
  verbose?: Verbosity;
  callbacks?: readonly Callback[];
  /** Fraction of the samples, taken from the end before shuffling, to validate on after each epoch. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] to validate on after each epoch. */
  validationData?: readonly [TensorLike, TensorLike] | readonly [TensorLike, TensorLike, TensorLike];
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Weights per class index, multiplying each sample's loss. */
  classWeight?: Readonly<Record<number, number>>;
  /** One weight per sample, multiplying its loss. */
  sampleWeight?: TensorLike;
  /** The epoch to start counting from, to resume a run (default 0). */
  initialEpoch?: number;
  /**
   * A checkpoint (a ModelCheckpoint folder, a model saved with includeTrainingState, or an IO handler) to
   * continue from: its weights, optimizer state, random generator position and history are restored and
   * training goes on after its last epoch. With a fixed seed the result equals an uninterrupted run.
   */
  resumeFrom?: ModelLocation;
}

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 a progress line. Default 1. */
  verbose?: 0 | 1;
  sampleWeight?: TensorLike;
}

export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
}

export interface ModelOptions {
  name?: string;
}

export interface FunctionalOptions extends ModelOptions {
  inputs: SymbolicTensor;
  outputs: SymbolicTensor;
}

export function isFunctional(options: FunctionalOptions | ModelOptions): options is FunctionalOptions {
  return 'inputs' in options || 'outputs' in options;
}

export function positiveInteger(where: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${where}: option '${arg}' expected a positive integer, received ${describe(v)}`);
  return v;
}

export function verbosity(where: string, v: unknown, allowed: readonly number[]): Verbosity {
  if (!allowed.includes(v as number)) throw new ValueError(`${where}: option 'verbose' expected one of ${allowed.join(', ')}, received ${describe(v)}`);
  return v as Verbosity;
}
