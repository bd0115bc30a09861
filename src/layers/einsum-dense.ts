/**
 * EinsumDense: a dense layer of any dimensionality, written as an einsum of the input and the kernel
 * (`'abc,cde->abde'` projects each step to [heads, size]), with a bias over the output letters named in
 * `biasAxes`; Keras's layer, which MultiHeadAttention builds its projections from. `output_shape` gives
 * the sizes of the output's letters after the batch (null where the input decides); a leading `...`
 * stands for axes passed through. Where the kernel's contracted letters end the input and start the
 * kernel, and the bias covers every kernel letter of the output (a dense layer on the last axes, as every
 * projection of attention is), it runs as the fused `linear` op.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { add, einsum, linear, parseEinsum, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, activationId, initializerId, preLabel, regularizerId } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { activationConfig, initializerConfig, regularizerConfig } from './config.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

/** What an EinsumDense computes for inputs of one rank: its explicit equation and the shapes it makes. */
export interface EinsumDensePlan {
  /** The equation with any `...` replaced by letters. */
  readonly equation: string;
  readonly kernelShape: number[];
  /** Null without a bias. */
  readonly biasShape: number[] | null;
  readonly outputShape: LayerShape;
  /**
   * Set when the product is a dense layer on the last axes (see the top of the file): the input's axes
   * kept as rows, the sizes contracted and made, and the shape of what is made per row.
   */
  readonly dense: { rowAxes: number; contracted: number; units: number; unitShape: number[] } | null;
}

/** The equation's terms, `...` taken off (and said), checked as an einsum of two operands. */
function explicitTerms(label: string, equation: string): { a: string; b: string; out: string; ellipsis: boolean } {
  const compact = equation.replace(/\s+/g, '');
  const ellipsis = /^\.\.\.[a-zA-Z]*,[a-zA-Z]*->\.\.\.[a-zA-Z]*$/.test(compact);
  const explicit = ellipsis ? compact.replace(/\.\.\./g, '') : compact;
  if (explicit.includes('.')) {
    throw new ValueError(`${label}: option 'equation' may use '...' only at the start of the input and of the output ('...ab,bc->...ac'), received '${equation}'`);
  }
  return { ...parseEinsum(label, explicit), ellipsis };
}

/**
 * Plans an einsum-dense product for an input of `inputShape`, as Keras's `_analyze_einsum_string` does.
 * `partialOutput` gives the output's sizes after the batch letter (after the `...` letters with one),
 * null where the input decides.
 */
export function planEinsumDense(label: string, equation: string, biasAxes: string | null, inputShape: LayerShape, partialOutput: readonly (number | null)[]): EinsumDensePlan {
  const terms = explicitTerms(label, equation);
  let eq = equation;
  let passed = 0;
  if (terms.ellipsis) {
    passed = inputShape.length - terms.a.length;
    if (passed < 0) throw new ShapeError(`${label}: the equation '${equation}' needs an input of rank at least ${terms.a.length}, received shape ${fmtLayerShape(inputShape)}`);
    const free = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((l) => !`${terms.a}${terms.b}${terms.out}`.includes(l)).slice(0, passed).join('');
    eq = `${free}${terms.a},${terms.b}->${free}${terms.out}`;
  }
  const ellipsis = terms.ellipsis;
  const { a, b, out } = parseEinsum(label, eq);
  if (a.length !== inputShape.length) {
    throw new ShapeError(`${label}: the equation '${equation}' expects an input of rank ${a.length}, received shape ${fmtLayerShape(inputShape)}`);
  }
  // Output sizes: the batch (or the passed-through axes) from the input, then partialOutput.
  const leading = ellipsis ? passed : 1;
  if (partialOutput.length !== out.length - leading) {
    throw new ValueError(`${label}: option 'outputShape' expected ${out.length - leading} sizes for the output letters '${out.slice(leading)}' of '${equation}', received [${partialOutput.join(', ')}]`);
  }
  const outputShape: (number | null)[] = [...out].map((letter, i) => {
    const given = i < leading ? null : partialOutput[i - leading] ?? null;
    const at = a.indexOf(letter);
    const fromInput = at >= 0 ? inputShape[at] ?? null : null;
    if (given !== null && fromInput !== null && given !== fromInput) {
      throw new ShapeError(`${label}: option 'outputShape' gives ${given} for letter '${letter}', but the input ${fmtLayerShape(inputShape)} has ${fromInput}`);
    }
    return given ?? fromInput;
  });
  const kernelShape = [...b].map((letter) => {
    const at = a.indexOf(letter);
    const size = at >= 0 ? inputShape[at] : outputShape[out.indexOf(letter)];
    if (size === null || size === undefined) {
      throw new ShapeError(`${label}: the size of kernel letter '${letter}' of '${equation}' must be known (from the input ${fmtLayerShape(inputShape)} or option 'outputShape')`);
    }
    return size;
  });
  let biasShape: number[] | null = null;
  if (biasAxes) {
    for (const letter of biasAxes) {
      if (!out.includes(letter)) throw new ValueError(`${label}: option 'biasAxes' letter '${letter}' is not in the output '${out}' of '${equation}'`);
    }
    const first = Math.min(...[...biasAxes].map((l) => out.indexOf(l)));
    biasShape = [...out.slice(first)].map((letter) => {
      if (!biasAxes.includes(letter)) return 1;
      const size = outputShape[out.indexOf(letter)];
      if (size === null || size === undefined) throw new ShapeError(`${label}: the size of bias letter '${letter}' must be known; give it in option 'outputShape'`);
      return size;
    });
  }
  // A dense layer on the last axes: input = rows + contracted, kernel = contracted + units, output = rows + units.
  const units = [...b].filter((l) => !a.includes(l)).join('');
  const contracted = [...b].filter((l) => a.includes(l)).join('');
  const rows = a.slice(0, a.length - contracted.length);
  const biasOnUnits = biasAxes === null || (biasAxes.length === units.length && [...units].every((l) => biasAxes.includes(l)));
  const isDense = b === contracted + units && a === rows + contracted && out === rows + units && biasOnUnits;
  const size = (letters: string): number => [...letters].reduce((n, l) => n * kernelShape[b.indexOf(l)]!, 1);
  const dense = isDense ? { rowAxes: rows.length, contracted: size(contracted), units: size(units), unitShape: kernelShape.slice(contracted.length) } : null;
  return { equation: eq, kernelShape, biasShape, outputShape, dense };
}

/** The product of an EinsumDense plan: einsum and bias, or the fused linear op where it is a dense layer. */
export function einsumDense(plan: EinsumDensePlan, x: Tensor, kernel: Tensor, bias: Tensor | null): Tensor {
  if (plan.dense) {
    const { rowAxes, contracted, units, unitShape } = plan.dense;
    const y = linear(reshape(x, [-1, contracted]), reshape(kernel, [contracted, units]), bias ? { bias: reshape(bias, [units]) } : {});
    return reshape(y, [...x.shape.slice(0, rowAxes), ...unitShape]);
  }
  const y = einsum(plan.equation, x, kernel);
  return bias ? add(y, bias) : y;
}

export interface EinsumDenseOptions extends LayerOptions {
  /** The product of the input and the kernel: 'abc,cd->abd', '...b,bc->...c'. */
  equation: string;
  /** The output's sizes after the batch axis (after the `...` axes), null where the input decides. */
  outputShape: number | readonly (number | null)[];
  activation?: ActivationIdentifier;
  /** The output letters the bias covers ('' or absent: no bias). */
  biasAxes?: string | null;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  equation: is.nonEmptyString,
  outputShape: is.positiveInteger.or(is.arrayOf(is.positiveInteger.or(is.satisfying<null>('null', (v): v is null => v === null)))),
  activation: activationId.optional(),
  biasAxes: is.string.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  kernelInitializer: initializerId.optional(),
  biasInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  biasRegularizer: regularizerId.optional(),
} satisfies SpecFor<EinsumDenseOptions>);

export class EinsumDense extends Layer {
  readonly equation: string;
  readonly outputShape: readonly (number | null)[];
  readonly activation: Activation;
  readonly biasAxes: string | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  #plan: EinsumDensePlan | null = null;
  #kernel: Variable | null = null;
  #bias: Variable | null = null;

  constructor(options: EinsumDenseOptions) {
    const o = OPTIONS.parse(preLabel('EinsumDense', options), options);
    super(options);
    this.equation = o.equation;
    this.outputShape = typeof o.outputShape === 'number' ? [o.outputShape] : [...o.outputShape];
    this.activation = getActivation(o.activation, this.label);
    this.biasAxes = o.biasAxes ? o.biasAxes : null;
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = this.initializerOption(o.biasInitializer, 'zeros', 'biasInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.biasRegularizer = this.regularizerOption(o.biasRegularizer, 'biasRegularizer');
    explicitTerms(this.label, this.equation);
  }

  override get outputActivation(): string {
    return this.activation.name;
  }

  override build(inputShape: LayerShape): void {
    const plan = planEinsumDense(this.label, this.equation, this.biasAxes, inputShape, this.outputShape);
    this.#plan = plan;
    this.#kernel = this.addWeight({ name: 'kernel', shape: plan.kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (plan.biasShape) this.#bias = this.addWeight({ name: 'bias', shape: plan.biasShape, initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    this.inputSpec = { rank: inputShape.length };
  }

  call(x: Tensor): Tensor {
    return this.activation.apply(einsumDense(this.#plan!, x, this.#kernel!, this.#bias));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = planEinsumDense(this.label, this.equation, this.biasAxes, inputShape, this.outputShape).outputShape;
    return [inputShape[0] ?? null, ...shape.slice(1)];
  }

  override getConfig(): LayerConfig {
    const label = this.label;
    return {
      equation: this.equation,
      output_shape: [...this.outputShape],
      activation: activationConfig(this.activation, label),
      bias_axes: this.biasAxes,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): EinsumDense {
    const shape = c.get('output_shape');
    const outputShape = typeof shape === 'number' ? shape : c.shape('output_shape');
    const biasAxes = c.get('bias_axes');
    return new EinsumDense({
      ...c.base(),
      equation: c.string('equation'),
      outputShape,
      activation: c.activation('activation'),
      biasAxes: typeof biasAxes === 'string' ? biasAxes : null,
      kernelInitializer: c.initializer('kernel_initializer'),
      biasInitializer: c.initializer('bias_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      biasRegularizer: c.regularizer('bias_regularizer'),
    });
  }
}
