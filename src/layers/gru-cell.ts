/**
 * GRUCell, as Keras and TensorFlow.js compute it: update gate z, reset gate r and candidate hh side by side
 * in the kernels (z, r, h); h' = z * h + (1 - z) * hh.
 *
 * `resetAfter` (Keras 2 and 3's default, the one cuDNN runs) applies the reset gate after the recurrent
 * product, hh = activation(x W_h + r * (h U_h + b_rh)), and keeps two biases, input and recurrent, as a
 * [2, 3 * units] weight; without it (TensorFlow.js's only form) hh = activation(x W_h + b_h + (r * h) U_h)
 * with one bias of [3 * units].
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import { add, gruSequence, linear, matmul, mul, reshape, slice, squeeze, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { CellOptions } from './built-in-cell.js';
import { BuiltInCell, CELL_OPTIONS } from './built-in-cell.js';
import type { ConfigReader } from './config.js';
import { activationConfig } from './config.js';
import { LAYER_OPTIONS, check, preLabel } from './layer-options.js';
import type { CellCallOptions, CellOutput, SequenceCallOptions, SequenceOutput } from './rnn-cell.js';

export interface GRUCellOptions extends LayerOptions, CellOptions {
  /** Of the gates (default sigmoid; TensorFlow.js's default is hardSigmoid). */
  recurrentActivation?: ActivationIdentifier;
  /** Apply the reset gate after the recurrent product, with separate input and recurrent biases (default true, as Keras). */
  resetAfter?: boolean;
}

export const GRU_CELL_OPTIONS = {
  ...CELL_OPTIONS,
  recurrentActivation: check.activation.optional(),
  resetAfter: is.boolean.optional(),
};

const SPEC = optionsSpec({ ...LAYER_OPTIONS, ...GRU_CELL_OPTIONS } satisfies SpecFor<GRUCellOptions>);

export class GRUCell extends BuiltInCell {
  readonly recurrentActivation: Activation;
  readonly resetAfter: boolean;

  /** `where` names the layer that made the cell, for messages (GRU passes its own label). */
  constructor(options: GRUCellOptions, where?: string) {
    const o = SPEC.parse(where ?? preLabel('GRUCell', options), options);
    super(o, where);
    this.recurrentActivation = getActivation(o.recurrentActivation ?? 'sigmoid', where ?? this.label);
    this.resetAfter = o.resetAfter ?? true;
  }

  protected get gates(): number {
    return 3;
  }

  protected override addBias(): Variable {
    if (!this.resetAfter) return super.addBias();
    return this.addWeight({ name: 'bias', shape: [2, 3 * this.units], initializer: this.biasInitializer, regularizer: this.biasRegularizer });
  }

  call(x: Tensor, [h]: readonly Tensor[], options: CellCallOptions): CellOutput {
    const units = this.units;
    const bias = this.bias;
    // Keras 2's recurrent dropout: on the state where it enters a product, not in z * h.
    const hDropped = this.droppedState(h!, options.training);
    const inputBias = bias && this.resetAfter ? squeeze(slice(bias, [0, 0], [1, 3 * units]), 0) : bias;
    const xz = linear(this.droppedInput(x, options.training), this.kernel!, inputBias ? { bias: inputBias } : {});
    let inner: Tensor, candidate: Tensor;
    const gate = (k: number) => this.recurrentActivation.apply(add(this.block(xz, k), this.block(inner, k)));
    if (this.resetAfter) {
      const recurrentBias = bias ? squeeze(slice(bias, [1, 0], [1, 3 * units]), 0) : null;
      inner = linear(hDropped, this.recurrentKernel!, recurrentBias ? { bias: recurrentBias } : {});
      candidate = add(this.block(xz, 2), mul(gate(1), this.block(inner, 2)));
    } else {
      inner = matmul(hDropped, slice(this.recurrentKernel!, [0, 0], [units, 2 * units]));
      const reset = mul(gate(1), hDropped);
      candidate = add(this.block(xz, 2), matmul(reset, slice(this.recurrentKernel!, [0, 2 * units], [units, units])));
    }
    const z = gate(0);
    const hh = this.activation.apply(candidate);
    const y = add(mul(z, h!), mul(sub(1, z), hh));
    return { output: y, states: [y] };
  }

  override cellOptions(): GRUCellOptions {
    return { ...super.cellOptions(), recurrentActivation: this.recurrentActivation, resetAfter: this.resetAfter };
  }

  /** The whole sequence as one input product and one gruSequence op, when the settings allow. */
  override runSequence(x: Tensor, [h0]: readonly Tensor[], options: SequenceCallOptions): SequenceOutput | null {
    const recurrentActivation = this.fusedGates(this.recurrentActivation, options.training);
    if (!recurrentActivation) return null;
    const [batch, steps] = x.shape as [number, number];
    const units = this.units, bias = this.bias;
    const row = (r: number) => squeeze(slice(bias!, [r, 0], [1, 3 * units]), 0);
    const inputBias = bias && this.resetAfter ? row(0) : bias;
    const xp = linear(this.droppedSequence(x, options.training), this.kernel!, inputBias ? { bias: inputBias } : {});
    const hs = gruSequence(xp, this.recurrentKernel!, bias && this.resetAfter ? row(1) : null, h0!, { mask: options.mask, resetAfter: this.resetAfter, recurrentActivation });
    return { states: hs, final: [reshape(slice(hs, [0, steps - 1, 0], [batch, 1, units]), [batch, units])] };
  }

  override clone(): GRUCell {
    return new GRUCell(this.cellOptions());
  }

  override cellConfig(): LayerConfig {
    return {
      ...super.cellConfig(),
      recurrent_activation: activationConfig(this.recurrentActivation, this.label),
      implementation: 2,
      reset_after: this.resetAfter,
    };
  }

  /** The GRU settings of a saved config; missing ones are Keras's defaults (sigmoid, resetAfter true). */
  static readGRUOptions(c: ConfigReader): Pick<GRUCellOptions, 'recurrentActivation' | 'resetAfter'> {
    return {
      ...(c.get('recurrent_activation') === undefined ? {} : { recurrentActivation: c.activation('recurrent_activation') }),
      resetAfter: c.boolean('reset_after', true),
    };
  }

  static fromConfig(c: ConfigReader): GRUCell {
    return new GRUCell({ ...BuiltInCell.readCellBase(c), ...BuiltInCell.readCellOptions(c), ...GRUCell.readGRUOptions(c) });
  }
}
