/**
 * What every layer shares: a unique name, its weights (created in `build` through `addWeight`), the
 * trainable switch, regularization losses and the lazy build from the first input's shape. Layers with
 * one input extend `Layer`; layers that combine several (Add, Concatenate) extend `MergeLayer`.
 */
import type { Constraint, ConstraintIdentifier } from '../nn/constraints.js';
import { getConstraint } from '../nn/constraints.js';
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import { AllocationError } from '../backend/index.js';
import { getInitializer } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { getRegularizer, serializeRegularizer } from '../nn/regularizers.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { DType } from '../util/dtype.js';
import type { JsonObject } from '../util/json.js';
import { snakeCase, uniqueName } from '../util/names.js';
import { shapesEqual } from '../util/shape.js';
import type { LayerShape } from './layer-shape.js';
import { formatLayerShape } from './layer-shape.js';

/** A layer's settings, keyed as model files key them. */
export type LayerConfig = JsonObject;

/** Float dtypes a layer can compute in (float64 serves exact gradient checks). */
export type LayerDType = 'float32' | 'float64';

export interface LayerOptions {
  /** Unique name; defaults to the snake_case class name with a counter (`dense`, `dense_1`...). */
  name?: string;
  /** Shape of one sample (no batch axis), for the first layer of a Sequential model. */
  inputShape?: readonly (number | null)[];
  /** Dtype of the weights (default float32). */
  dtype?: LayerDType;
  /** Whether the layer's weights are updated by training (default true). */
  trainable?: boolean;
  /** A penalty on the layer's output, added to the loss during training. */
  activityRegularizer?: RegularizerIdentifier;
}

// Symbolic tensors describe data that does not exist yet: `Input({ shape })` makes one, and applying a
// layer to one records a node of the graph (one application of the layer: what it read, what it made)
// and returns its symbolic outputs. `Model({ inputs, outputs })` walks these nodes back from its outputs.
// A layer keeps its nodes, so `layer.output` names the tensor it made (for feature extraction). They live
// here, beside the layer that owns them, because each refers to the other.

/**
 * How one call passed its inputs, for a layer whose call reads several tensors by name (MultiHeadAttention's
 * query, value and key), as Keras's saved nodes keep a call's keyword arguments.
 */
export interface NodeCall {
  /** The keyword of each input after the first, as files write them (`value`, `key`, `attention_mask`). */
  readonly keywords: readonly string[];
  /** The call's settings that are not tensors, as files write them (`use_causal_mask: true`). */
  readonly settings: JsonObject;
}

/** One application of a layer to symbolic inputs: what it read and the tensors it made (one per output). */
export class LayerNode {
  readonly outputs: readonly SymbolicTensor[];

  constructor(
    readonly layer: BaseLayer,
    readonly inputs: readonly SymbolicTensor[],
    outputs: readonly { shape: LayerShape; dtype: DType }[],
    /** How the inputs were passed, for layers that take them by keyword; null for the rest. */
    readonly call: NodeCall | null = null,
  ) {
    this.outputs = outputs.map((o, i) => new SymbolicTensor(o.shape, o.dtype, this, i));
  }
}

export class SymbolicTensor {
  constructor(
    readonly shape: LayerShape,
    readonly dtype: DType,
    /** The layer application that produces this tensor. */
    readonly node: LayerNode,
    /** Which of the node's outputs it is (0 unless the layer is a model with several outputs). */
    readonly index = 0,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor ${this.dtype} ${formatLayerShape(this.shape)} from '${this.node.layer.name}'`;
  }
}

export interface CallOptions {
  /** True inside fit: dropout drops, batch normalization uses batch statistics. */
  training?: boolean;
  /**
   * The input's mask, when a layer upstream made one (Keras's `mask`: true where a step of a sequence holds
   * data, false where it is padding); the graph passes it and carries on what `computeMask` returns.
   */
  mask?: Tensor | null;
  /** Merge layers: one mask per input (null for an input without one), when any input has a mask. */
  masks?: readonly (Tensor | null)[];
}

/** What running a layer as a node of a graph gives: its outputs and their masks (null: no mask). */
export interface NodeResult {
  outputs: Tensor[];
  masks: (Tensor | null)[];
}

export interface WeightOptions {
  name: string;
  shape: readonly number[];
  initializer?: InitializerIdentifier;
  regularizer?: RegularizerIdentifier | null;
  /** False for state that training does not optimize (batch normalization's moving statistics). */
  trainable?: boolean;
  /** Applied after every optimizer update of the weight (MaxNorm, NonNeg...). */
  constraint?: ConstraintIdentifier | null;
}

interface OwnedWeight {
  variable: Variable;
  trainable: boolean;
  regularizer: Regularizer | null;
}

/** Called with every weight a layer is about to create, before its memory is allocated. */
export type WeightCheck = (layer: BaseLayer, name: string, shape: readonly number[]) => void;

let weightCheck: WeightCheck | null = null;

/**
 * Runs `build` (which constructs and builds layers) with `check` seeing every weight before it is
 * allocated: loading a model checks the topology against the weights of the file this way, so a damaged
 * size is refused before gigabytes are allocated for it.
 */
export function checkingWeights<T>(check: WeightCheck, build: () => T): T {
  const previous = weightCheck;
  weightCheck = check;
  try {
    return build();
  } finally {
    weightCheck = previous;
  }
}

export abstract class BaseLayer {
  readonly name: string;
  readonly dtype: LayerDType;
  /** [null, ...inputShape] when the layer was given an input shape, else null. */
  readonly batchInputShape: LayerShape | null;
  readonly activityRegularizer: Regularizer | null;
  #trainable: boolean;
  #built = false;
  #weights: OwnedWeight[] = [];
  #activityLosses: Tensor[] = [];
  #nodes: LayerNode[] = [];
  /** Layers this one runs inside it (a wrapper's layer, an RNN's cell): their weights are its weights. */
  #sublayers: BaseLayer[] = [];
  /** Set by the layer that owns this one: the prefix of this layer's weight names, read when they are made. */
  #scope: (() => string) | null = null;
  /**
   * Whether the layer passes its input's mask on unchanged (Keras's `supports_masking`): layers that keep
   * the steps of a sequence (Dense, Activation, Dropout...) set it; others drop the mask unless they
   * override `computeMask`.
   */
  supportsMasking = false;

  constructor(options: LayerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ValueError(`${new.target.name}: expected an options object, received ${describe(options)}`);
    }
    const cls = new.target.name;
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${cls}: option 'name' expected a non-empty string, received ${describe(options.name)}`);
    }
    this.name = options.name ?? uniqueName(snakeCase(cls));
    this.dtype = options.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new ValueError(`${cls} '${this.name}': option 'dtype' expected "float32" or "float64", received ${describe(options.dtype)}`);
    }
    if (options.inputShape !== undefined) {
      const ok = Array.isArray(options.inputShape) && options.inputShape.every((d) => d === null || (Number.isInteger(d) && d > 0));
      if (!ok) throw new ValueError(`${cls} '${this.name}': option 'inputShape' expected positive integers (or null), received ${describe(options.inputShape)}`);
    }
    this.batchInputShape = options.inputShape ? [null, ...options.inputShape] : null;
    this.#trainable = options.trainable ?? true;
    this.activityRegularizer = options.activityRegularizer ? getRegularizer(options.activityRegularizer, `${cls} '${this.name}'`, 'activityRegularizer') : null;
  }

  /** The class name (`Dense`), shown by summaries and used in messages. */
  get className(): string {
    return this.constructor.name;
  }

  /** `Dense 'dense_1'`: how messages name this layer. */
  get label(): string {
    return `${this.className} '${this.name}'`;
  }

  get built(): boolean {
    return this.#built;
  }

  get trainable(): boolean {
    return this.#trainable;
  }

  /** Freezes (false) or unfreezes (true) the layer's weights. */
  set trainable(value: boolean) {
    this.#trainable = value;
    for (const w of this.#weights) w.variable.trainable = value && w.trainable;
    for (const l of this.#sublayers) l.trainable = value;
  }

  /** The activation applied to the output, when the layer has one (the model doctor reads it). */
  get outputActivation(): string | null {
    return null;
  }

  /** Its own weights in creation order, then those of the layers it runs inside it. */
  get weights(): Variable[] {
    return [...this.#weights.map((w) => w.variable), ...this.#sublayers.flatMap((l) => l.weights)];
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((v) => v.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((v) => !v.trainable);
  }

  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /**
   * What its weight names start with: its name (`dense/kernel`), or what the layer that owns it says
   * (`bidirectional/forward_lstm/kernel`, as TensorFlow.js names a wrapped layer's weights).
   */
  get weightScope(): string {
    return this.#scope ? this.#scope() : this.name;
  }

  /** Copies of the weights' values, in creation order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => tensor(v));
  }

  /** Replaces the weights' values (same order, shapes and count as getWeights). */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new ValueError(`${this.label}.setWeights: expected ${weights.length} tensors, received ${describe(values)}`);
    }
    weights.forEach((v, i) => {
      const value = values[i]!;
      if (!shapesEqual(value.shape, v.shape)) {
        throw new ShapeError(`${this.label}.setWeights: weight ${i} ('${v.name}') expected shape ${fmtShape(v.shape)}, received ${fmtShape(value.shape)}`);
      }
      v.assign(value.dtype === v.dtype ? value : value.cast(v.dtype));
    });
  }

  /** The layer's settings as model files write them (snake_case keys); subclasses add their own. */
  getConfig(): LayerConfig {
    return {
      name: this.name,
      trainable: this.trainable,
      dtype: this.dtype,
      ...(this.batchInputShape ? { batch_input_shape: [...this.batchInputShape] } : {}),
      ...(this.activityRegularizer ? { activity_regularizer: serializeRegularizer(this.activityRegularizer, this.label, 'activityRegularizer') } : {}),
    };
  }

  /**
   * An initializer option resolved once, in the constructor, where its default is stated: `build` and
   * `getConfig` then read the same object.
   */
  protected initializerOption(id: InitializerIdentifier | undefined, fallback: InitializerIdentifier, arg: string): Initializer {
    return getInitializer(id ?? fallback, this.label, arg);
  }

  /** A constraint option resolved once, in the constructor; null without one. */
  protected constraintOption(id: ConstraintIdentifier | null | undefined, arg: string): Constraint | null {
    return id === undefined || id === null ? null : getConstraint(id, this.label, arg);
  }

  /** A regularizer option resolved once, in the constructor; null without one. */
  protected regularizerOption(id: RegularizerIdentifier | null | undefined, arg: string): Regularizer | null {
    return id === undefined || id === null ? null : getRegularizer(id, this.label, arg);
  }

  /** Creates a weight owned by this layer; call it from `build`. */
  protected addWeight(options: WeightOptions): Variable {
    const where = `${this.label}.addWeight`;
    const initializer: Initializer = getInitializer(options.initializer ?? 'glorotUniform', where, 'initializer');
    const trainable = options.trainable ?? true;
    const constraint = options.constraint ? getConstraint(options.constraint, where, 'constraint') : null;
    weightCheck?.(this, options.name, options.shape);
    let variable: Variable;
    try {
      variable = new Variable(initializer.init(options.shape, this.dtype), {
        name: `${this.weightScope}/${options.name}`,
        trainable: trainable && this.#trainable,
        constraint,
      });
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw new AllocationError(`${this.label}: weight '${options.name}' of shape ${fmtShape(options.shape)}: ${e.message}`, true);
    }
    const regularizer = options.regularizer ? getRegularizer(options.regularizer, where, 'regularizer') : null;
    this.#weights.push({ variable, trainable, regularizer });
    return variable;
  }

  /**
   * Makes `layer` part of this one (a wrapped layer, a cell): its weights count as this layer's, and its
   * weight names start with `scope()` (read when it builds). Call it from the constructor.
   */
  protected track<L extends BaseLayer>(layer: L, scope: () => string): L {
    if (layer === (this as BaseLayer) || this.#sublayers.includes(layer)) throw new ValueError(`${this.label}: ${layer.label} is already part of it`);
    layer.#scope = scope;
    this.#sublayers.push(layer);
    return layer;
  }

  /**
   * Tensors this layer keeps from one call to the next (a stateful recurrent layer's states), with its
   * sublayers': they outlive the training step or prediction that computed them (models/step-memory.ts).
   */
  heldTensors(): Tensor[] {
    return this.#sublayers.flatMap((l) => l.heldTensors());
  }

  /** The weight penalties and, after a training call, the activity penalties: terms of the training loss. */
  regularizationLosses(): Tensor[] {
    const weightTerms = this.#weights.filter((w) => w.regularizer && w.variable.trainable).map((w) => w.regularizer!.apply(w.variable));
    return [...weightTerms, ...this.#activityLosses, ...this.#sublayers.flatMap((l) => l.regularizationLosses())];
  }

  /** Forgets the activity penalties of earlier calls; models do it before every training forward pass. */
  clearActivityLosses(): void {
    this.#activityLosses = [];
    for (const l of this.#sublayers) l.clearActivityLosses();
  }

  /** Records the activity penalty of an output computed in training mode. */
  protected recordActivity(output: Tensor, options: CallOptions): void {
    if (this.activityRegularizer && options.training) this.#activityLosses.push(this.activityRegularizer.apply(output));
  }

  /** Builds once, from the shapes of the first inputs. */
  protected ensureBuilt(build: () => void): void {
    if (this.#built) return;
    build();
    this.#built = true;
  }

  /** The times this layer was applied to symbolic tensors, in order (a shared layer has several). */
  get inboundNodes(): readonly LayerNode[] {
    return this.#nodes;
  }

  /**
   * The symbolic tensor this layer made when it was applied (Keras's `layer.output`), to build a model
   * that stops here: `new Model({ inputs: base.inputs, outputs: base.getLayer('conv_3').output })`.
   */
  get output(): SymbolicTensor {
    return this.#onlyNode('output').outputs[0]!;
  }

  /** The symbolic tensor this layer read when it was applied (single-input layers). */
  get input(): SymbolicTensor {
    const node = this.#onlyNode('input');
    if (node.inputs.length !== 1) {
      throw new ValueError(`${this.label}.input: the layer reads ${node.inputs.length} inputs; use inboundNodes[0].inputs`);
    }
    return node.inputs[0]!;
  }

  #onlyNode(what: string): LayerNode {
    const n = this.#nodes.length;
    if (n === 1) return this.#nodes[0]!;
    throw new ValueError(
      n === 0
        ? `${this.label}.${what}: the layer has not been applied to a symbolic tensor (Input() or another layer's output) yet`
        : `${this.label}.${what}: the layer was applied ${n} times (a shared layer); use inboundNodes[i].${what === 'output' ? 'outputs' : 'inputs'}`,
    );
  }

  /** Records an application of the layer to symbolic inputs; returns its symbolic outputs. */
  protected addNode(inputs: readonly SymbolicTensor[], outputs: readonly { shape: LayerShape; dtype: DType }[], call: NodeCall | null = null): SymbolicTensor[] {
    const node = new LayerNode(this, inputs, outputs, call);
    this.#nodes.push(node);
    return [...node.outputs];
  }

  /**
   * The mask of the output, from the inputs and their masks (null: no mask). The default passes the first
   * input's mask on when `supportsMasking`, else drops it; a layer that makes masks (an embedding with
   * maskZero) or changes them overrides this.
   */
  computeMask(_inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    return this.supportsMasking ? masks[0] ?? null : null;
  }

  /**
   * Runs the layer as a node of a graph: the masks of the inputs reach `call` (as `mask`, or `masks` for
   * several inputs) and the output's mask comes from `computeMask`. Models override it to run their own
   * graph; layers that take inputs by keyword read the node's `call`.
   */
  invokeNode(inputs: readonly Tensor[], masks: readonly (Tensor | null)[], options: CallOptions, _call: NodeCall | null = null): NodeResult {
    const masked = masks.some((m) => m !== null);
    const y = this.invoke(inputs, masked ? { ...options, mask: masks[0] ?? null, masks } : options);
    if (masked && !this.supportsMasking) this.#warnMaskDropped();
    return { outputs: [y], masks: [this.computeMask(inputs, masks)] };
  }

  #warnedMaskDropped = false;

  /** Says once, as Keras 3 does, that a mask stops at a layer that cannot pass it on (Flatten after Embedding). */
  #warnMaskDropped(): void {
    if (this.#warnedMaskDropped) return;
    this.#warnedMaskDropped = true;
    console.warn(`layerwise: ${this.label} was given an input with a mask, but it does not support masking, so the layers after it will not see the mask`);
  }

  /**
   * The names of the call's arguments in order, the first being its main input, for a layer that takes
   * several inputs by keyword (Keras's call signature: `query, value, key, ...`), so that a file passing
   * them by position names them. Empty for the rest.
   */
  get callSignature(): readonly string[] {
    return [];
  }

  /**
   * Records a node read from a saved file whose call passed inputs by keyword (`call`). Only layers that
   * take keyword inputs accept it.
   */
  applyCall(_inputs: readonly SymbolicTensor[], call: NodeCall): SymbolicTensor[] {
    throw new ValueError(`${this.label}: takes no inputs by keyword, but a node passes it ${call.keywords.map((k) => `'${k}'`).join(', ')}`);
  }

  /** The output shape for inputs of these shapes (one per input). */
  abstract outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape;

  /** Runs the layer on concrete inputs (one per input), building it first if needed. */
  abstract invoke(inputs: readonly Tensor[], options: CallOptions): Tensor;

  /** Builds the layer for inputs of these shapes (no-op once built). */
  abstract buildFor(inputShapes: readonly LayerShape[]): void;
}
