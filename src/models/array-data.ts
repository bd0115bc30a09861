/**
 * Training data held in tensors (arrays), as fit, evaluate and trainOnBatch receive it: converted once,
 * checked against the model (sample counts, input shape, label shape for the loss), split for validation,
 * and cut into batches with one copy per batch. (Streaming datasets are data/'s; this is Keras's array
 * data adapter.)
 */
import { shuffledIndices, sliceRows, takeRows } from '../data/index.js';
import type { LayerShape } from '../layers/index.js';
import { fmtLayerShape } from '../layers/index.js';
import type { Loss } from '../losses/index.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { storage } from '../tensor/tensor.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';

export interface Batch {
  x: Tensor;
  y: Tensor;
  sampleWeight: Tensor | null;
}

/**
 * Samples `offset .. offset + size - 1` of x, y and sampleWeight: the parts of a validationSplit share
 * the caller's arrays instead of copying them.
 */
export interface ArrayData extends Batch {
  offset: number;
  size: number;
}

/** Converts and checks that x, y and the sample weights agree on the number of samples. */
export function toArrayData(where: string, x: TensorLike, y: TensorLike, sampleWeight?: TensorLike | null): ArrayData {
  const xs = toTensor(where, 'x', x);
  const ys = toTensor(where, 'y', y);
  if (xs.rank === 0) throw new ShapeError(`${where}: argument 'x' expected samples along the first axis, received a scalar`);
  if (ys.rank === 0) throw new ShapeError(`${where}: argument 'y' expected one label per sample along the first axis, received a scalar`);
  const n = xs.shape[0]!;
  if (n === 0) throw new ValueError(`${where}: argument 'x' holds no samples (shape ${fmtShape(xs.shape)}); there is nothing to ${where === 'fit' ? 'train on' : 'evaluate'}`);
  if (ys.shape[0] !== n) {
    throw new ShapeError(`${where}: argument 'y' expected ${n} labels (one per sample of x, shape ${fmtShape(xs.shape)}), received shape ${fmtShape(ys.shape)}`);
  }
  let sw: Tensor | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    sw = ops.cast(toTensor(where, 'sampleWeight', sampleWeight), 'float32');
    if (sw.rank !== 1 || sw.shape[0] !== n) {
      throw new ShapeError(`${where}: argument 'sampleWeight' expected shape [${n}] (one weight per sample), received ${fmtShape(sw.shape)}`);
    }
  }
  return { x: xs, y: ys, sampleWeight: sw, offset: 0, size: n };
}

/** Checks one sample's shape against the model's input shape (null dimensions match anything). */
export function checkInputShape(where: string, model: string, x: Tensor, inputShape: LayerShape | null): void {
  if (!inputShape) return;
  const sample = x.shape.slice(1);
  const expected = inputShape.slice(1);
  const fits = sample.length === expected.length && expected.every((d, i) => d === null || d === sample[i]);
  if (!fits) {
    throw new ShapeError(
      `${where}: argument 'x' expected samples of shape ${fmtLayerShape(expected)} (the input of ${model} is ${fmtLayerShape(inputShape)}), received x of shape ${fmtShape(x.shape)}`,
    );
  }
}

/** Checks labels against the model's output for the loss: one-hot rows, class indices, or targets. */
export function checkLabels(where: string, loss: Loss, y: Tensor, outputShape: LayerShape | null): void {
  if (!outputShape || loss.labels === 'unchecked') return;
  if (loss.labels === 'sparse') checkSparseLabels(where, loss, y, outputShape);
  else checkDenseLabels(where, loss, y, outputShape);
}

/** Class indices: the output's shape without its last (class) axis, or with a last axis of 1. */
function checkSparseLabels(where: string, loss: Loss, y: Tensor, outputShape: LayerShape): void {
  const out = outputShape.slice(1);
  const classes = out[out.length - 1] ?? null;
  const labels = y.shape.slice(1);
  const rankFits = labels.length === out.length - 1 || (labels.length === out.length && labels[labels.length - 1] === 1);
  if (!rankFits || !out.slice(0, -1).every((d, i) => d === null || d === labels[i])) {
    const hint = labels.length === out.length && labels[labels.length - 1] === classes ? ` The labels look one-hot: use loss 'categorical_crossentropy' for them.` : '';
    throw new ShapeError(
      `${where}: argument 'y' expected integer class labels of shape ${fmtLayerShape([null, ...out.slice(0, -1)])} for loss '${loss.name}' and the model's output ${fmtLayerShape(outputShape)}, received shape ${fmtShape(y.shape)}.${hint}`,
    );
  }
  checkClassIndices(where, y, classes);
}

/** Labels of the output's shape (a last axis of 1 may be left out). */
function checkDenseLabels(where: string, loss: Loss, y: Tensor, outputShape: LayerShape): void {
  const out = outputShape.slice(1);
  const classes = out[out.length - 1];
  const labels = y.shape.slice(1);
  const matches = (a: readonly number[]) => a.length === out.length && out.every((d, i) => d === null || d === a[i]);
  if (matches(labels) || (classes === 1 && matches([...labels, 1]))) return;
  const looksSparse = labels.length === out.length - 1 && typeof classes === 'number' && classes > 1;
  const hint = looksSparse && loss.expects === 'softmax'
    ? ` The labels look like class indices: one-hot encode them with toCategorical(y, ${classes}), or use loss 'sparse_categorical_crossentropy'.`
    : '';
  throw new ShapeError(
    `${where}: argument 'y' expected labels of shape ${fmtLayerShape([null, ...out])} to match the model's output ${fmtLayerShape(outputShape)} for loss '${loss.name}', received shape ${fmtShape(y.shape)}.${hint}`,
  );
}

function checkClassIndices(where: string, y: Tensor, classes: number | null): void {
  const values = storage(y);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || (classes !== null && v >= classes)) {
      throw new ValueError(
        `${where}: argument 'y' expected integer class labels in [0, ${classes === null ? 'classes' : classes - 1}], received ${v} at position ${i}`,
      );
    }
  }
}

/** Per-sample weights from `classWeight` (class index -> weight, 1 for classes not listed). */
export function classWeightsToSampleWeights(where: string, y: Tensor, classWeight: Readonly<Record<number, number>>): Tensor {
  if (typeof classWeight !== 'object' || classWeight === null) {
    throw new ValueError(`${where}: option 'classWeight' expected an object mapping class indices to weights, received ${describe(classWeight)}`);
  }
  // One-hot rows name their class by argmax; class indices (and 0/1 binary labels) name it directly.
  const perSample = y.rank > 1 && y.shape[y.rank - 1]! > 1 ? ops.argmax(y, -1) : ops.cast(ops.reshape(y, [y.shape[0]!]), 'int32');
  const largest = Math.max(0, ...Object.keys(classWeight).map(Number), ops.max(perSample).item());
  const table = new Float32Array(largest + 1).fill(1);
  for (const [k, w] of Object.entries(classWeight)) {
    const c = Number(k);
    if (!Number.isInteger(c) || c < 0 || typeof w !== 'number' || !(w >= 0)) {
      throw new ValueError(`${where}: option 'classWeight' expected non-negative weights for integer classes, received ${k}: ${describe(w)}`);
    }
    table[c] = w;
  }
  return ops.gather(table, perSample);
}

/** Keras's validationSplit: the last fraction of the samples (taken before shuffling) validates. */
export function splitForValidation(where: string, data: ArrayData, fraction: number): [ArrayData, ArrayData] {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new ValueError(`${where}: option 'validationSplit' expected a number in (0, 1), received ${describe(fraction)}`);
  }
  const at = Math.ceil(data.size * (1 - fraction));
  if (at === 0 || at === data.size) {
    throw new ValueError(`${where}: validationSplit ${fraction} of ${data.size} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
  }
  const part = (start: number, end: number): ArrayData => ({ ...data, offset: data.offset + start, size: end - start });
  return [part(0, at), part(at, data.size)];
}

/** The rows of an epoch, shuffled or in order: what takeBatch picks batches from. */
export function epochOrder(data: ArrayData, shuffle: boolean): Int32Array {
  const order = shuffle ? shuffledIndices(data.size) : new Int32Array(data.size).map((_, i) => i);
  if (data.offset !== 0) for (let i = 0; i < order.length; i++) order[i]! += data.offset;
  return order;
}

/** The batch of rows `order[start..end)` (see epochOrder), copied once. */
export function takeBatch(data: ArrayData, order: Int32Array, start: number, end: number): Batch {
  return {
    x: takeRows(data.x, order, start, end),
    y: takeRows(data.y, order, start, end),
    sampleWeight: data.sampleWeight ? takeRows(data.sampleWeight, order, start, end) : null,
  };
}

/** Samples start..end-1, in order (evaluate), copied once. */
export function sliceBatch(data: ArrayData, start: number, end: number): Batch {
  const [from, to] = [data.offset + start, data.offset + end];
  return {
    x: sliceRows(data.x, from, to),
    y: sliceRows(data.y, from, to),
    sampleWeight: data.sampleWeight ? sliceRows(data.sampleWeight, from, to) : null,
  };
}
