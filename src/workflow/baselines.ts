/**
 * Baselines: the scores of a model that ignores its inputs, so "better than a baseline" (the seed's
 * 2.4.5) is a number. Statistics come from the training labels and are scored on the test labels.
 */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { storage } from '../tensor/tensor.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { sampleKeys } from './labels.js';

/** Keras clips probabilities to [1e-7, 1 - 1e-7] in its cross-entropies; the baseline does the same. */
const EPSILON = 1e-7;

export interface ClassificationBaseline {
  /** The most frequent training class (the smallest of equally frequent ones). */
  majorityClass: number;
  /** The accuracy of always predicting it. */
  accuracy: number;
  /** The share of each class in the training labels. */
  classFrequencies: number[];
  /** The cross-entropy of predicting those shares for every sample: the loss to beat. */
  crossentropy: number;
}

/** Classes from integer labels or one-hot rows. */
export function majorityClassBaseline(yTrain: TensorLike, yTest: TensorLike = yTrain): ClassificationBaseline {
  const where = 'majorityClassBaseline';
  const train = classes(where, 'yTrain', yTrain), test = classes(where, 'yTest', yTest);
  const k = [...train, ...test].reduce((most, c) => Math.max(most, c + 1), Math.max(width(yTrain), width(yTest)));
  const counts = new Array<number>(k).fill(0);
  for (const c of train) counts[c]!++;
  const majorityClass = counts.indexOf(Math.max(...counts));
  const classFrequencies = counts.map((c) => c / train.length);
  let hits = 0, crossentropy = 0;
  for (const c of test) {
    if (c === majorityClass) hits++;
    crossentropy -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, classFrequencies[c]!)));
  }
  return { majorityClass, accuracy: hits / test.length, classFrequencies, crossentropy: crossentropy / test.length };
}

export interface RegressionBaseline {
  /** The training mean of each target. */
  mean: number[];
  /** Mean squared and mean absolute error of predicting it. */
  mse: number;
  mae: number;
}

/** Targets [n] or [n, outputs]. */
export function meanBaseline(yTrain: TensorLike, yTest: TensorLike = yTrain): RegressionBaseline {
  const where = 'meanBaseline';
  const train = toTensor(where, 'yTrain', yTrain), test = toTensor(where, 'yTest', yTest);
  const d = train.rank < 2 ? 1 : train.size / train.shape[0]!;
  if ((test.rank < 2 ? 1 : test.size / test.shape[0]!) !== d) throw new ShapeError(`${where}: 'yTrain' and 'yTest' expected the same number of targets per sample, received shapes [${train.shape.join(', ')}] and [${test.shape.join(', ')}]`);
  if (train.size === 0 || test.size === 0) throw new ValueError(`${where}: received no samples`);
  const t = storage(train), v = storage(test);
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < t.length; i++) mean[i % d]! += t[i]! / (t.length / d);
  let se = 0, ae = 0;
  for (let i = 0; i < v.length; i++) {
    const e = v[i]! - mean[i % d]!;
    se += e * e;
    ae += Math.abs(e);
  }
  return { mean, mse: se / v.length, mae: ae / v.length };
}

function classes(where: string, arg: string, y: TensorLike): number[] {
  const keys = Array.from(sampleKeys(where, arg, y));
  if (keys.length === 0) throw new ValueError(`${where}: argument '${arg}' holds no samples`);
  const bad = keys.findIndex((c) => !Number.isInteger(c) || c < 0);
  if (bad >= 0) throw new ValueError(`${where}: argument '${arg}' expected class indices or one-hot rows, received ${keys[bad]} at position ${bad}`);
  return keys;
}

/** The number of columns of one-hot labels (0 for class indices). */
function width(y: TensorLike): number {
  const t = toTensor('majorityClassBaseline', 'y', y);
  return t.rank === 2 && t.shape[1]! > 1 ? t.shape[1]! : 0;
}
