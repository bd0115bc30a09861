/**
 * Normalization: (x - mean) / sqrt(variance) per feature (the last axis), with the statistics learned
 * from training data by `adapt(x)` or given as options. They are non-trainable weights of the layer
 * (mean, variance and the sample count, as in Keras), so a saved model normalizes its inputs the way it
 * was trained, and raw inputs can go straight into it.
 */
import { featureCount, featureStats } from '../data/index.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { tensor, toTensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer, lastDimension } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface NormalizationOptions extends LayerOptions {
  /** Per-feature means, instead of adapt (give variance too). */
  mean?: readonly number[];
  /** Per-feature variances, instead of adapt (give mean too). */
  variance?: readonly number[];
}

/** Keras's backend epsilon: the smallest standard deviation divided by, so constant features stay finite. */
const EPSILON = 1e-7;

export class Normalization extends Layer {
  #mean: Variable | null = null;
  #variance: Variable | null = null;
  #count: Variable | null = null;
  readonly #given: { mean: readonly number[]; variance: readonly number[] } | null;

  constructor(options: NormalizationOptions = {}) {
    super(options);
    const { mean, variance } = options;
    if ((mean === undefined) !== (variance === undefined)) {
      throw new ValueError(`${this.label}: give both options 'mean' and 'variance', or neither (and call adapt)`);
    }
    for (const [arg, v] of [['mean', mean], ['variance', variance]] as const) {
      if (v !== undefined && (!Array.isArray(v) || v.length === 0 || !v.every(Number.isFinite))) {
        throw new ValueError(`${this.label}: option '${arg}' expected a non-empty array of finite numbers, received ${describe(v)}`);
      }
    }
    if (mean && variance && mean.length !== variance.length) {
      throw new ValueError(`${this.label}: options 'mean' and 'variance' expected one value per feature each, received ${mean.length} and ${variance.length}`);
    }
    if (variance?.some((v) => v < 0)) throw new ValueError(`${this.label}: option 'variance' expected non-negative values, received ${describe(variance)}`);
    this.#given = mean && variance ? { mean, variance } : null;
  }

  /** The per-feature means, variances and sample count the layer normalizes with. */
  get statistics(): { mean: number[]; variance: number[]; count: number } | null {
    if (!this.#mean) return null;
    return { mean: [...this.#mean.data()], variance: [...this.#variance!.data()], count: this.#count!.item() };
  }

  override build(inputShape: LayerShape): void {
    const k = lastDimension(this.label, inputShape);
    if (this.#given && this.#given.mean.length !== k) {
      throw new ShapeError(`${this.label}: options 'mean' and 'variance' hold ${this.#given.mean.length} features, but the input has ${k} (shape [${inputShape.join(', ')}])`);
    }
    this.#mean = this.addWeight({ name: 'mean', shape: [k], initializer: 'zeros', trainable: false });
    this.#variance = this.addWeight({ name: 'variance', shape: [k], initializer: 'ones', trainable: false });
    this.#count = this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false });
    if (this.#given) {
      this.#mean.assign(tensor([...this.#given.mean], { dtype: this.dtype }));
      this.#variance.assign(tensor([...this.#given.variance], { dtype: this.dtype }));
    }
    this.inputSpec = { minRank: 2, axes: { [-1]: k } };
  }

  /** As Keras writes it: the axis, and the statistics when they were given as options (adapted ones are weights). */
  override getConfig(): LayerConfig {
    return { axis: -1, invert: false, mean: this.#given ? [...this.#given.mean] : null, variance: this.#given ? [...this.#given.variance] : null, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Normalization {
    const axis = c.get('axis');
    if (!(axis === undefined || axis === null || axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1))) {
      throw c.fail('axis', '-1 (layerwise normalizes the last axis)');
    }
    if (c.boolean('invert', false)) throw c.fail('invert', 'false (the inverse transform is not supported)');
    const stats = (key: string): number[] | undefined => {
      const v = c.get(key);
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'number') return [v];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw c.fail(key, 'a number or an array of numbers');
      return v as number[];
    };
    const mean = stats('mean'), variance = stats('variance');
    return new Normalization({ ...c.base(), ...(mean ? { mean } : {}), ...(variance ? { variance } : {}) });
  }

  /** Learns each feature's mean and variance from `data` (NaN values left out), building the layer if needed. */
  adapt(data: TensorLike): void {
    const where = `${this.label}.adapt`;
    const x = toTensor(where, 'data', data);
    const k = featureCount(where, x);
    this.buildFor([[null, ...x.shape.slice(1)]]);
    const stats = featureStats(where, x);
    const empty = stats.count.findIndex((c) => c === 0);
    if (empty >= 0) throw new ValueError(`${where}: feature ${empty} of ${k} is NaN in every sample; impute or drop it first`);
    this.#mean!.assign(tensor(stats.mean, { dtype: this.dtype }));
    this.#variance!.assign(tensor(stats.variance, { dtype: this.dtype }));
    this.#count!.assign(tensor(x.size / k, { dtype: this.dtype }));
  }

  call(x: Tensor): Tensor {
    const std = ops.maximum(ops.sqrt(this.#variance!), EPSILON);
    return ops.div(ops.sub(x, this.#mean!), std);
  }
}
