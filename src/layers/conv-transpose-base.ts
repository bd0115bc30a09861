/**
 * What Conv2DTranspose and Conv3DTranspose share: a [...kernelSize, filters, inChannels] kernel (Keras's
 * layout), `outputPadding`, the output size of a transposed convolution, and their config. Each adds only
 * the op it calls.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { transposedOutputSize, tuple } from '../util/conv-geometry.js';
import type { LayerConfig } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { constraintConfig, initializerConfig, regularizerConfig } from './config.js';
import type { ConvBaseOptions } from './conv-base.js';
import { ConvBase, convBaseChecks } from './conv-base.js';
import type { Window } from './layer-options.js';
import { constraintId, initializerId, isNull, outputPadding2, outputPadding3, regularizerId, window2, window3 } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export interface ConvTransposeOptions extends ConvBaseOptions<Window> {
  filters: number;
  /** Extra rows and columns (and planes) after the output, each smaller than its stride; null for Keras's default size. */
  outputPadding?: Window | null;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}

const spec = (window: typeof window2, outputPadding: typeof outputPadding2) =>
  optionsSpec({
    ...convBaseChecks(window),
    filters: is.positiveInteger,
    outputPadding: outputPadding.or(isNull).optional(),
    kernelInitializer: initializerId.optional(),
    kernelRegularizer: regularizerId.optional(),
    kernelConstraint: constraintId.optional(),
  } satisfies SpecFor<ConvTransposeOptions>);

const SPECS = { 2: spec(window2, outputPadding2), 3: spec(window3, outputPadding3) };

export abstract class ConvTransposeBase extends ConvBase {
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  #kernel: Variable | null = null;

  constructor(options: ConvTransposeOptions, spatialRank: 2 | 3) {
    super(options, spatialRank, SPECS[spatialRank]);
    const o = SPECS[spatialRank].parse(this.label, options);
    this.filters = o.filters;
    this.outputPadding = o.outputPadding === null || o.outputPadding === undefined ? null : tuple(this.label, 'outputPadding', o.outputPadding, spatialRank, 0);
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.kernelConstraint = this.constraintOption(o.kernelConstraint, 'kernelConstraint');
  }

  /** The kernel, once built. */
  protected get kernel(): Variable {
    return this.#kernel!;
  }

  override build(inputShape: LayerShape): void {
    const channels = this.channels(inputShape);
    this.#kernel = this.addWeight({
      name: 'kernel', shape: [...this.kernelSize, this.filters, channels],
      initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
    this.inputSpec = { rank: this.spatialRank + 2, axes: { [-1]: channels } };
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.channels(inputShape);
    const sizes = inputShape.slice(1, 1 + this.spatialRank).map((d, i) =>
      d === null || d === undefined ? null : transposedOutputSize(d, this.kernelSize[i]!, this.strides[i]!, this.padding, this.dilationRate[i]!, this.outputPadding?.[i] ?? null),
    );
    return [inputShape[0] ?? null, ...sizes, this.filters];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      filters: this.filters,
      output_padding: this.outputPadding ? [...this.outputPadding] : null,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      kernel_constraint: constraintConfig(this.kernelConstraint, label, 'kernelConstraint'),
      ...super.getConfig(),
    };
  }

  /** The options a saved config of this rank describes. */
  protected static readTransposed(c: ConfigReader, spatialRank: 2 | 3): ConvTransposeOptions {
    const outputPadding = c.get('output_padding');
    return {
      ...ConvBase.readBase(c, spatialRank),
      filters: c.integer('filters'),
      outputPadding: outputPadding === undefined || outputPadding === null ? null : c.intOrTuple('output_padding', spatialRank),
      kernelInitializer: c.initializer('kernel_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      kernelConstraint: c.constraint('kernel_constraint'),
    };
  }
}
