/**
 * What RNN and Bidirectional share as graph citizens: they read a sequence [batch, timesteps, features]
 * and, optionally, initial states; they give their output and, with `returnState`, their final states.
 *
 *     const y = lstm.apply(x);                                          // the output
 *     const { output, states: [h, c] } = encoder.applyWithState(x);    // returnState: true
 *     const z = decoder.apply(x2, { initialState: [h, c] });          // symbolic or concrete
 *
 * In a functional graph the initial states are inputs of the node after the sequence, and the states
 * outputs after the output, as Keras and TensorFlow.js record them in model files.
 */
import { cast } from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { CallOptions, NodeResult } from './base-layer.js';
import { SymbolicTensor } from './base-layer.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape, withUnknownBatch } from './layer-shape.js';

export interface RecurrentCallOptions extends CallOptions {
  /** The states the sequence starts from, one tensor [batch, size] per state (default zeros). */
  initialState?: readonly TensorLike[];
}

/** A layer's output with its final states (returnState). */
export interface WithState<T> {
  output: T;
  states: T[];
}

export abstract class RecurrentLayer extends Layer {
  /** Whether it also gives its final states. */
  abstract get returnState(): boolean;

  /** The size of each state it takes and gives, in order. */
  abstract get stateSizes(): readonly number[];

  /** How many outputs come before the states (Bidirectional without a merge mode has two). */
  protected get outputCount(): number {
    return 1;
  }

  /** Every output on a concrete sequence: the output(s), then with returnState the states. */
  protected abstract run(x: Tensor, options: RecurrentCallOptions): Tensor[];

  /** The shape of the output(s) for a sequence of `inputShape` (the states follow from stateSizes). */
  protected abstract sequenceOutputShape(inputShape: LayerShape): LayerShape;

  /** Builds the layer for sequences of `inputShape`. */
  protected abstract buildSequence(inputShape: LayerShape): void;

  /** The mask of the output(s): the input's when the output keeps the timesteps. */
  protected abstract outputMask(mask: Tensor | null): Tensor | null;

  override build(inputShape: LayerShape): void {
    this.checkSequenceShape(inputShape);
    this.buildSequence(inputShape);
  }

  call(x: Tensor, options: RecurrentCallOptions): Tensor {
    return this.run(x, options)[0]!;
  }

  /** [batch, timesteps, features] or a clear error naming the layer. */
  protected checkSequenceShape(shape: LayerShape, argument = 'x'): void {
    if (shape.length !== 3) {
      throw new ShapeError(`${this.label}: argument '${argument}' expected a sequence of rank 3 [batch, timesteps, features], received shape ${fmtLayerShape(shape)}`);
    }
    if (shape[1] === 0) {
      throw new ShapeError(`${this.label}: argument '${argument}' holds sequences of length 0 (shape ${fmtLayerShape(shape)}); a recurrent layer needs at least one timestep`);
    }
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.sequenceOutputShape(inputShape);
  }

  /** The shapes of every output of a node with inputs of these shapes: the output(s), then the states. */
  outputShapesFor(inputShapes: readonly LayerShape[]): LayerShape[] {
    const x = inputShapes[0]!;
    const output = this.sequenceOutputShape(x);
    const states = this.returnState ? this.stateSizes.map((size) => [x[0] ?? null, size]) : [];
    return [...Array.from({ length: this.outputCount }, () => output), ...states];
  }

  override buildFor(inputShapes: readonly LayerShape[]): void {
    const [x, ...states] = inputShapes;
    if (!x) throw new ValueError(`${this.label}: expected a sequence, received no input`);
    this.checkSequenceShape(x);
    this.ensureBuilt(() => this.build(x));
    if (this.inputSpec) super.buildFor([x]);
    if (states.length > 0) this.#checkStateShapes(states, x[0] ?? null);
  }

  /** The output; with returnState use applyWithState. `initialState` may be symbolic (functional models) or concrete. */
  override apply(x: TensorLike, options?: RecurrentCallOptions): Tensor;
  override apply(x: SymbolicTensor, options?: { initialState?: readonly SymbolicTensor[] }): SymbolicTensor;
  override apply(x: TensorLike | SymbolicTensor, options: RecurrentCallOptions | { initialState?: readonly SymbolicTensor[] } = {}): Tensor | SymbolicTensor {
    if (this.returnState || this.outputCount > 1) {
      throw new ValueError(
        `${this.label}: it gives several outputs (${this.returnState ? 'returnState is true' : 'mergeMode is null'}), so apply() cannot return one tensor; use applyWithState(x), which returns { output, states }${this.outputCount > 1 ? ' (output: the forward output; outputs() gives both)' : ''}`,
      );
    }
    return this.#applyAll(x, options)[0]!;
  }

  /** `{ output, states }`: the output and the final states (needs returnState: true). */
  applyWithState(x: TensorLike, options?: RecurrentCallOptions): WithState<Tensor>;
  applyWithState(x: SymbolicTensor, options?: { initialState?: readonly SymbolicTensor[] }): WithState<SymbolicTensor>;
  applyWithState(x: TensorLike | SymbolicTensor, options: RecurrentCallOptions | { initialState?: readonly SymbolicTensor[] } = {}): WithState<Tensor | SymbolicTensor> {
    if (!this.returnState) {
      throw new ValueError(`${this.label}: applyWithState gives the final states, which needs the option returnState: true (as Keras's return_state)`);
    }
    const all = this.#applyAll(x, options);
    return { output: all[0]!, states: all.slice(this.outputCount) };
  }

  /** Every output: the output(s), then with returnState the states (Keras's list). */
  outputs(x: TensorLike, options?: RecurrentCallOptions): Tensor[];
  outputs(x: SymbolicTensor, options?: { initialState?: readonly SymbolicTensor[] }): SymbolicTensor[];
  outputs(x: TensorLike | SymbolicTensor, options: RecurrentCallOptions | { initialState?: readonly SymbolicTensor[] } = {}): (Tensor | SymbolicTensor)[] {
    return this.#applyAll(x, options);
  }

  #applyAll(x: TensorLike | SymbolicTensor, options: RecurrentCallOptions | { initialState?: readonly SymbolicTensor[] }): (Tensor | SymbolicTensor)[] {
    const initial = options.initialState;
    if (initial !== undefined && !Array.isArray(initial)) {
      throw new ValueError(`${this.label}: option 'initialState' expected an array of ${this.stateSizes.length} tensors, received ${describe(initial)}`);
    }
    if (x instanceof SymbolicTensor) {
      const states = (initial ?? []) as readonly unknown[];
      if (!states.every((s): s is SymbolicTensor => s instanceof SymbolicTensor)) {
        throw new ValueError(`${this.label}: a symbolic input takes symbolic initial states (from Input() or another layer), received ${describe(initial)}`);
      }
      return this.connect([x, ...states]);
    }
    if (initial?.some((s) => s instanceof SymbolicTensor)) {
      throw new ValueError(`${this.label}: the input is a concrete tensor but option 'initialState' holds symbolic tensors; give both concrete or both symbolic`);
    }
    const { initialState, ...rest } = options as RecurrentCallOptions;
    return this.#runNode([toTensor(this.label, 'x', x), ...(initialState ?? []).map((s, i) => toTensor(this.label, `initialState[${i}]`, s, this.dtype))], rest);
  }

  override connect(inputs: readonly SymbolicTensor[]): SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    this.buildFor(shapes);
    return this.addNode(inputs, this.outputShapesFor(shapes).map((shape) => ({ shape, dtype: this.dtype })));
  }

  override invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    if (this.returnState || this.outputCount > 1) {
      throw new ValueError(
        `${this.label}: it gives several outputs (${this.returnState ? 'returnState is true' : 'mergeMode is null'}); a Sequential model takes layers with one output: build a functional model with applyWithState`,
      );
    }
    return this.#runNode(inputs, options)[0]!;
  }

  /** A node of a graph: the sequence and its mask, then any initial states; the outputs, then the states. */
  override invokeNode(inputs: readonly Tensor[], masks: readonly (Tensor | null)[], options: CallOptions): NodeResult {
    const mask = masks[0] ?? null;
    const outputs = this.#runNode(inputs, { ...options, mask });
    const outMask = this.outputMask(mask);
    return { outputs, masks: outputs.map((_, i) => (i < this.outputCount ? outMask : null)) };
  }

  /** Every output on concrete inputs: [x, ...initial states]. */
  #runNode(inputs: readonly Tensor[], options: RecurrentCallOptions): Tensor[] {
    const [x, ...states] = inputs;
    if (!(x instanceof Tensor)) throw new ValueError(`${this.label}: expected a sequence tensor, received ${describe(x)}`);
    this.buildFor([withUnknownBatch(x.shape)]);
    const outputs = this.run(x, { ...options, ...(states.length > 0 ? { initialState: states } : {}) });
    this.recordActivity(outputs[0]!, options);
    return outputs;
  }

  override computeMask(_inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    return this.outputMask(masks[0] ?? null);
  }

  /** Initial states: one per state, each [batch, size], checked and in the layer's dtype. */
  protected initialStates(given: readonly TensorLike[], batch: number): Tensor[] {
    const sizes = this.stateSizes;
    if (given.length !== sizes.length) {
      throw new ValueError(
        `${this.label}: option 'initialState' expected ${sizes.length} tensor${sizes.length === 1 ? '' : 's'} (${sizes.map((s) => `[${batch}, ${s}]`).join(', ')}), received ${given.length}`,
      );
    }
    return given.map((s, i) => {
      const t = toTensor(this.label, `initialState[${i}]`, s, this.dtype);
      if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== sizes[i]) {
        throw new ShapeError(`${this.label}: option 'initialState[${i}]' expected shape [${batch}, ${sizes[i]}] (batch, state size), received [${t.shape.join(', ')}]`);
      }
      return t.dtype === this.dtype ? t : cast(t, this.dtype);
    });
  }

  #checkStateShapes(states: readonly LayerShape[], batch: number | null): void {
    const sizes = this.stateSizes;
    if (states.length !== sizes.length) {
      throw new ValueError(`${this.label}: expected ${sizes.length} initial state${sizes.length === 1 ? '' : 's'} after the sequence, received ${states.length}`);
    }
    states.forEach((s, i) => {
      const ok = s.length === 2 && (s[0] === null || batch === null || s[0] === batch) && s[1] === sizes[i];
      if (!ok) throw new ShapeError(`${this.label}: initial state ${i} expected shape [batch, ${sizes[i]}], received ${fmtLayerShape(s)}`);
    });
  }
}
