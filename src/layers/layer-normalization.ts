/**
 * LayerNormalization: each sample normalized over its feature axes (the last by default) to mean 0 and
 * variance 1, then scaled by gamma and shifted by beta (weights of the normalized axes' shape), by the
 * fused `layerNorm` op. Unlike BatchNormalization it keeps no statistics between batches, so training and
 * inference compute the same thing. Keras's defaults: epsilon 1e-3, center and scale on. Masks pass through.
 */
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { layerNorm, reshape, transpose } from '../ops/index.js';
import { ones, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, initializerId, preLabel, regularizerId } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis or axes normalized over (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance before its square root (default 1e-3). */
  epsilon?: number;
  /** Learn a shift beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  axis: is.integer.or(is.arrayOf(is.integer, { minLength: 1 })).optional(),
  epsilon: is.positive.optional(),
  center: is.boolean.optional(),
  scale: is.boolean.optional(),
  betaInitializer: initializerId.optional(),
  gammaInitializer: initializerId.optional(),
  betaRegularizer: regularizerId.optional(),
  gammaRegularizer: regularizerId.optional(),
} satisfies SpecFor<LayerNormalizationOptions>);

export class LayerNormalization extends Layer {
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  #gamma: Variable | null = null;
  #beta: Variable | null = null;
  /** The normalized axes, resolved against the input's rank at build (ascending). */
  #axes: number[] = [];
  /** The sizes of the normalized axes: the weights' shape. */
  #paramShape: number[] = [];

  constructor(options: LayerNormalizationOptions = {}) {
    const o = OPTIONS.parse(preLabel('LayerNormalization', options), options);
    super(options);
    this.supportsMasking = true;
    this.axis = o.axis ?? -1;
    this.epsilon = o.epsilon ?? 1e-3;
    this.center = o.center ?? true;
    this.scale = o.scale ?? true;
    this.betaInitializer = this.initializerOption(o.betaInitializer, 'zeros', 'betaInitializer');
    this.gammaInitializer = this.initializerOption(o.gammaInitializer, 'ones', 'gammaInitializer');
    this.betaRegularizer = this.regularizerOption(o.betaRegularizer, 'betaRegularizer');
    this.gammaRegularizer = this.regularizerOption(o.gammaRegularizer, 'gammaRegularizer');
  }

  override build(inputShape: LayerShape): void {
    const listed = typeof this.axis === 'number' ? [this.axis] : [...this.axis];
    this.#axes = [...new Set(listed.map((a) => normalizeAxis(this.label, a, inputShape.length, 'axis')))].sort((a, b) => a - b);
    if (this.#axes.length !== listed.length) throw new ValueError(`${this.label}: option 'axis' names an axis twice: [${listed.join(', ')}]`);
    if (this.#axes.includes(0) && inputShape.length > 1) {
      throw new ShapeError(`${this.label}: option 'axis' names the batch axis 0 of an input of shape ${fmtLayerShape(inputShape)}; normalize over feature axes`);
    }
    this.#paramShape = this.#axes.map((a) => {
      const size = inputShape[a];
      if (size === null || size === undefined) {
        throw new ShapeError(`${this.label}: the sizes of the normalized axes must be known, received shape ${fmtLayerShape(inputShape)} (axis ${a} unknown)`);
      }
      return size;
    });
    const shape = this.#paramShape;
    if (this.scale) this.#gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center) this.#beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    this.inputSpec = { rank: inputShape.length, axes: Object.fromEntries(this.#axes.map((a, i) => [a, shape[i]!])) };
  }

  call(x: Tensor): Tensor {
    const rank = x.rank;
    const features = this.#paramShape.reduce((n, d) => n * d, 1);
    const gamma = this.#gamma ? reshape(this.#gamma, [features]) : ones([features], x.dtype);
    const beta = this.#beta ? reshape(this.#beta, [features]) : zeros([features], x.dtype);
    // The normalized axes last (a copy only when they are not last already), flattened into one.
    const rest = x.shape.map((_, i) => i).filter((a) => !this.#axes.includes(a));
    const perm = [...rest, ...this.#axes];
    const moved = transpose(x, perm);
    const y = layerNorm(reshape(moved, [...moved.shape.slice(0, rank - this.#axes.length), features]), gamma, beta, { epsilon: this.epsilon });
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return transpose(reshape(y, moved.shape), inverse);
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.betaInitializer, label, 'betaInitializer'),
      gamma_initializer: initializerConfig(this.gammaInitializer, label, 'gammaInitializer'),
      beta_regularizer: regularizerConfig(this.betaRegularizer, label, 'betaRegularizer'),
      gamma_regularizer: regularizerConfig(this.gammaRegularizer, label, 'gammaRegularizer'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): LayerNormalization {
    const axis = c.get('axis');
    const axes = Array.isArray(axis) ? axis : axis === undefined || axis === null ? -1 : axis;
    const read = OPTIONS.spec.axis.test(axes);
    if (typeof read !== 'number' && !Array.isArray(read)) throw c.fail('axis', 'an integer or a list of integers');
    if (c.boolean('rms_scaling', false)) throw c.fail('rms_scaling', 'false (RMS scaling is not supported)');
    return new LayerNormalization({
      ...c.base(),
      axis: read,
      epsilon: c.number('epsilon', 1e-3),
      center: c.boolean('center', true),
      scale: c.boolean('scale', true),
      betaInitializer: c.initializer('beta_initializer'),
      gammaInitializer: c.initializer('gamma_initializer'),
      betaRegularizer: c.regularizer('beta_regularizer'),
      gammaRegularizer: c.regularizer('gamma_regularizer'),
    });
  }
}
