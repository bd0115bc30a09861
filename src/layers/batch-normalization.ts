/**
 * BatchNormalization: normalises each feature (the last axis by default) to mean 0 and variance 1, then
 * scales by gamma and shifts by beta. Training uses the batch's statistics and updates moving averages
 * in place; inference, and a frozen layer (trainable = false), use the moving averages. Keras's
 * defaults: momentum 0.99, epsilon 1e-3.
 */
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import * as ops from '../ops/index.js';
import { noGrad } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ValueError, describe } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { CallOptions, LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis (default -1, channels last). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  /** Learn a shift beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  #gamma: Variable | null = null;
  #beta: Variable | null = null;
  #movingMean: Variable | null = null;
  #movingVariance: Variable | null = null;
  /** The feature axis, resolved against the input's rank at build. */
  #featureAxis = -1;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    this.supportsMasking = true;
    this.axis = options.axis ?? -1;
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`${this.label}: option 'momentum' expected a number in [0, 1], received ${describe(options.momentum)}`);
    }
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0)) {
      throw new ValueError(`${this.label}: option 'epsilon' expected a positive number, received ${describe(options.epsilon)}`);
    }
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = this.initializerOption(options.betaInitializer, 'zeros', 'betaInitializer');
    this.gammaInitializer = this.initializerOption(options.gammaInitializer, 'ones', 'gammaInitializer');
    this.movingMeanInitializer = this.initializerOption(options.movingMeanInitializer, 'zeros', 'movingMeanInitializer');
    this.movingVarianceInitializer = this.initializerOption(options.movingVarianceInitializer, 'ones', 'movingVarianceInitializer');
    this.betaRegularizer = this.regularizerOption(options.betaRegularizer, 'betaRegularizer');
    this.gammaRegularizer = this.regularizerOption(options.gammaRegularizer, 'gammaRegularizer');
  }

  override build(inputShape: LayerShape): void {
    this.#featureAxis = normalizeAxis(this.label, this.axis, inputShape.length);
    const size = inputShape[this.#featureAxis];
    if (size === null || size === undefined) {
      throw new ValueError(`${this.label}: the size of the feature axis ${this.axis} must be known, received shape [${inputShape.join(', ')}]`);
    }
    const shape = [size];
    if (this.scale) this.#gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center) this.#beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    this.#movingMean = this.addWeight({ name: 'moving_mean', shape, initializer: this.movingMeanInitializer, trainable: false });
    this.#movingVariance = this.addWeight({ name: 'moving_variance', shape, initializer: this.movingVarianceInitializer, trainable: false });
    this.inputSpec = { rank: inputShape.length, axes: { [this.#featureAxis]: size } };
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.betaInitializer, label, 'betaInitializer'),
      gamma_initializer: initializerConfig(this.gammaInitializer, label, 'gammaInitializer'),
      moving_mean_initializer: initializerConfig(this.movingMeanInitializer, label, 'movingMeanInitializer'),
      moving_variance_initializer: initializerConfig(this.movingVarianceInitializer, label, 'movingVarianceInitializer'),
      beta_regularizer: regularizerConfig(this.betaRegularizer, label, 'betaRegularizer'),
      gamma_regularizer: regularizerConfig(this.gammaRegularizer, label, 'gammaRegularizer'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): BatchNormalization {
    // Keras writes the axis as a list when the layer was built ([3]); one axis is all layerwise normalises over.
    const axis = c.get('axis');
    return new BatchNormalization({
      ...c.base(),
      axis: Array.isArray(axis) && axis.length === 1 ? c.shape('axis')[0] ?? -1 : c.integer('axis', -1),
      momentum: c.number('momentum', 0.99),
      epsilon: c.number('epsilon', 1e-3),
      center: c.boolean('center', true),
      scale: c.boolean('scale', true),
      betaInitializer: c.initializer('beta_initializer'),
      gammaInitializer: c.initializer('gamma_initializer'),
      movingMeanInitializer: c.initializer('moving_mean_initializer'),
      movingVarianceInitializer: c.initializer('moving_variance_initializer'),
      betaRegularizer: c.regularizer('beta_regularizer'),
      gammaRegularizer: c.regularizer('gamma_regularizer'),
    });
  }

  call(x: Tensor, options: CallOptions): Tensor {
    // A frozen layer (trainable = false) normalizes with its moving statistics even in training, as Keras
    // does: fine-tuning on top of a frozen base must not move the statistics the base learned.
    const training = options.training === true && this.trainable;
    const reduced = x.shape.map((_, i) => i).filter((i) => i !== this.#featureAxis);
    const broadcast = x.shape.map((d, i) => (i === this.#featureAxis ? d : 1));
    let mean: Tensor, variance: Tensor;
    if (training) {
      mean = ops.mean(x, reduced, { keepDims: true });
      variance = ops.variance(x, reduced, { keepDims: true });
      this.#updateMovingAverages(mean, variance);
    } else {
      mean = ops.reshape(this.#movingMean!, broadcast);
      variance = ops.reshape(this.#movingVariance!, broadcast);
    }
    let y = ops.mul(ops.sub(x, mean), ops.rsqrt(ops.add(variance, this.epsilon)));
    if (this.#gamma) y = ops.mul(y, ops.reshape(this.#gamma, broadcast));
    if (this.#beta) y = ops.add(y, ops.reshape(this.#beta, broadcast));
    return y;
  }

  #updateMovingAverages(mean: Tensor, variance: Tensor): void {
    noGrad(() => {
      const m = this.momentum;
      const mm = this.#movingMean!, mv = this.#movingVariance!;
      const blend = (moving: Variable, batch: Tensor): Tensor =>
        ops.cast(ops.add(ops.mul(moving, m), ops.mul(ops.reshape(batch, moving.shape), 1 - m)), moving.dtype);
      mm.assign(blend(mm, mean));
      mv.assign(blend(mv, variance));
    });
  }
}
