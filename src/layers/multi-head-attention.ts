/**
 * MultiHeadAttention, as Keras 3 builds it (keras/src/layers/attention/multi_head_attention.py): query,
 * key and value each projected to [..., heads, size] by an einsum-dense product, scaled dot products
 * over the attention axes (the steps, by default), a softmax over the positions the masks allow, dropout
 * on those probabilities while training, their weighted sum of the values, and a projection back to the
 * query's width (or `outputShape`). Masks: an explicit `attentionMask` [batch, queries, keys], the causal
 * mask (`useCausalMask`), and the masks of query, value and key as they come through the graph (or as
 * `queryMask`...), combined with AND; the output keeps the query's mask. Saved as Keras saves it: the
 * same config and weights (query/kernel [features, heads, keyDim]...), its keyword inputs in the node.
 */
import type { Initializer, InitializerIdentifier } from '../nn/initializers.js';
import type { Regularizer, RegularizerIdentifier } from '../nn/regularizers.js';
import { broadcastTo, causalMask, dropout, einsum, expandDims, logicalAnd, maskedSoftmax, mul, notEqual, reshape } from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { BaseLayer, SymbolicTensor } from './base-layer.js';
import type { CallOptions, LayerConfig, LayerOptions, NodeCall, NodeResult } from './base-layer.js';
import { LAYER_OPTIONS, initializerId, preLabel, regularizerId } from './layer-options.js';
import type { ConfigReader } from './config.js';
import { initializerConfig, regularizerConfig } from './config.js';
import type { EinsumDensePlan } from './einsum-dense.js';
import { einsumDense, planEinsumDense } from './einsum-dense.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape, withUnknownBatch } from './layer-shape.js';

export interface MultiHeadAttentionOptions extends LayerOptions {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value (default keyDim). */
  valueDim?: number;
  /** Dropout rate on the attention probabilities while training (default 0). */
  dropout?: number;
  useBias?: boolean;
  /** The output's last axes (default: the query's last size). */
  outputShape?: number | readonly number[];
  /** The axes attention runs over (default: every axis but the batch and the features). */
  attentionAxes?: number | readonly number[] | null;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/** The inputs and settings of one call after query and value (tensors eagerly, symbolic tensors in a graph). */
export interface AttentionCallOptions<T> {
  /** Keys (default: the value). */
  key?: T;
  /** Which keys each query may attend to: bool [batch, queries, keys] (broadcasts over the batch and heads). */
  attentionMask?: T | null;
  /** Lets query step i attend to key steps <= i only. */
  useCausalMask?: boolean;
  /** Also return the attention probabilities [batch, heads, queries, keys]. */
  returnAttentionScores?: boolean;
}

/** Eager calls may also give the masks a graph would carry, and the training flag. */
export interface AttentionEagerOptions extends AttentionCallOptions<TensorLike> {
  training?: boolean;
  /** [batch, queries]: false for padding steps of the query. */
  queryMask?: Tensor | null;
  /** [batch, keys]: false for padding steps of the value. */
  valueMask?: Tensor | null;
  /** [batch, keys]: false for padding steps of the key (default: none). */
  keyMask?: Tensor | null;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  numHeads: is.positiveInteger,
  keyDim: is.positiveInteger,
  valueDim: is.positiveInteger.optional(),
  dropout: is.numberIn(0, 1, '[)').optional(),
  useBias: is.boolean.optional(),
  outputShape: is.positiveInteger.or(is.arrayOf(is.positiveInteger, { minLength: 1 })).optional(),
  attentionAxes: is.integer.or(is.arrayOf(is.integer, { minLength: 1 })).or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  kernelInitializer: initializerId.optional(),
  biasInitializer: initializerId.optional(),
  kernelRegularizer: regularizerId.optional(),
  biasRegularizer: regularizerId.optional(),
} satisfies SpecFor<MultiHeadAttentionOptions>);

const tensorOrSymbolic = is.satisfying<unknown>('a tensor', (v): v is unknown => v !== undefined);
const maybeMask = is.instanceOf(Tensor).or(is.satisfying<null>('null', (v): v is null => v === null)).optional();
const EAGER_CALL = optionsSpec({
  key: tensorOrSymbolic.optional(),
  attentionMask: tensorOrSymbolic.or(is.satisfying<null>('null', (v): v is null => v === null)).optional(),
  useCausalMask: is.boolean.optional(),
  returnAttentionScores: is.boolean.optional(),
  training: is.boolean.optional(),
  queryMask: maybeMask,
  valueMask: maybeMask,
  keyMask: maybeMask,
});

/** Keras's call signature, so that a Keras 3 file passing inputs by position names them. */
const SIGNATURE = ['query', 'value', 'key', 'query_mask', 'value_mask', 'key_mask', 'attention_mask', 'return_attention_scores', 'training', 'use_causal_mask'];
const KEYWORDS = ['value', 'key', 'attention_mask'];
const SETTINGS = ['use_causal_mask', 'return_attention_scores'];

/** What attention does for inputs of one rank, fixed at build. */
interface Plans {
  query: EinsumDensePlan;
  key: EinsumDensePlan;
  value: EinsumDensePlan;
  output: EinsumDensePlan;
  /** Scores from projected key and query: `source,target->product`. */
  dotProduct: string;
  /** Outputs from probabilities and projected values. */
  combine: string;
  /** The attention axes of the projected tensors (positive). */
  axes: number[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The weights of one projection. */
interface Projection {
  kernel: Variable;
  bias: Variable | null;
}

/** An einsum-dense projection of `free` kept axes, `bound` contracted and `made` new ones, as Keras builds them. */
function projection(free: number, bound: number, made: number): { equation: string; bias: string } {
  const kept = LETTERS.slice(0, free), contracted = LETTERS.slice(free, free + bound), out = LETTERS.slice(free + bound, free + bound + made);
  return { equation: `${kept}${contracted},${contracted}${out}->${kept}${out}`, bias: out };
}

/**
 * The score and combine equations of attention over `axes` of projected tensors of `rank`, as Keras's
 * `_build_attention_equation` lays them out: the key's attention axes get letters of their own, every
 * other axis (the batch, the heads) is a batch axis of both products.
 */
function attentionEquations(rank: number, axes: readonly number[]): { dotProduct: string; combine: string } {
  const target = LETTERS.slice(0, rank);
  const batch = [...Array(rank).keys()].filter((i) => !axes.includes(i) && i !== rank - 1);
  let next = rank;
  const source = [...target].map((letter, i) => (batch.includes(i) || i === rank - 1 ? letter : LETTERS[next++]!)).join('');
  const product = [...batch.map((i) => target[i]!), ...axes.map((i) => target[i]!), ...axes.map((i) => source[i]!)].join('');
  return { dotProduct: `${source},${target}->${product}`, combine: `${product},${source}->${target}` };
}

export class MultiHeadAttention extends BaseLayer {
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: readonly number[] | null;
  readonly attentionAxes: readonly number[] | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  #plans: Plans | null = null;
  #shapes: { query: LayerShape; value: LayerShape; key: LayerShape } | null = null;
  #weights: Projection[] = [];

  constructor(options: MultiHeadAttentionOptions) {
    const o = OPTIONS.parse(preLabel('MultiHeadAttention', options), options);
    super(options);
    this.supportsMasking = true;
    this.numHeads = o.numHeads;
    this.keyDim = o.keyDim;
    this.valueDim = o.valueDim ?? o.keyDim;
    this.dropout = o.dropout ?? 0;
    this.useBias = o.useBias ?? true;
    this.outputShape = o.outputShape === undefined ? null : typeof o.outputShape === 'number' ? [o.outputShape] : [...o.outputShape];
    this.attentionAxes = o.attentionAxes === undefined || o.attentionAxes === null ? null : typeof o.attentionAxes === 'number' ? [o.attentionAxes] : [...o.attentionAxes];
    this.kernelInitializer = this.initializerOption(o.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = this.initializerOption(o.biasInitializer, 'zeros', 'biasInitializer');
    this.kernelRegularizer = this.regularizerOption(o.kernelRegularizer, 'kernelRegularizer');
    this.biasRegularizer = this.regularizerOption(o.biasRegularizer, 'biasRegularizer');
  }

  override get callSignature(): readonly string[] {
    return SIGNATURE;
  }

  // --- Shapes and weights -----------------------------------------------------------------------------

  /** Checks query, value and key shapes against each other (and against the built ones). */
  #checkShapes(query: LayerShape, value: LayerShape, key: LayerShape): void {
    const say = (arg: string, shape: LayerShape, expected: string): never => {
      throw new ShapeError(`${this.label}: ${arg} expected ${expected}, received shape ${fmtLayerShape(shape)}`);
    };
    if (query.length < 3) say('query', query, 'rank at least 3 [batch, steps, features]');
    if (value.length !== query.length) say('value', value, `rank ${query.length} (the query's, ${fmtLayerShape(query)})`);
    if (key.length !== value.length || key.slice(1, -1).some((d, i) => d !== null && value[i + 1] !== null && d !== value[i + 1])) {
      say('key', key, `the value's shape ${fmtLayerShape(value)} on every axis but the last`);
    }
    const batch = [query[0], value[0], key[0]].filter((d) => d !== null && d !== undefined);
    if (new Set(batch).size > 1) throw new ShapeError(`${this.label}: query, value and key expected one batch size, received shapes ${[query, value, key].map(fmtLayerShape).join(', ')}`);
    for (const [arg, shape] of [['query', query], ['value', value], ['key', key]] as const) {
      if (shape.slice(1).some((d) => d === 0)) say(arg, shape, 'at least one step on every axis (an empty sequence has nothing to attend to)');
      if (shape[shape.length - 1] === null) say(arg, shape, 'a known last (feature) size');
    }
    const built = this.#shapes;
    if (built) {
      for (const [arg, shape, was] of [['query', query, built.query], ['value', value, built.value], ['key', key, built.key]] as const) {
        if (shape.length !== was.length || shape[shape.length - 1] !== was[was.length - 1]) {
          say(arg, shape, `the rank and feature size it was built for, ${fmtLayerShape(was)}`);
        }
      }
    }
  }

  #build(query: LayerShape, value: LayerShape, key: LayerShape): Plans {
    this.#checkShapes(query, value, key);
    if (this.#plans) return this.#plans;
    const rank = query.length;
    const axes = (this.attentionAxes ?? [...Array(rank - 2).keys()].map((i) => i + 1)).map((a) => (a < 0 ? a + rank : a));
    for (const a of axes) {
      if (!(a >= 1 && a < rank - 1)) {
        throw new ValueError(`${this.label}: option 'attentionAxes' expected axes between the batch and the features (1 to ${rank - 2}, or negative), received ${describe(this.attentionAxes)}`);
      }
    }
    if (new Set(axes).size !== axes.length) throw new ValueError(`${this.label}: option 'attentionAxes' names an axis twice: ${describe(this.attentionAxes)}`);
    axes.sort((x, y) => x - y);
    const heads = (shape: LayerShape, size: number): EinsumDensePlan => {
      const p = projection(shape.length - 1, 1, 2);
      return planEinsumDense(this.label, p.equation, this.useBias ? p.bias : null, shape, [...Array(shape.length - 2).fill(null), this.numHeads, size]);
    };
    const queryPlan = heads(query, this.keyDim);
    const outputDims = this.outputShape ?? [query[rank - 1]!];
    const out = projection(rank - 1, 2, outputDims.length);
    const projected: LayerShape = [...query.slice(0, -1), this.numHeads, this.valueDim];
    const plans: Plans = {
      query: queryPlan,
      key: heads(key, this.keyDim),
      value: heads(value, this.valueDim),
      output: planEinsumDense(this.label, out.equation, this.useBias ? out.bias : null, projected, [...Array(rank - 2).fill(null), ...outputDims]),
      ...attentionEquations(rank + 1, axes),
      axes,
    };
    const add = (name: string, plan: EinsumDensePlan): void => {
      const kernel = this.addWeight({ name: `${name}/kernel`, shape: plan.kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
      const bias = plan.biasShape ? this.addWeight({ name: `${name}/bias`, shape: plan.biasShape, initializer: this.biasInitializer, regularizer: this.biasRegularizer }) : null;
      this.#weights.push({ kernel, bias });
    };
    this.ensureBuilt(() => {
      add('query', plans.query);
      add('key', plans.key);
      add('value', plans.value);
      add('attention_output', plans.output);
    });
    this.#plans = plans;
    this.#shapes = { query, value, key };
    return plans;
  }

  /** Output and score shapes for query, value and key shapes. */
  #outputShapes(query: LayerShape, value: LayerShape, key: LayerShape): [LayerShape, LayerShape] {
    const plans = this.#build(query, value, key);
    const output = [query[0] ?? null, ...plans.output.outputShape.slice(1)];
    // The scores: the batch axes of the projected query (batch, other axes, heads), then its attention axes, then the key's.
    const projected = [...query.slice(0, -1), this.numHeads];
    const batchAxes = projected.map((_, i) => i).filter((i) => !plans.axes.includes(i));
    const scores = [...batchAxes.map((i) => projected[i] ?? null), ...plans.axes.map((a) => query[a] ?? null), ...plans.axes.map((a) => key[a] ?? null)];
    return [output, scores];
  }

  buildFor(inputShapes: readonly LayerShape[]): void {
    const [query, value, key] = this.#positional(inputShapes);
    this.#build(query, value, key);
  }

  outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    const [query, value, key] = this.#positional(inputShapes);
    return this.#outputShapes(query, value, key)[0];
  }

  #positional<T>(inputs: readonly T[]): [T, T, T] {
    if (inputs.length < 2 || inputs.length > 3) {
      throw new ValueError(`${this.label}: expected query and value (and optionally key), received ${inputs.length} inputs`);
    }
    return [inputs[0]!, inputs[1]!, inputs[2] ?? inputs[1]!];
  }

  // --- The maths ---------------------------------------------------------------------------------------

  /**
   * The attention mask from the explicit one, the causal mask and the query, value and key masks
   * (Keras's `_compute_attention_mask`), [batch or 1, queries, keys] for one attention axis; null when none.
   */
  #attentionMask(query: Tensor, value: Tensor, masks: { attention: Tensor | null; query: Tensor | null; value: Tensor | null; key: Tensor | null }, causal: boolean): Tensor | null {
    const plans = this.#plans!;
    const [t, s] = [query.shape[1]!, value.shape[1]!];
    const steps = (arg: string, m: Tensor | null, length: number): Tensor | null => {
      if (m === null) return null;
      if (m.rank !== 2 || m.shape[0] !== query.shape[0] || m.shape[1] !== length) {
        throw new ShapeError(`${this.label}: the ${arg} mask expected shape [${query.shape[0]}, ${length}] (batch, steps), received ${fmtShape(m.shape)}`);
      }
      return m.dtype === 'bool' ? m : notEqual(m, 0);
    };
    const parts: Tensor[] = [];
    const q = steps('query', masks.query, t), v = steps('value', masks.value, s), k = steps('key', masks.key, s);
    if ((q || v || k || causal) && plans.axes.length !== 1) {
      throw new ValueError(`${this.label}: masks of the inputs and useCausalMask need attention over one axis; give an attentionMask for attention over axes ${describe(plans.axes)}`);
    }
    if (q) parts.push(expandDims(q, 2));
    if (v) parts.push(expandDims(v, 1));
    if (k) parts.push(expandDims(k, 1));
    if (causal) parts.push(expandDims(causalMask(t, s), 0));
    if (masks.attention) parts.push(this.#explicitMask(masks.attention, query, value));
    return parts.length === 0 ? null : parts.slice(1).reduce((a, m) => logicalAnd(a, m), parts[0]!);
  }

  /** The explicit attention mask, checked to broadcast to [batch, queries..., keys...]. */
  #explicitMask(mask: Tensor, query: Tensor, value: Tensor): Tensor {
    const axes = this.#plans!.axes;
    const full = [query.shape[0]!, ...axes.map((a) => query.shape[a]!), ...axes.map((a) => value.shape[a]!)];
    const fits = mask.rank <= full.length && mask.rank >= 2 * axes.length &&
      mask.shape.every((d, i) => d === 1 || d === full[full.length - mask.rank + i]);
    if (!fits) {
      throw new ShapeError(`${this.label}: attentionMask expected shape ${fmtShape(full)} (batch, query steps, key steps; sizes of 1 broadcast), received ${fmtShape(mask.shape)}`);
    }
    return mask.dtype === 'bool' ? mask : notEqual(mask, 0);
  }

  /** The whole call on concrete tensors: the output and the attention probabilities. */
  #attend(query: Tensor, value: Tensor, key: Tensor, mask: Tensor | null, training: boolean): { output: Tensor; scores: Tensor } {
    const plans = this.#plans!;
    const [q, k, v, o] = this.#weights as [Projection, Projection, Projection, Projection];
    const projectedQuery = mul(einsumDense(plans.query, query, q.kernel, q.bias), 1 / Math.sqrt(this.keyDim));
    const projectedKey = einsumDense(plans.key, key, k.kernel, k.bias);
    const projectedValue = einsumDense(plans.value, value, v.kernel, v.bias);
    const logits = einsum(plans.dotProduct, projectedKey, projectedQuery);
    const scores = this.#softmax(logits, mask);
    const kept = training && this.dropout > 0 ? dropout(scores, this.dropout) : scores;
    const combined = einsum(plans.combine, kept, projectedValue);
    return { output: einsumDense(plans.output, combined, o.kernel, o.bias), scores };
  }

  /** Softmax over the attention axes (the last ones of the scores) where `mask` allows. */
  #softmax(logits: Tensor, mask: Tensor | null): Tensor {
    const n = this.#plans!.axes.length;
    let m = mask;
    // The mask lacks the head axis (and any other batch axis): insert them before the attention axes.
    while (m && m.rank < logits.rank) m = expandDims(m, m.rank - 2 * n);
    if (n === 1) return maskedSoftmax(logits, m);
    // Over several axes: the key axes flattened into one (the mask's too, once it spans them).
    const keyAxes = logits.shape.slice(-n);
    const keys = keyAxes.reduce((a, d) => a * d, 1);
    const flatMask = m ? reshape(broadcastTo(m, [...m.shape.slice(0, -n), ...keyAxes]), [...m.shape.slice(0, -n), keys]) : null;
    return reshape(maskedSoftmax(reshape(logits, [...logits.shape.slice(0, -n), keys]), flatMask), logits.shape);
  }

  #run(inputs: { query: Tensor; value: Tensor; key: Tensor | null; attentionMask: Tensor | null }, masks: { query: Tensor | null; value: Tensor | null; key: Tensor | null }, causal: boolean, training: boolean): { output: Tensor; scores: Tensor } {
    const { query, value } = inputs;
    const key = inputs.key ?? value;
    this.#build(withUnknownBatch(query.shape), withUnknownBatch(value.shape), withUnknownBatch(key.shape));
    if (query.shape[0] !== value.shape[0] || key.shape[0] !== value.shape[0]) {
      throw new ShapeError(`${this.label}: query, value and key expected one batch size, received shapes ${[query, value, key].map((t) => fmtShape(t.shape)).join(', ')}`);
    }
    const mask = this.#attentionMask(query, value, { attention: inputs.attentionMask, ...masks }, causal);
    const result = this.#attend(query, value, key, mask, training);
    this.recordActivity(result.output, { training });
    return result;
  }

  // --- Calling it -----------------------------------------------------------------------------------------

  /**
   * Attends from `query` to `value` (and `key`): on tensors it computes, on symbolic tensors it records a
   * node of a functional model. With `returnAttentionScores: true` it returns [output, scores].
   */
  apply(query: SymbolicTensor, value: SymbolicTensor, options: AttentionCallOptions<SymbolicTensor> & { returnAttentionScores: true }): [SymbolicTensor, SymbolicTensor];
  apply(query: SymbolicTensor, value: SymbolicTensor, options?: AttentionCallOptions<SymbolicTensor> & { returnAttentionScores?: false }): SymbolicTensor;
  apply(query: TensorLike, value: TensorLike, options: AttentionEagerOptions & { returnAttentionScores: true }): [Tensor, Tensor];
  apply(query: TensorLike, value: TensorLike, options?: AttentionEagerOptions & { returnAttentionScores?: false }): Tensor;
  apply(query: TensorLike | SymbolicTensor, value: TensorLike | SymbolicTensor, options: AttentionEagerOptions | AttentionCallOptions<SymbolicTensor> = {}): Tensor | SymbolicTensor | [Tensor, Tensor] | [SymbolicTensor, SymbolicTensor] {
    const o = EAGER_CALL.parse(`${this.label}.apply`, options);
    if (query instanceof SymbolicTensor || value instanceof SymbolicTensor) {
      const symbolic = [query, value, o.key, o.attentionMask];
      symbolic.forEach((t, i) => {
        if (t !== undefined && t !== null && !(t instanceof SymbolicTensor)) {
          throw new ValueError(`${this.label}.apply: ${['query', 'value', 'key', 'attentionMask'][i]} expected a symbolic tensor like the other inputs (all symbolic or all concrete), received ${describe(t)}`);
        }
      });
      for (const name of ['training', 'queryMask', 'valueMask', 'keyMask'] as const) {
        if (o[name] !== undefined) throw new ValueError(`${this.label}.apply: option '${name}' applies to tensors, not symbolic tensors (the graph carries masks and the training flag)`);
      }
      const keywords = ['value', ...(o.key ? ['key'] : []), ...(o.attentionMask ? ['attention_mask'] : [])];
      const settings: JsonObject = { ...(o.useCausalMask ? { use_causal_mask: true } : {}), ...(o.returnAttentionScores ? { return_attention_scores: true } : {}) };
      const inputs = [query, value, o.key, o.attentionMask].filter((t): t is SymbolicTensor => t instanceof SymbolicTensor);
      const outputs = this.applyCall(inputs, { keywords, settings });
      return o.returnAttentionScores ? [outputs[0]!, outputs[1]!] : outputs[0]!;
    }
    const tensor = (arg: string, v: unknown): Tensor => toTensor(this.label, arg, v as TensorLike);
    const result = this.#run(
      {
        query: tensor('query', query), value: tensor('value', value),
        key: o.key === undefined ? null : tensor('key', o.key), attentionMask: o.attentionMask === undefined || o.attentionMask === null ? null : tensor('attentionMask', o.attentionMask),
      },
      { query: o.queryMask ?? null, value: o.valueMask ?? null, key: o.keyMask ?? null },
      o.useCausalMask ?? false,
      o.training ?? false,
    );
    return o.returnAttentionScores ? [result.output, result.scores] : result.output;
  }

  /** Records a node whose inputs after the query are named by `call.keywords` (apply's, or a saved file's). */
  override applyCall(inputs: readonly SymbolicTensor[], call: NodeCall): SymbolicTensor[] {
    for (const k of call.keywords) {
      if (!KEYWORDS.includes(k)) throw new ValueError(`${this.label}: a node passes input '${k}'; MultiHeadAttention takes ${KEYWORDS.join(', ')} after the query`);
    }
    for (const [k, v] of Object.entries(call.settings)) {
      if (!SETTINGS.includes(k) || typeof v !== 'boolean') throw new ValueError(`${this.label}: a node passes '${k}: ${JSON.stringify(v)}'; MultiHeadAttention's call takes ${SETTINGS.join(', ')} (true or false)`);
    }
    if (!call.keywords.includes('value')) throw new ValueError(`${this.label}: a node passes no value (inputs ${call.keywords.join(', ')})`);
    if (inputs.length !== call.keywords.length + 1) throw new ValueError(`${this.label}: a node names ${call.keywords.length + 1} inputs but gives ${inputs.length}`);
    const at = (k: string): SymbolicTensor | undefined => (call.keywords.includes(k) ? inputs[call.keywords.indexOf(k) + 1] : undefined);
    const query = inputs[0]!, value = at('value')!, key = at('key') ?? value;
    const [output, scores] = this.#outputShapes(query.shape, value.shape, key.shape);
    // Keep only the settings that are on, so the node reads as the call that made it.
    const settings = Object.fromEntries(Object.entries(call.settings).filter(([, v]) => v === true));
    const made = [{ shape: output, dtype: query.dtype }, ...(settings['return_attention_scores'] ? [{ shape: scores, dtype: query.dtype }] : [])];
    return this.addNode(inputs, made, { keywords: [...call.keywords], settings });
  }

  override invokeNode(inputs: readonly Tensor[], masks: readonly (Tensor | null)[], options: CallOptions, call: NodeCall | null = null): NodeResult {
    const keywords = call?.keywords ?? ['value', 'key'].slice(0, inputs.length - 1);
    const at = (k: string): number => keywords.indexOf(k) + 1;
    const pick = <T>(list: readonly T[], k: string): T | null => (at(k) > 0 ? list[at(k)] ?? null : null);
    const result = this.#run(
      { query: inputs[0]!, value: pick(inputs, 'value')!, key: pick(inputs, 'key'), attentionMask: pick(inputs, 'attention_mask') },
      { query: masks[0] ?? null, value: pick(masks, 'value'), key: pick(masks, 'key') },
      call?.settings['use_causal_mask'] === true,
      options.training ?? false,
    );
    const withScores = call?.settings['return_attention_scores'] === true;
    return { outputs: withScores ? [result.output, result.scores] : [result.output], masks: withScores ? [masks[0] ?? null, null] : [masks[0] ?? null] };
  }

  /** Query, value and optionally key, by position; the output alone. */
  invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    const [query, value, key] = this.#positional(inputs);
    const masks = options.masks ?? [];
    return this.#run({ query, value, key, attentionMask: null }, { query: masks[0] ?? null, value: masks[1] ?? null, key: masks[2] ?? null }, false, options.training ?? false).output;
  }

  override computeMask(_inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    return masks[0] ?? null;
  }

  // --- Saving -------------------------------------------------------------------------------------------------

  override getConfig(): LayerConfig {
    const label = this.label;
    const shapes = this.#shapes;
    return {
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputShape ? [...this.outputShape] : null,
      attention_axes: this.attentionAxes ? [...this.attentionAxes] : null,
      kernel_initializer: initializerConfig(this.kernelInitializer, label, 'kernelInitializer'),
      bias_initializer: initializerConfig(this.biasInitializer, label, 'biasInitializer'),
      kernel_regularizer: regularizerConfig(this.kernelRegularizer, label, 'kernelRegularizer'),
      bias_regularizer: regularizerConfig(this.biasRegularizer, label, 'biasRegularizer'),
      kernel_constraint: null,
      bias_constraint: null,
      // Keras 2 builds the layer from these when it loads the weights.
      ...(shapes ? { query_shape: [...shapes.query], key_shape: [...shapes.key], value_shape: [...shapes.value] } : {}),
      ...super.getConfig(),
    };
  }

  static fromConfig(c: ConfigReader): MultiHeadAttention {
    for (const key of ['kernel_constraint', 'bias_constraint']) {
      if (c.get(key) !== undefined && c.get(key) !== null) throw c.fail(key, 'null (constraints are not supported)');
    }
    const shape = c.get('output_shape');
    const axes = c.get('attention_axes');
    const ints = (key: string, v: unknown): number | number[] => {
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d))) return v as number[];
      throw c.fail(key, 'an integer or a list of integers');
    };
    return new MultiHeadAttention({
      ...c.base(),
      numHeads: c.integer('num_heads'),
      keyDim: c.integer('key_dim'),
      valueDim: c.integer('value_dim', c.integer('key_dim')),
      dropout: c.number('dropout', 0),
      useBias: c.boolean('use_bias', true),
      ...(shape === undefined || shape === null ? {} : { outputShape: ints('output_shape', shape) }),
      ...(axes === undefined || axes === null ? {} : { attentionAxes: ints('attention_axes', axes) }),
      kernelInitializer: c.initializer('kernel_initializer'),
      biasInitializer: c.initializer('bias_initializer'),
      kernelRegularizer: c.regularizer('kernel_regularizer'),
      biasRegularizer: c.regularizer('bias_regularizer'),
    });
  }
}
