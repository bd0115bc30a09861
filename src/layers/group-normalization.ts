/**
 * GroupNormalization (Wu and He 2018): the channels are split into `groups`, and each sample is normalized
 * over each group's channels and all spatial positions together, then scaled by gamma and shifted by beta
 * per channel. It does not depend on the batch, so it works at batch size 1. groups = channels is
 * instance normalization, groups = 1 layer normalization over all axes. Keras's defaults: 32 groups,
 * epsilon 1e-3.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError } from '../util/errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, constraintId, initializerId, regularizerId } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface GroupNormalizationOptions extends LayerOptions {
  /** Number of channel groups; must divide the channels (default 32). */
  groups?: number;
  /** The channel axis (default -1). */
  axis?: number;
  epsilon?: number;
  /** Learn a shift beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  groups: is.positiveInteger.optional(),
  axis: is.integer.optional(),
  epsilon: is.positive.optional(),
  center: is.boolean.optional(),
  scale: is.boolean.optional(),
  betaInitializer: initializerId.optional(),
  gammaInitializer: initializerId.optional(),
  betaRegularizer: regularizerId.optional(),
  gammaRegularizer: regularizerId.optional(),
  betaConstraint: constraintId.optional(),
  gammaConstraint: constraintId.optional(),
} satisfies SpecFor<GroupNormalizationOptions>);

export class GroupNormalization extends Layer {
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  #gamma: Variable | null = null;
  #beta: Variable | null = null;
  #channelAxis = -1;

  constructor(options: GroupNormalizationOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.groups = o.groups ?? 32;
    this.axis = o.axis ?? -1;
    this.epsilon = o.epsilon ?? 1e-3;
    this.center = o.center ?? true;
    this.scale = o.scale ?? true;
    this.betaInitializer = this.initializerOption(o.betaInitializer, 'zeros', 'betaInitializer');
    this.gammaInitializer = this.initializerOption(o.gammaInitializer, 'ones', 'gammaInitializer');
    this.betaRegularizer = this.regularizerOption(o.betaRegularizer, 'betaRegularizer');
    this.gammaRegularizer = this.regularizerOption(o.gammaRegularizer, 'gammaRegularizer');
    this.betaConstraint = this.constraintOption(o.betaConstraint, 'betaConstraint');
    this.gammaConstraint = this.constraintOption(o.gammaConstraint, 'gammaConstraint');
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape): void {
    this.#channelAxis = normalizeAxis(this.label, this.axis, inputShape.length);
    const channels = inputShape[this.#channelAxis];
    if (this.#channelAxis === 0 || channels === null || channels === undefined) {
      throw new ShapeError(`${this.label}: axis ${this.axis} must be a known channel axis, received shape ${fmtLayerShape(inputShape)}`);
    }
    if (channels % this.groups !== 0) {
      throw new ShapeError(`${this.label}: option 'groups' (${this.groups}) must divide the ${channels} channels of axis ${this.axis}, received shape ${fmtLayerShape(inputShape)}`);
    }
    const shape = [channels];
    if (this.scale) this.#gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.#beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.inputSpec = { rank: inputShape.length, axes: { [this.#channelAxis]: channels } };
  }

  call(x: Tensor): Tensor {
    const a = this.#channelAxis, channels = x.shape[a]!;
    // [..., channels, ...] -> [..., groups, channels / groups, ...]; statistics over all but batch and group.
    const grouped = ops.reshape(x, [...x.shape.slice(0, a), this.groups, channels / this.groups, ...x.shape.slice(a + 1)]);
    const reduced = grouped.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a);
    const mean = ops.mean(grouped, reduced, { keepDims: true });
    const variance = ops.variance(grouped, reduced, { keepDims: true });
    let y = ops.reshape(ops.mul(ops.sub(grouped, mean), ops.rsqrt(ops.add(variance, this.epsilon))), x.shape);
    const broadcast = x.shape.map((d, i) => (i === a ? d : 1));
    if (this.#gamma) y = ops.mul(y, ops.reshape(this.#gamma, broadcast));
    if (this.#beta) y = ops.add(y, ops.reshape(this.#beta, broadcast));
    return y;
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerConfig(this.betaInitializer, label, 'betaInitializer'),
      gamma_initializer: initializerConfig(this.gammaInitializer, label, 'gammaInitializer'),
      beta_regularizer: regularizerConfig(this.betaRegularizer, label, 'betaRegularizer'),
      gamma_regularizer: regularizerConfig(this.gammaRegularizer, label, 'gammaRegularizer'),
      beta_constraint: constraintConfig(this.betaConstraint, label, 'betaConstraint'),
      gamma_constraint: constraintConfig(this.gammaConstraint, label, 'gammaConstraint'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): GroupNormalization {
    return new GroupNormalization({
      ...c.base(),
      groups: c.integer('groups', 32),
      axis: c.integer('axis', -1),
      epsilon: c.number('epsilon', 1e-3),
      center: c.boolean('center', true),
      scale: c.boolean('scale', true),
      betaInitializer: c.initializer('beta_initializer'),
      gammaInitializer: c.initializer('gamma_initializer'),
      betaRegularizer: c.regularizer('beta_regularizer'),
      gammaRegularizer: c.regularizer('gamma_regularizer'),
      betaConstraint: c.constraint('beta_constraint'),
      gammaConstraint: c.constraint('gamma_constraint'),
    });
  }
}
