/**
 * Value normalization as the seed asks for it: each feature scaled on its own, from statistics of the
 * training data. StandardScaler gives mean 0 and standard deviation 1; MinMaxScaler maps [min, max] to
 * a range (default [0, 1]). NaN values are ignored by fit and kept by transform (impute them first). A
 * constant feature keeps scale 1, so it is shifted but never divided by zero.
 */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { Transformer, featureStats, mapFeatures } from './transformer.js';

/** StandardScaler takes no options: a misspelt sklearn or Keras option must not pass silently. */
export type StandardScalerOptions = Record<string, never>;

const STANDARD_OPTIONS = optionsSpec({});

export class StandardScaler extends Transformer {
  constructor(options: StandardScalerOptions = {}) {
    super();
    STANDARD_OPTIONS.parse('StandardScaler', options);
  }

  /** Per-feature mean and standard deviation (population), set by fit. */
  mean: Float64Array = new Float64Array(0);
  std: Float64Array = new Float64Array(0);

  clone(): StandardScaler {
    return new StandardScaler();
  }

  protected learn(x: Tensor): void {
    const stats = featureStats('StandardScaler.fit', x);
    this.mean = stats.mean;
    this.std = stats.variance.map(Math.sqrt);
  }

  protected apply(x: Tensor): Tensor {
    return new Tensor(mapFeatures(x, (v, f) => (v - this.mean[f]!) / scaleOf(this.std[f]!)), x.shape);
  }

  /** Back to the original units. */
  inverseTransform(x: TensorLike): Tensor {
    const t = toTensor('StandardScaler.inverseTransform', 'x', x);
    return new Tensor(mapFeatures(t, (v, f) => v * scaleOf(this.std[f]!) + this.mean[f]!), t.shape);
  }
}

export interface MinMaxScalerOptions {
  /** The range the training minimum and maximum map to (default [0, 1]). */
  featureRange?: readonly [number, number];
}

const MIN_MAX_OPTIONS = optionsSpec({
  featureRange: is
    .arrayOf(is.finite, { length: 2 })
    .where(([low, high]) => low! < high!, '[low, high] with low < high (finite numbers)')
    .to(([low, high]): readonly [number, number] => [low!, high!])
    .default([0, 1]),
} satisfies SpecFor<MinMaxScalerOptions>);

export class MinMaxScaler extends Transformer {
  readonly featureRange: readonly [number, number];
  min: Float64Array = new Float64Array(0);
  max: Float64Array = new Float64Array(0);

  constructor(options: MinMaxScalerOptions = {}) {
    super();
    this.featureRange = MIN_MAX_OPTIONS.parse('MinMaxScaler', options).featureRange;
  }

  clone(): MinMaxScaler {
    return new MinMaxScaler({ featureRange: this.featureRange });
  }

  protected learn(x: Tensor): void {
    const stats = featureStats('MinMaxScaler.fit', x);
    this.min = stats.min;
    this.max = stats.max;
  }

  protected apply(x: Tensor): Tensor {
    const [low, high] = this.featureRange;
    return new Tensor(mapFeatures(x, (v, f) => low + ((v - this.min[f]!) * (high - low)) / scaleOf(this.max[f]! - this.min[f]!)), x.shape);
  }
}

/** A spread of 0 (a constant feature) or NaN (an all-NaN one) scales by 1 instead. */
function scaleOf(spread: number): number {
  return spread > 0 && Number.isFinite(spread) ? spread : 1;
}
