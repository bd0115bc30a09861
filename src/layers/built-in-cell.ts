/**
 * What the SimpleRNN, LSTM and GRU cells share: a kernel for the input, a recurrent kernel for the state
 * and a bias, each of `gates * units` columns (gates side by side, in Keras's order), with Keras's
 * defaults (glorotUniform, orthogonal, zeros), dropout on the input and on the state, and the settings
 * as Keras and TensorFlow.js write them.
 */
import type { Activation, ActivationIdentifier } from '../nn/activations.js';
import { getActivation } from '../nn/activations.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import { getInitializer } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { getRegularizer } from '../nn/regularizers.js';
import { expandDims, mul, slice } from '../ops/index.js';
import type { GateActivation } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { activationConfig, initializerConfig, regularizerConfig } from './config.js';
import { lastDimension } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { check } from './layer-options.js';
import { RNNCell } from './rnn-cell.js';

/** The settings of the built-in cells, and of the SimpleRNN, LSTM and GRU layers that run them. */
export interface CellOptions {
  /** The size of the state and of the output. */
  units: number;
  /** Of the candidate state and the output (default tanh). */
  activation?: ActivationIdentifier;
  useBias?: boolean;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Default orthogonal. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Fraction of the input's features dropped in training, the same ones at every step (default 0). */
  dropout?: number;
  /** Fraction of the state's features dropped in training where the state enters the step (default 0). */
  recurrentDropout?: number;
}

export const CELL_OPTIONS = {
  units: is.positiveInteger,
  activation: check.activation.optional(),
  useBias: is.boolean.optional(),
  kernelInitializer: check.initializer.optional(),
  recurrentInitializer: check.initializer.optional(),
  biasInitializer: check.initializer.optional(),
  kernelRegularizer: check.regularizer.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  recurrentRegularizer: check.regularizer.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  biasRegularizer: check.regularizer.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  dropout: check.rate.optional(),
  recurrentDropout: check.rate.optional(),
} satisfies SpecFor<CellOptions>;

/** The keys of CellOptions, to pick them out of a layer's options. */
export const CELL_KEYS = Object.keys(CELL_OPTIONS) as (keyof CellOptions)[];

/** Picks `keys` of `options` that are set. */
export function pick<O extends object, K extends keyof O>(options: O, keys: readonly K[]): Pick<O, K> {
  const out = {} as Pick<O, K>;
  for (const k of keys) if (options[k] !== undefined) out[k] = options[k];
  return out;
}

export abstract class BuiltInCell extends RNNCell {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  protected kernel: Variable | null = null;
  protected recurrentKernel: Variable | null = null;
  protected bias: Variable | null = null;

  /** `where` names the layer in messages: the cell, or the SimpleRNN/LSTM/GRU layer that made it. */
  constructor(options: CellOptions & LayerOptions, where?: string) {
    super(pick(options, ['name', 'dtype', 'trainable']));
    const at = where ?? this.label;
    this.units = options.units;
    this.activation = getActivation(options.activation ?? 'tanh', at);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorotUniform', at, 'kernelInitializer');
    this.recurrentInitializer = getInitializer(options.recurrentInitializer ?? 'orthogonal', at, 'recurrentInitializer');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros', at, 'biasInitializer');
    const regularizer = (id: RegularizerIdentifier | null | undefined, arg: string) => (id === undefined || id === null ? null : getRegularizer(id, at, arg));
    this.kernelRegularizer = regularizer(options.kernelRegularizer, 'kernelRegularizer');
    this.recurrentRegularizer = regularizer(options.recurrentRegularizer, 'recurrentRegularizer');
    this.biasRegularizer = regularizer(options.biasRegularizer, 'biasRegularizer');
    this.dropout = options.dropout ?? 0;
    this.recurrentDropout = options.recurrentDropout ?? 0;
  }

  /** How many blocks of `units` columns the kernels have (1, LSTM 4, GRU 3). */
  protected abstract get gates(): number;

  get stateSize(): readonly number[] {
    return [this.units];
  }

  /** The bias's shape and initial values; GRU with resetAfter and LSTM with unitForgetBias change them. */
  protected addBias(): Variable {
    return this.addWeight({ name: 'bias', shape: [this.gates * this.units], initializer: this.biasInitializer, regularizer: this.biasRegularizer });
  }

  override build(inputShape: LayerShape): void {
    const features = lastDimension(this.label, inputShape);
    const columns = this.gates * this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, columns], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel', shape: [this.units, columns], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer,
    });
    if (this.useBias) this.bias = this.addBias();
  }

  /** The input with this sequence's dropout applied (training only). */
  protected droppedInput(x: Tensor, training: boolean | undefined): Tensor {
    const mask = this.sequenceDropout('input', x.shape, this.dropout, training);
    return mask ? mul(x, mask) : x;
  }

  /** A whole sequence [batch, steps, features] with the input dropout of its steps applied (training only). */
  protected droppedSequence(x: Tensor, training: boolean | undefined): Tensor {
    const mask = this.sequenceDropout('input', [x.shape[0]!, x.shape[2]!], this.dropout, training);
    return mask ? mul(x, expandDims(mask, 1)) : x;
  }

  /** The state with this sequence's recurrent dropout applied (training only). */
  protected droppedState(h: Tensor, training: boolean | undefined): Tensor {
    const mask = this.sequenceDropout('recurrent', h.shape, this.recurrentDropout, training);
    return mask ? mul(h, mask) : h;
  }

  /**
   * The gates' activation as the fused sequence ops take it, when the whole sequence can run as one op:
   * tanh activation, sigmoid or hard sigmoid gates, no recurrent dropout in this call. Else null.
   */
  protected fusedGates(recurrentActivation: Activation, training: boolean | undefined): GateActivation | null {
    if (this.activation !== getActivation('tanh') || (training && this.recurrentDropout > 0)) return null;
    return recurrentActivation === getActivation('sigmoid') ? 'sigmoid' : recurrentActivation === getActivation('hardSigmoid') ? 'hardSigmoid' : null;
  }

  /** The `gate`-th block of `units` columns of z [batch, gates * units]. */
  protected block(z: Tensor, gate: number, count = 1): Tensor {
    return slice(z, [0, gate * this.units], [z.shape[0]!, count * this.units]);
  }

  /** The cell's settings as Keras and TensorFlow.js write them (an LSTM layer writes its cell's settings as its own). */
  cellConfig(): LayerConfig {
    const label = this.label;
    return {
      units: this.units,
      activation: activationConfig(this.activation, label),
      use_bias: this.useBias,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      recurrent_initializer: initializerConfig(this.recurrentInitializer, label, 'recurrentInitializer'),
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      recurrent_regularizer: regularizerConfig(this.recurrentRegularizer, label, 'recurrentRegularizer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...this.cellConfig() };
  }

  /** The settings this cell was made with, resolved (a copy of the cell starts from them). */
  cellOptions(): CellOptions & LayerOptions {
    return {
      units: this.units, activation: this.activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer,
      recurrentInitializer: this.recurrentInitializer, biasInitializer: this.biasInitializer, kernelRegularizer: this.kernelRegularizer,
      recurrentRegularizer: this.recurrentRegularizer, biasRegularizer: this.biasRegularizer, dropout: this.dropout,
      recurrentDropout: this.recurrentDropout, dtype: this.dtype, trainable: this.trainable,
    };
  }

  /** A cell's own settings from its saved form: name, trainable, dtype. */
  static readCellBase(c: ConfigReader): LayerOptions {
    const { name, trainable, dtype } = c.base();
    return { ...(name ? { name } : {}), ...(trainable === undefined ? {} : { trainable }), ...(dtype ? { dtype } : {}) };
  }

  /** The options `cellConfig` writes, read back (Keras 2 and 3 and TensorFlow.js spellings). */
  static readCellOptions(c: ConfigReader): CellOptions {
    const cell: CellOptions = {
      units: c.integer('units'),
      activation: c.activation('activation'),
      useBias: c.boolean('use_bias', true),
      dropout: c.number('dropout', 0),
      recurrentDropout: c.number('recurrent_dropout', 0),
    };
    // A missing activation is Keras's default, not linear.
    if (c.get('activation') === undefined) delete cell.activation;
    const set = <K extends keyof CellOptions>(key: K, value: CellOptions[K] | undefined) => {
      if (value !== undefined) cell[key] = value;
    };
    set('kernelInitializer', c.initializer('kernel_initializer'));
    set('recurrentInitializer', c.initializer('recurrent_initializer'));
    set('biasInitializer', c.initializer('bias_initializer'));
    set('kernelRegularizer', c.regularizer('kernel_regularizer'));
    set('recurrentRegularizer', c.regularizer('recurrent_regularizer'));
    set('biasRegularizer', c.regularizer('bias_regularizer'));
    return cell;
  }
}
