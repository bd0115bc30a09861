/**
 * The evaluation protocols of the seed (2.1): hold-out (trainTestSplit), K-fold, stratified K-fold and
 * iterated K-fold with a fresh shuffle each repeat. Splits are plain index arrays: every sample is in
 * exactly one test fold per repeat, test folds differ in size by at most one, and the training part of
 * a fold is everything else. Shuffles draw from the global seeded generator, so setSeed makes them
 * repeatable.
 */
import { takeRows } from '../data/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { rng } from '../util/random.js';
import { sampleKeys } from './labels.js';

export interface Fold {
  /** 0-based repeat (always 0 without repeats) and fold within it. */
  repeat: number;
  fold: number;
  /** Sample indices, ascending. */
  train: Int32Array;
  test: Int32Array;
}

/** Something that cuts n samples (or labelled samples, to stratify) into folds. */
export interface Splitter {
  split(samples: number | TensorLike): Fold[];
}

export interface KFoldOptions {
  /** Default 5. */
  folds?: number;
  /** Shuffle before cutting (default true: data often arrives sorted). */
  shuffle?: boolean;
}

export interface RepeatedKFoldOptions {
  folds?: number;
  /** Default 3. */
  repeats?: number;
  /** Keep class proportions in every fold (split then takes labels). Default false. */
  stratify?: boolean;
}

function integerAtLeast(where: string, arg: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${where}: option '${arg}' expected an integer >= ${min}, received ${describe(v)}`);
  return v;
}

/** K folds of contiguous blocks (after an optional shuffle); the first n mod K folds hold one more. */
export class KFold implements Splitter {
  readonly folds: number;
  readonly shuffle: boolean;

  constructor(options: KFoldOptions = {}) {
    this.folds = integerAtLeast('KFold', 'folds', options.folds ?? 5, 2);
    this.shuffle = options.shuffle ?? true;
  }

  split(samples: number | TensorLike, repeat = 0): Fold[] {
    const n = countOf('KFold.split', samples, this.folds);
    const order = this.shuffle ? rng().permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const bounds = Array.from({ length: this.folds + 1 }, (_, f) => f * Math.floor(n / this.folds) + Math.min(f, n % this.folds));
    return foldsFrom(order, (p) => bounds.findIndex((b) => b > p) - 1, this.folds, repeat);
  }
}

/** K folds that each keep the class proportions of the whole (within one sample per class). */
export class StratifiedKFold implements Splitter {
  readonly folds: number;
  readonly shuffle: boolean;

  constructor(options: KFoldOptions = {}) {
    this.folds = integerAtLeast('StratifiedKFold', 'folds', options.folds ?? 5, 2);
    this.shuffle = options.shuffle ?? true;
  }

  split(labels: number | TensorLike, repeat = 0): Fold[] {
    if (typeof labels === 'number') throw new ValueError(`StratifiedKFold.split: argument 'labels' expected the labels to stratify by, received the number ${labels}`);
    const keys = sampleKeys('StratifiedKFold.split', 'labels', labels);
    countOf('StratifiedKFold.split', keys.length, this.folds);
    // Samples grouped by class, dealt to the folds in turn: fold sizes and each class's count per fold
    // then differ by at most one.
    const order = groupedByClass(keys, this.shuffle);
    return foldsFrom(order, (p) => p % this.folds, this.folds, repeat);
  }
}

/** Iterated K-fold: K-fold `repeats` times, each with a new shuffle (the seed's 2.1.3). */
export class RepeatedKFold implements Splitter {
  readonly folds: number;
  readonly repeats: number;
  readonly stratify: boolean;

  constructor(options: RepeatedKFoldOptions = {}) {
    this.folds = integerAtLeast('RepeatedKFold', 'folds', options.folds ?? 5, 2);
    this.repeats = integerAtLeast('RepeatedKFold', 'repeats', options.repeats ?? 3, 1);
    this.stratify = options.stratify ?? false;
  }

  split(samples: number | TensorLike): Fold[] {
    const splitter = this.stratify ? new StratifiedKFold({ folds: this.folds }) : new KFold({ folds: this.folds });
    return Array.from({ length: this.repeats }, (_, r) => splitter.split(samples, r)).flat();
  }
}

export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) or a number of samples (default 0.25). */
  testSize?: number;
  /** Keep the class proportions of y in both parts (default false). */
  stratify?: boolean;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
}

export interface TrainTestSplit {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
  trainIndices: Int32Array;
  testIndices: Int32Array;
}

/** Hold-out validation: a shuffled (optionally stratified) split of x and y into training and test parts. */
export function trainTestSplit(x: TensorLike, y: TensorLike, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const where = 'trainTestSplit';
  const xs = toTensor(where, 'x', x), ys = toTensor(where, 'y', y);
  const n = xs.shape[0] ?? 0;
  if (ys.shape[0] !== n) throw new ValueError(`${where}: arguments 'x' and 'y' expected the same number of samples, received ${n} and ${ys.shape[0] ?? 'a scalar'}`);
  const { train, test } = holdOutIndices(n, options, options.stratify ? ys : null);
  return { xTrain: takeRows(xs, train), xTest: takeRows(xs, test), yTrain: takeRows(ys, train), yTest: takeRows(ys, test), trainIndices: train, testIndices: test };
}

/** The index form of trainTestSplit: ascending training and test indices of n samples. */
export function holdOutIndices(n: number, options: TrainTestSplitOptions = {}, stratifyBy: TensorLike | null = null): { train: Int32Array; test: Int32Array } {
  const where = 'trainTestSplit';
  const size = options.testSize ?? 0.25;
  if (typeof size !== 'number' || !(size > 0) || (size >= 1 && !Number.isInteger(size))) {
    throw new ValueError(`${where}: option 'testSize' expected a fraction in (0, 1) or a whole number of samples, received ${describe(size)}`);
  }
  const nTest = size < 1 ? Math.ceil(size * n) : size;
  if (nTest >= n) throw new ValueError(`${where}: testSize ${size} of ${n} samples leaves no training samples`);
  const shuffle = options.shuffle ?? true;
  const order = stratifyBy !== null ? groupedByClass(sampleKeys(where, 'y', stratifyBy), shuffle) : shuffle ? rng().permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  // Position p goes to the test part when the running quota floor(p * nTest / n) steps up there: nTest
  // positions, evenly spread, so every class's share of the test part is proportional within one sample.
  const isTest = (p: number) => Math.floor(((p + 1) * nTest) / n) > Math.floor((p * nTest) / n);
  const [train, test] = foldsFrom(order, (p) => (stratifyBy !== null || shuffle ? (isTest(p) ? 1 : 0) : p >= n - nTest ? 1 : 0), 2, 0).map((f) => f.test);
  return { train: train!, test: test! };
}

function countOf(where: string, samples: number | TensorLike, folds: number): number {
  const n = typeof samples === 'number' ? samples : sampleKeys(where, 'samples', samples).length;
  if (!Number.isInteger(n) || n < folds) throw new ValueError(`${where}: ${folds} folds need at least ${folds} samples, received ${describe(n)}`);
  return n;
}

/** Sample indices grouped by class (classes in increasing order), shuffled within each class. */
function groupedByClass(keys: Float64Array, shuffle: boolean): Int32Array {
  const order = shuffle ? rng().permutation(keys.length) : Int32Array.from({ length: keys.length }, (_, i) => i);
  // A stable sort by class keeps the shuffled order within each class.
  return Int32Array.from(Array.from(order).sort((a, b) => keys[a]! - keys[b]!));
}

/** Folds from an order of the samples and the fold of each position in it. */
function foldsFrom(order: Int32Array, foldOf: (position: number) => number, folds: number, repeat: number): Fold[] {
  const members = Array.from({ length: folds }, () => [] as number[]);
  order.forEach((sample, p) => members[foldOf(p)]!.push(sample));
  const fold = new Int32Array(order.length);
  members.forEach((m, f) => m.forEach((s) => (fold[s] = f)));
  return members.map((_, f) => {
    const test: number[] = [], train: number[] = [];
    for (let s = 0; s < order.length; s++) (fold[s] === f ? test : train).push(s);
    return { repeat, fold: f, train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}
