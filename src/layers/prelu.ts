/**
 * PReLU: a leaky rectifier whose negative slope is learned, one per value of a sample (x above 0, alpha *
 * x below). `sharedAxes` (numbered from 1, after the batch axis) share one slope along those axes: for
 * images [batch, h, w, c], sharedAxes [1, 2] learns one slope per channel.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { mul, neg, relu, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, constraintId, initializerId, regularizerId } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface PReLUOptions extends LayerOptions {
  /** Initial slopes (default zeros: the layer starts as a ReLU). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier;
  alphaConstraint?: ConstraintIdentifier;
  /** Axes (from 1) along which one slope is shared. */
  sharedAxes?: number | readonly number[] | null;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  alphaInitializer: initializerId.optional(),
  alphaRegularizer: regularizerId.optional(),
  alphaConstraint: constraintId.optional(),
  sharedAxes: is.positiveInteger.or(is.arrayOf(is.positiveInteger)).or(is.satisfying('null', (v): v is null => v === null)).optional(),
} satisfies SpecFor<PReLUOptions>);

export class PReLU extends Layer {
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: readonly number[];
  #alpha: Variable | null = null;

  constructor(options: PReLUOptions = {}) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.alphaInitializer = this.initializerOption(o.alphaInitializer, 'zeros', 'alphaInitializer');
    this.alphaRegularizer = this.regularizerOption(o.alphaRegularizer, 'alphaRegularizer');
    this.alphaConstraint = this.constraintOption(o.alphaConstraint, 'alphaConstraint');
    this.sharedAxes = o.sharedAxes === undefined || o.sharedAxes === null ? [] : typeof o.sharedAxes === 'number' ? [o.sharedAxes] : [...o.sharedAxes];
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape): void {
    const bad = this.sharedAxes.find((a) => a >= inputShape.length);
    if (bad !== undefined) throw new ValueError(`${this.label}: option 'sharedAxes' names axis ${bad}, but the input ${fmtLayerShape(inputShape)} has axes 1..${inputShape.length - 1}`);
    const shape = inputShape.slice(1).map((d, i) => {
      if (this.sharedAxes.includes(i + 1)) return 1;
      if (d === null) throw new ShapeError(`${this.label}: axis ${i + 1} of the input must be known (or shared) to create the slopes, received shape ${fmtLayerShape(inputShape)}`);
      return d;
    });
    this.#alpha = this.addWeight({ name: 'alpha', shape, initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint });
    this.inputSpec = { rank: inputShape.length, axes: Object.fromEntries(shape.flatMap((d, i) => (this.sharedAxes.includes(i + 1) ? [] : [[i + 1, d]]))) };
  }

  call(x: Tensor): Tensor {
    return sub(relu(x), mul(this.#alpha!, relu(neg(x))));
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      alpha_initializer: initializerConfig(this.alphaInitializer, label, 'alphaInitializer'),
      alpha_regularizer: regularizerConfig(this.alphaRegularizer, label, 'alphaRegularizer'),
      alpha_constraint: constraintConfig(this.alphaConstraint, label, 'alphaConstraint'),
      shared_axes: this.sharedAxes.length === 0 ? null : [...this.sharedAxes],
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): PReLU {
    const shared = c.get('shared_axes');
    return new PReLU({
      ...c.base(),
      alphaInitializer: c.initializer('alpha_initializer'),
      alphaRegularizer: c.regularizer('alpha_regularizer'),
      alphaConstraint: c.constraint('alpha_constraint'),
      sharedAxes: shared === undefined || shared === null ? null : typeof shared === 'number' ? c.integer('shared_axes') : c.shape('shared_axes').map((a) => a ?? 0),
    });
  }
}
