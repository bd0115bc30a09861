/**
 * RNN: runs a cell over the timesteps of a sequence [batch, timesteps, features], carrying its states
 * from step to step, as Keras's generic RNN layer does; SimpleRNN, LSTM and GRU are this layer with their
 * cell. `new RNN({ cell })` runs a cell of your own; `cell: [a, b]` stacks cells.
 *
 * Masks (Keras semantics): at a masked timestep the states are carried over unchanged and the output is
 * the last unmasked step's (zeros before the first one; zeros throughout with zeroOutputForMask, which
 * Bidirectional sets when it returns sequences). With `goBackwards` the sequence is read from its end
 * and the returned sequence is in that reversed order. `stateful` carries the final states of a batch
 * into the next (resetStates() starts over). Dropout masks are drawn once per sequence.
 */
import { expandDims, gather, reshape, slice, stack, stopGradient, transpose, where } from '../ops/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import { storage } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';
import { lastDimension } from './layer.js';
import { readMask } from './mask.js';
import type { RecurrentCallOptions } from './recurrent-layer.js';
import { RecurrentLayer } from './recurrent-layer.js';
import type { CellCallOptions } from './rnn-cell.js';
import { RNNCell } from './rnn-cell.js';
import type { NestedLayerReader } from './stacked-rnn-cells.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';

/** How an RNN layer runs its cell over time (Keras's RNN arguments). */
export interface RecurrentOptions {
  /** Return the output of every timestep [batch, timesteps, units] instead of the last [batch, units] (default false). */
  returnSequences?: boolean;
  /** Also return the final states: use applyWithState (default false). */
  returnState?: boolean;
  /** Read the sequence from its end (default false). */
  goBackwards?: boolean;
  /** Start each batch from the previous batch's final states (default false; batches of one size). */
  stateful?: boolean;
  /**
   * Run every step as separate ops (default false): without it LSTM and GRU run the whole sequence as one
   * fused op where their settings allow (tanh, sigmoid or hard sigmoid gates, no recurrent dropout).
   */
  unroll?: boolean;
  /** Masked timesteps output zeros instead of the last unmasked output (default false). */
  zeroOutputForMask?: boolean;
}

export const RECURRENT_OPTIONS = {
  returnSequences: is.boolean.optional(),
  returnState: is.boolean.optional(),
  goBackwards: is.boolean.optional(),
  stateful: is.boolean.optional(),
  unroll: is.boolean.optional(),
  zeroOutputForMask: is.boolean.optional(),
} satisfies SpecFor<RecurrentOptions>;

export const RECURRENT_KEYS = Object.keys(RECURRENT_OPTIONS) as (keyof RecurrentOptions)[];

export interface RNNOptions extends LayerOptions, RecurrentOptions {
  /** The cell run at every step, or several cells stacked (StackedRNNCells). */
  cell: RNNCell | readonly RNNCell[];
}

const RNN_OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  ...RECURRENT_OPTIONS,
  cell: is.instanceOf(RNNCell, 'an RNNCell').or(is.arrayOf(is.instanceOf(RNNCell, 'an RNNCell'), { minLength: 1, name: 'a non-empty array of RNNCells' })),
} satisfies SpecFor<RNNOptions>);

export class RNN extends RecurrentLayer {
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly #returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Settable: Bidirectional sets it on its layers when it returns sequences, as Keras does. */
  zeroOutputForMask: boolean;
  #states: Tensor[] | null = null;

  constructor(options: RNNOptions) {
    const { cell, returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask, ...base } = RNN_OPTIONS.parse(preLabel(new.target.name, options), options);
    super(base);
    this.cell = Array.isArray(cell) ? new StackedRNNCells({ cells: cell, ...(base.dtype ? { dtype: base.dtype } : {}) }) : (cell as RNNCell);
    if (this.cell.dtype !== this.dtype) {
      throw new ValueError(`${this.label}: its cell computes in ${this.cell.dtype} but the layer in ${this.dtype}; give both the same 'dtype'`);
    }
    this.track(this.cell, () => this.weightScope);
    this.returnSequences = returnSequences ?? false;
    this.#returnState = returnState ?? false;
    this.goBackwards = goBackwards ?? false;
    this.stateful = stateful ?? false;
    this.unroll = unroll ?? false;
    this.zeroOutputForMask = zeroOutputForMask ?? false;
    this.supportsMasking = true;
  }

  get returnState(): boolean {
    return this.#returnState;
  }

  get stateSizes(): readonly number[] {
    return this.cell.stateSize;
  }

  /** The states a stateful layer carries into its next batch (null before its first batch or after resetStates()). */
  get states(): Tensor[] | null {
    return this.#states ? [...this.#states] : null;
  }

  override heldTensors(): Tensor[] {
    return [...(this.#states ?? []), ...super.heldTensors()];
  }

  /**
   * Forgets the carried states (a stateful layer starts its next batch from zeros), or sets them: one
   * tensor [batch, size] per state, as Keras's reset_states(states).
   */
  resetStates(states?: readonly TensorLike[]): void {
    if (!this.stateful) throw new ValueError(`${this.label}: resetStates needs a stateful layer (option stateful: true)`);
    if (states === undefined) {
      this.#states = null;
      return;
    }
    if (!Array.isArray(states)) throw new ValueError(`${this.label}.resetStates: argument 'states' expected an array of tensors, received ${describe(states)}`);
    const first = states[0] as { shape?: readonly number[] } | undefined;
    const batch = first && Array.isArray(first.shape) ? first.shape[0]! : Array.isArray(first) ? first.length : 0;
    this.#states = this.initialStates(states, batch);
  }

  protected buildSequence(inputShape: LayerShape): void {
    const features = lastDimension(this.label, inputShape);
    this.cell.buildFor([[inputShape[0] ?? null, features]]);
    this.inputSpec = { rank: 3, axes: { [-1]: features } };
  }

  protected sequenceOutputShape(inputShape: LayerShape): LayerShape {
    const units = this.cell.outputSize;
    return this.returnSequences ? [inputShape[0] ?? null, inputShape[1] ?? null, units] : [inputShape[0] ?? null, units];
  }

  protected outputMask(mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  protected run(x: Tensor, options: RecurrentCallOptions): Tensor[] {
    const { output, states } = this.runSequence(x, options);
    return this.#returnState ? [output, ...states] : [output];
  }

  /** The output and the final states on a concrete sequence. */
  runSequence(x: Tensor, options: RecurrentCallOptions): { output: Tensor; states: Tensor[] } {
    this.checkSequenceShape(x.shape);
    const [batch, steps] = x.shape as [number, number, number];
    const mask = options.mask ? readMask(this.label, 'mask', options.mask, [batch, steps]) : null;
    const start = this.#startStates(batch, options.initialState);
    const training = options.training === undefined ? {} : { training: options.training };
    let result: { output: Tensor; states: Tensor[] } | null = null;
    try {
      if (!this.unroll) result = this.#fused(x, mask, start, training);
      result ??= this.#stepByStep(x, mask, start.states, training);
    } finally {
      this.cell.resetDropoutMasks();
    }
    if (this.stateful) this.#states = result.states.map((s) => stopGradient(s));
    return result;
  }

  /** Every step as its own ops (the composed form, and the oracle of the fused one). */
  #stepByStep(x: Tensor, mask: Tensor | null, initial: Tensor[], training: CellCallOptions): { output: Tensor; states: Tensor[] } {
    const [batch, steps, features] = x.shape as [number, number, number];
    let states = initial;
    // Time-major, so that each step is one contiguous slice.
    const xt = transpose(x, [1, 0, 2]);
    const mt = mask ? transpose(mask, [1, 0]) : null;
    const outputs: Tensor[] = [];
    let last: Tensor | null = null;
    let zero: Tensor | null = null;
    for (let i = 0; i < steps; i++) {
      const t = this.goBackwards ? steps - 1 - i : i;
      const input = reshape(slice(xt, [t, 0, 0], [1, batch, features]), [batch, features]);
      const step = this.cell.call(input, states, training);
      if (i === 0) this.#checkStep(step.output, step.states, batch);
      let output = step.output;
      if (mt) {
        const keep = reshape(slice(mt, [t, 0], [1, batch]), [batch, 1]);
        zero ??= zeros([batch, this.cell.outputSize], this.dtype);
        const previous: Tensor[] = states;
        output = where(keep, output, this.zeroOutputForMask ? zero : (last ?? zero));
        states = step.states.map((s, k) => where(keep, s, previous[k]!));
      } else {
        states = step.states;
      }
      last = output;
      if (this.returnSequences) outputs.push(output);
    }
    return { output: this.returnSequences ? stack(outputs, 1) : last!, states };
  }

  /**
   * The whole sequence in one fused op, where the cell has one (LSTM, GRU) and its settings allow; null
   * otherwise. The op gives the states after each step; Keras's outputs follow from them: a masked step
   * repeats the state, which is the last output, except before the first unmasked step of a row that
   * started from non-zero states (Keras outputs zeros there) and with zeroOutputForMask.
   */
  #fused(x: Tensor, mask: Tensor | null, start: { states: Tensor[]; zero: boolean }, training: CellCallOptions): { output: Tensor; states: Tensor[] } | null {
    const [batch, steps] = x.shape as [number, number];
    const ordered = this.goBackwards ? reverseTime(x) : x;
    const orderedMask = mask && this.goBackwards ? reverseTime(mask) : mask;
    const run = this.cell.runSequence(ordered, start.states, { ...training, mask: orderedMask });
    if (!run) return null;
    let outputs = run.states;
    if (orderedMask && this.zeroOutputForMask) outputs = where(expandDims(orderedMask, -1), outputs, 0);
    else if (orderedMask && !start.zero) outputs = where(expandDims(seenSoFar(orderedMask), -1), outputs, 0);
    const units = this.cell.outputSize;
    const output = this.returnSequences ? outputs : reshape(slice(outputs, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
    return { output, states: run.final };
  }

  /** The given initial states, else a stateful layer's carried ones, else the cell's (zeros, and said so). */
  #startStates(batch: number, given: readonly TensorLike[] | undefined): { states: Tensor[]; zero: boolean } {
    if (given !== undefined) return { states: this.initialStates(given, batch), zero: false };
    if (this.stateful && this.#states) {
      const held = this.#states[0]!.shape[0];
      if (held !== batch) {
        throw new ShapeError(
          `${this.label}: it is stateful and holds states for batches of ${held}, but received a batch of ${batch}; feed batches of one size (and call resetStates() to start new sequences)`,
        );
      }
      return { states: this.#states, zero: false };
    }
    return { states: this.cell.initialState(batch), zero: true };
  }

  /** A cell of one's own must give an output [batch, outputSize] and one state [batch, size] per stateSize. */
  #checkStep(output: Tensor, states: readonly Tensor[], batch: number): void {
    const sizes = this.cell.stateSize;
    const bad = (what: string, shape: readonly number[], expected: readonly number[]) =>
      new ShapeError(`${this.label}: its cell ${this.cell.label} returned ${what} of shape ${fmtShape(shape)}, expected ${fmtShape(expected)}`);
    if (output.rank !== 2 || output.shape[0] !== batch || output.shape[1] !== this.cell.outputSize) throw bad('an output', output.shape, [batch, this.cell.outputSize]);
    if (!Array.isArray(states) || states.length !== sizes.length) {
      throw new ValueError(`${this.label}: its cell ${this.cell.label} returned ${describe(states)} as states, expected ${sizes.length} (stateSize [${sizes.join(', ')}])`);
    }
    states.forEach((s, k) => {
      if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== sizes[k]) throw bad(`state ${k}`, s.shape, [batch, sizes[k]!]);
    });
  }

  /** The recurrent settings as Keras and TensorFlow.js write them. */
  protected recurrentConfig(): LayerConfig {
    return {
      return_sequences: this.returnSequences,
      return_state: this.#returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      ...(this.zeroOutputForMask ? { zero_output_for_mask: true } : {}),
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), ...this.recurrentConfig(), ...this.cellSettings() };
  }

  /** The cell in the layer's config: `cell: { class_name, config }` here; SimpleRNN, LSTM and GRU write its settings as their own. */
  protected cellSettings(): LayerConfig {
    return { cell: { class_name: this.cell.className, config: this.cell.getConfig() } };
  }

  /** The settings `recurrentConfig` writes, read back. */
  static readRecurrentOptions(c: ConfigReader): RecurrentOptions {
    return {
      returnSequences: c.boolean('return_sequences', false),
      returnState: c.boolean('return_state', false),
      goBackwards: c.boolean('go_backwards', false),
      stateful: c.boolean('stateful', false),
      unroll: c.boolean('unroll', false),
      zeroOutputForMask: c.boolean('zero_output_for_mask', false),
    };
  }

  /** A copy with fresh weights and the given changes (Bidirectional's forward and backward layers). */
  cloneWith(changes: { name: string; goBackwards: boolean }): RNN {
    return new RNN({ ...this.baseOptions(), ...this.recurrentOptions(), ...changes, cell: this.cell.clone() });
  }

  /** The recurrent settings as options. */
  protected recurrentOptions(): RecurrentOptions {
    return {
      returnSequences: this.returnSequences, returnState: this.#returnState, goBackwards: this.goBackwards, stateful: this.stateful,
      unroll: this.unroll, zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  /** dtype and trainable, for copies. */
  protected baseOptions(): LayerOptions {
    return { dtype: this.dtype, trainable: this.trainable };
  }

  static fromConfig(c: ConfigReader, readLayer: NestedLayerReader): RNN {
    const entry = c.get('cell');
    const cell = readLayer(entry, `${c.where}.cell`);
    if (!(cell instanceof RNNCell)) throw new ValueError(`${c.where}.cell expected a cell (LSTMCell, GRUCell, SimpleRNNCell, StackedRNNCells...), received ${describe(cell.className)}`);
    return new RNN({ ...c.base(), ...RNN.readRecurrentOptions(c), cell });
  }
}

/** The sequence [batch, timesteps, ...] with its timesteps in reverse order. */
export function reverseTime(x: Tensor): Tensor {
  const steps = x.shape[1]!;
  return gather(x, tensor(Int32Array.from({ length: steps }, (_, i) => steps - 1 - i)), 1);
}

/** [batch, steps] bool: true from a row's first true step on. */
function seenSoFar(mask: Tensor): Tensor {
  const [batch, steps] = mask.shape as [number, number];
  const m = storage(mask);
  const out = new Uint8Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    let seen = 0;
    for (let t = 0; t < steps; t++) out[b * steps + t] = seen ||= m[b * steps + t]! ? 1 : 0;
  }
  return tensor(out, { shape: [batch, steps], dtype: 'bool' });
}
