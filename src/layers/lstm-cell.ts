/**
 * LSTMCell, as Keras and TensorFlow.js compute it: z = x @ kernel + h @ recurrentKernel + bias holds the
 * input, forget, candidate and output gates side by side (i, f, c, o);
 * c' = f * c + i * activation(z_c), h' = o * activation(c'), with the gates through recurrentActivation.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import { add, concat, linear, lstmSequence, matmul, mul, reshape, slice } from '../ops/index.js';
import { ones } from '../tensor/creation.js';
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

export interface LSTMCellOptions extends LayerOptions, CellOptions {
  /** Of the gates (default sigmoid; TensorFlow.js's default is hardSigmoid). */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget gate's bias at 1 (Jozefowicz et al.), the rest of the bias as biasInitializer says (default true). */
  unitForgetBias?: boolean;
}

export const LSTM_CELL_OPTIONS = {
  ...CELL_OPTIONS,
  recurrentActivation: check.activation.optional(),
  unitForgetBias: is.boolean.optional(),
};

const SPEC = optionsSpec({ ...LAYER_OPTIONS, ...LSTM_CELL_OPTIONS } satisfies SpecFor<LSTMCellOptions>);

export class LSTMCell extends BuiltInCell {
  readonly recurrentActivation: Activation;
  readonly unitForgetBias: boolean;

  /** `where` names the layer that made the cell, for messages (LSTM passes its own label). */
  constructor(options: LSTMCellOptions, where?: string) {
    const o = SPEC.parse(where ?? preLabel('LSTMCell', options), options);
    super(o, where);
    this.recurrentActivation = getActivation(o.recurrentActivation ?? 'sigmoid', where ?? this.label);
    this.unitForgetBias = o.unitForgetBias ?? true;
  }

  protected get gates(): number {
    return 4;
  }

  override get stateSize(): readonly number[] {
    return [this.units, this.units];
  }

  protected override addBias(): Variable {
    if (!this.unitForgetBias) return super.addBias();
    const units = this.units, init = this.biasInitializer;
    const unitForget = {
      name: 'unitForgetBias',
      init: (_shape: readonly number[], dtype: Parameters<typeof init.init>[1]): Tensor =>
        concat([init.init([units], dtype), ones([units], dtype), init.init([2 * units], dtype)], 0),
    };
    return this.addWeight({ name: 'bias', shape: [4 * units], initializer: unitForget, regularizer: this.biasRegularizer });
  }

  call(x: Tensor, [h, c]: readonly Tensor[], options: CellCallOptions): CellOutput {
    const input = linear(this.droppedInput(x, options.training), this.kernel!, this.bias ? { bias: this.bias } : {});
    const z = add(input, matmul(this.droppedState(h!, options.training), this.recurrentKernel!));
    const gate = (k: number) => this.recurrentActivation.apply(this.block(z, k));
    const next = add(mul(gate(1), c!), mul(gate(0), this.activation.apply(this.block(z, 2))));
    const y = mul(gate(3), this.activation.apply(next));
    return { output: y, states: [y, next] };
  }

  override cellOptions(): LSTMCellOptions {
    return { ...super.cellOptions(), recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias };
  }

  /** The whole sequence as one input product and one lstmSequence op, when the settings allow. */
  override runSequence(x: Tensor, [h0, c0]: readonly Tensor[], options: SequenceCallOptions): SequenceOutput | null {
    const recurrentActivation = this.fusedGates(this.recurrentActivation, options.training);
    if (!recurrentActivation) return null;
    const [batch, steps] = x.shape as [number, number];
    const units = this.units;
    const xp = linear(this.droppedSequence(x, options.training), this.kernel!, this.bias ? { bias: this.bias } : {});
    const out = lstmSequence(xp, this.recurrentKernel!, h0!, c0!, { mask: options.mask, recurrentActivation });
    const last = (state: number) => reshape(slice(out, [state, 0, steps - 1, 0], [1, batch, 1, units]), [batch, units]);
    return { states: reshape(slice(out, [0, 0, 0, 0], [1, batch, steps, units]), [batch, steps, units]), final: [last(0), last(1)] };
  }

  override clone(): LSTMCell {
    return new LSTMCell(this.cellOptions());
  }

  override cellConfig(): LayerConfig {
    const { dropout, recurrent_dropout, ...rest } = super.cellConfig();
    return {
      ...rest,
      recurrent_activation: activationConfig(this.recurrentActivation, this.label),
      unit_forget_bias: this.unitForgetBias,
      dropout: dropout!,
      recurrent_dropout: recurrent_dropout!,
      implementation: 2,
    };
  }

  /** The LSTM settings of a saved config; a missing recurrent_activation is Keras's sigmoid. */
  static readLSTMOptions(c: ConfigReader): Pick<LSTMCellOptions, 'recurrentActivation' | 'unitForgetBias'> {
    return {
      ...(c.get('recurrent_activation') === undefined ? {} : { recurrentActivation: c.activation('recurrent_activation') }),
      // TensorFlow.js writes null for its default (false).
      unitForgetBias: c.get('unit_forget_bias') === null ? false : c.boolean('unit_forget_bias', true),
    };
  }

  static fromConfig(c: ConfigReader): LSTMCell {
    return new LSTMCell({ ...BuiltInCell.readCellBase(c), ...BuiltInCell.readCellOptions(c), ...LSTMCell.readLSTMOptions(c) });
  }
}
