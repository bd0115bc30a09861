/**
 * The preprocessing contract: `fit(x)` (Keras calls it `adapt`) learns what a step needs from training
 * data, `transform(x)` applies it to any data, and `clone()` gives an unfitted copy with the same
 * options, so cross-validation fits a fresh one on each training part and nothing leaks from the
 * held-out part. Features lie along the last axis; every other axis counts samples.
 */
import { alloc } from '../backend/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import type { FloatArray, TypedArray } from '../util/dtype.js';
import { ShapeError, ValueError } from '../util/errors.js';

export abstract class Transformer {
  /** Feature count seen by fit (null before fit, or for steps that accept any count). */
  #features: number | null = null;
  #fitted = false;

  get fitted(): boolean {
    return this.#fitted;
  }

  /** Learns from training data; returns this. */
  fit(x: TensorLike): this {
    const t = toTensor(`${this.constructor.name}.fit`, 'x', x);
    this.learn(t);
    this.#features = this.checksFeatureCount ? featureCount(`${this.constructor.name}.fit`, t) : null;
    this.#fitted = true;
    return this;
  }

  /** Keras's name for fit. */
  adapt(x: TensorLike): this {
    return this.fit(x);
  }

  transform(x: TensorLike): Tensor {
    const where = `${this.constructor.name}.transform`;
    if (!this.#fitted && !this.stateless) throw new ValueError(`${where}: call fit(x) (or adapt(x)) on training data first`);
    const t = toTensor(where, 'x', x);
    if (this.#features !== null && featureCount(where, t) !== this.#features) {
      throw new ShapeError(`${where}: expected ${this.#features} features (the last axis, as in fit), received shape [${t.shape.join(', ')}]`);
    }
    return this.apply(t);
  }

  fitTransform(x: TensorLike): Tensor {
    return this.fit(x).transform(x);
  }

  /** An unfitted copy with the same options. */
  abstract clone(): Transformer;

  /** True for steps that learn nothing from data (a fixed function): transform works without fit. */
  get stateless(): boolean {
    return false;
  }

  /** Whether transform requires the feature count seen by fit (false for steps that work on any shape). */
  protected get checksFeatureCount(): boolean {
    return true;
  }

  protected abstract learn(x: Tensor): void;
  protected abstract apply(x: Tensor): Tensor;
}

/** Size of the last axis (the features); data needs at least two axes: samples and features. */
export function featureCount(where: string, x: Tensor): number {
  if (x.rank < 2) {
    throw new ShapeError(`${where}: argument 'x' expected samples along the first axis and features along the last, received shape [${x.shape.join(', ')}] (reshape a single feature to [n, 1])`);
  }
  return x.shape[x.rank - 1]!;
}

/** Per-feature statistics over every other axis, NaN values left out. */
export interface FeatureStats {
  /** Values that are not NaN. */
  count: Float64Array;
  mean: Float64Array;
  /** Population variance (divided by count). */
  variance: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export function featureStats(where: string, x: Tensor): FeatureStats {
  const k = featureCount(where, x);
  const v = storage(x);
  const count = new Float64Array(k), sum = new Float64Array(k);
  const min = new Float64Array(k).fill(Infinity), max = new Float64Array(k).fill(-Infinity);
  for (let i = 0; i < v.length; i++) {
    const value = v[i]!;
    if (Number.isNaN(value)) continue;
    const f = i % k;
    count[f]!++;
    sum[f]! += value;
    if (value < min[f]!) min[f] = value;
    if (value > max[f]!) max[f] = value;
  }
  const mean = sum.map((s, f) => (count[f]! > 0 ? s / count[f]! : NaN));
  // Squared deviations from the mean (two passes): exact where the one-pass formula cancels.
  const squares = new Float64Array(k);
  for (let i = 0; i < v.length; i++) {
    const value = v[i]!;
    if (!Number.isNaN(value)) squares[i % k]! += (value - mean[i % k]!) ** 2;
  }
  const variance = squares.map((s, f) => (count[f]! > 0 ? s / count[f]! : NaN));
  return { count, mean, variance, min, max };
}

/** Output storage: float64 data stays float64, everything else becomes float32 (in the backend's memory). */
export function floatLike(x: Tensor, length = x.size): FloatArray {
  return x.dtype === 'float64' ? new Float64Array(length) : (alloc('float32', length) as Float32Array);
}

/** The values of the features of a tensor, applying `f(value, feature)` to each. */
export function mapFeatures(x: Tensor, f: (value: number, feature: number) => number): FloatArray {
  const k = x.shape[x.rank - 1]!;
  const v: TypedArray = storage(x);
  const out = floatLike(x);
  for (let i = 0; i < v.length; i++) out[i] = f(v[i]!, i % k);
  return out;
}
