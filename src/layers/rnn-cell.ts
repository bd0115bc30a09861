/**
 * A recurrent cell: the maths of one timestep, `call(x, states) => { output, states }`, as Keras 3 writes
 * an LSTM (a cell with a short `call`, run over time by the generic RNN layer). Subclass it for a cell of
 * your own: declare `stateSize`, create weights in `build([batch, features])`, and write `call`.
 *
 *     class MinimalCell extends RNNCell {
 *       #kernel!: Variable;
 *       get stateSize() { return [4]; }
 *       override build(shape: LayerShape) { this.#kernel = this.addWeight({ name: 'kernel', shape: [shape[1]!, 4] }); }
 *       call(x: Tensor, [h]: Tensor[]) { const y = tanh(add(matmul(x, this.#kernel), h)); return { output: y, states: [y] }; }
 *     }
 *     const rnn = new RNN({ cell: new MinimalCell(), returnSequences: true });
 *
 * Dropout masks of a cell stay the same for every timestep of a sequence (Gal and Ghahramani's recurrent
 * dropout, as Keras does it): `sequenceDropout` draws one per sequence, and the RNN layer forgets them
 * after each sequence.
 */
import { dropout } from '../ops/index.js';
import { ones, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { CallOptions, LayerConfig } from './base-layer.js';
import { BaseLayer } from './base-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape, withUnknownBatch } from './layer-shape.js';

export interface CellCallOptions {
  /** True inside fit: dropout drops. */
  training?: boolean;
}

/** One step's result: the output, and the states the next step starts from. */
export interface CellOutput {
  output: Tensor;
  states: Tensor[];
}

/** A whole sequence run at once: the output state h after every step, and the final states. */
export interface SequenceOutput {
  /** [batch, steps, outputSize], in the order the steps ran; a masked step repeats the row's state. */
  states: Tensor;
  final: Tensor[];
}

export interface SequenceCallOptions extends CellCallOptions {
  /** [batch, steps] bool, in the order the steps run: false keeps the row's states. */
  mask: Tensor | null;
}

export abstract class RNNCell extends BaseLayer {
  #dropoutMasks = new Map<string, Tensor>();

  /** The size of each state, in order (an LSTM's [units, units] for h and c). */
  abstract get stateSize(): readonly number[];

  /** The size of the output at each step; the first state's by default. */
  get outputSize(): number {
    return this.stateSize[0]!;
  }

  /** Creates the weights for steps of `inputShape` ([batch, features]). Cells without weights keep this. */
  build(_inputShape: LayerShape): void {}

  /** One timestep: x [batch, features] and the states [batch, size] before it. */
  abstract call(x: Tensor, states: readonly Tensor[], options: CellCallOptions): CellOutput;

  /**
   * The whole sequence [batch, steps, features] (in the order the steps run) in one fused op, where the
   * cell has one and its settings allow; null to run step by step. Built-in LSTM and GRU cells have one.
   */
  runSequence(_x: Tensor, _states: readonly Tensor[], _options: SequenceCallOptions): SequenceOutput | null {
    return null;
  }

  /** The states a sequence starts from: zeros. */
  initialState(batchSize: number): Tensor[] {
    return this.stateSize.map((size) => zeros([batchSize, size], this.dtype));
  }

  /**
   * A new cell with the same settings and fresh weights (Bidirectional runs one forward and one
   * backward). Built-in cells have one; a cell of your own that should go into Bidirectional needs it,
   * or give Bidirectional a `backwardLayer`.
   */
  clone(): RNNCell {
    throw new ValueError(`${this.label}: this cell cannot be copied; give it a clone() method, or pass Bidirectional a 'backwardLayer'`);
  }

  /**
   * The dropout mask for `key` ('input', 'recurrent'...), drawn at the first step of a sequence and kept
   * for its other steps: 0, or 1 / (1 - rate), of `shape` ([batch, features]). Null outside training or
   * at rate 0.
   */
  protected sequenceDropout(key: string, shape: readonly number[], rate: number, training: boolean | undefined): Tensor | null {
    if (!training || rate === 0) return null;
    let mask = this.#dropoutMasks.get(key);
    if (!mask) {
      mask = dropout(ones(shape, this.dtype), rate);
      this.#dropoutMasks.set(key, mask);
    }
    return mask;
  }

  /** Forgets the dropout masks of the last sequence; the RNN layer calls it after each sequence. */
  resetDropoutMasks(): void {
    this.#dropoutMasks.clear();
  }

  /** Builds the cell for steps of this shape (no-op once built). */
  buildFor(inputShapes: readonly LayerShape[]): void {
    const shape = inputShapes[0];
    if (!shape || shape.length !== 2) {
      throw new ShapeError(`${this.label}: a cell takes steps of rank 2 [batch, features], received ${shape ? fmtLayerShape(shape) : 'no input'}`);
    }
    this.ensureBuilt(() => this.build(shape));
  }

  outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    return [inputShapes[0]?.[0] ?? null, this.outputSize];
  }

  /** One step on concrete inputs: [x, ...states] (zero states when only x is given); returns the output. */
  invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    const [x, ...given] = inputs;
    if (!x) throw new ValueError(`${this.label}: expected [x, ...states], received ${describe(inputs)}`);
    this.buildFor([withUnknownBatch(x.shape)]);
    const states = given.length > 0 ? given : this.initialState(x.shape[0]!);
    return this.call(x, states, options.training === undefined ? {} : { training: options.training }).output;
  }

  override getConfig(): LayerConfig {
    const { name, trainable, dtype } = super.getConfig();
    return { name: name!, trainable: trainable!, dtype: dtype! };
  }
}
