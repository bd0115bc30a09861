/**
 * Training data held in tensors (arrays), as fit, evaluate and trainOnBatch receive it: converted once,
 * one tensor per input and output, checked against the model (sample counts, input shapes, label shapes
 * for each loss), split for validation, and cut into batches with one copy per batch. (Keras's array data
 * adapter; Datasets are dataset-data.ts's.)
 */
import { batchRanges, shuffledIndices, sliceRows, takeRows } from '../data/index.js';
import type { LayerShape } from '../layers/index.js';
import { fmtLayerShape } from '../layers/index.js';
import type { Loss } from '../losses/index.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor, storage } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { isJsonObject } from '../util/json.js';
import type { RandomState } from '../util/random.js';
import { getRandomState, setRandomState } from '../util/random.js';
import type { Batch, DataPosition, EpochBatches, TrainingData } from './data-adapter.js';
import type { Ports } from './model-io.js';
import { isRecord, perPort, toTensors } from './model-io.js';

export type { Batch } from './data-adapter.js';

/**
 * Samples `offset .. offset + size - 1` of every tensor: the parts of a validationSplit share the
 * caller's arrays instead of copying them.
 */
export interface ArrayData extends Batch {
  offset: number;
  size: number;
}

/** The model's inputs and outputs, as data is checked against them. */
export interface ModelPorts {
  inputs: Ports;
  outputs: Ports;
}

/** Sample weights: one weight per sample for every output, or per output (an array in order, or a record by name). */
export type SampleWeights = TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>>;

const nameOf = (ports: Ports, i: number, arg: string): string => (ports.names.length === 1 ? arg : `${arg} ('${ports.names[i]}')`);

/**
 * Converts and checks that every tensor has the same number of samples. `y` may be absent (predict) and
 * `sampleWeight` given once for every output or per output.
 */
export function toArrayData(where: string, ports: ModelPorts, x: unknown, y: unknown, sampleWeight?: SampleWeights | null): ArrayData {
  const xs = toTensors(where, 'x', x, ports.inputs);
  const ys = y === undefined ? [] : toTensors(where, 'y', y, ports.outputs);
  xs.forEach((t, i) => {
    if (t.rank === 0) throw new ShapeError(`${where}: argument '${nameOf(ports.inputs, i, 'x')}' expected samples along the first axis, received a scalar`);
  });
  ys.forEach((t, i) => {
    if (t.rank === 0) throw new ShapeError(`${where}: argument '${nameOf(ports.outputs, i, 'y')}' expected one label per sample along the first axis, received a scalar`);
  });
  const n = xs[0]!.shape[0]!;
  if (n === 0) throw new ValueError(`${where}: argument 'x' holds no samples (shape ${fmtShape(xs[0]!.shape)}); there is nothing to ${where === 'fit' ? 'train on' : where === 'predict' ? 'predict' : 'evaluate'}`);
  xs.forEach((t, i) => {
    if (t.shape[0] !== n) throw new ShapeError(`${where}: argument '${nameOf(ports.inputs, i, 'x')}' expected ${n} samples (as the first input has), received shape ${fmtShape(t.shape)}`);
  });
  ys.forEach((t, i) => {
    if (t.shape[0] !== n) {
      throw new ShapeError(`${where}: argument '${nameOf(ports.outputs, i, 'y')}' expected ${n} labels (one per sample of x, shape ${fmtShape(xs[0]!.shape)}), received shape ${fmtShape(t.shape)}`);
    }
  });
  return { x: xs, y: ys, sampleWeight: sampleWeights(where, sampleWeight, ports.outputs, n), offset: 0, size: n };
}

/** One weight vector per output (null: unweighted). */
function sampleWeights(where: string, value: SampleWeights | null | undefined, outputs: Ports, n: number): (Tensor | null)[] {
  if (value === undefined || value === null) return outputs.names.map(() => null);
  // A vector of numbers weighs the samples of every output alike.
  const shared = value instanceof Tensor || ArrayBuffer.isView(value) || (Array.isArray(value) && value.every((v) => typeof v === 'number'));
  const values = shared || (outputs.names.length === 1 && !isRecord(value)) ? outputs.names.map(() => value) : perPort(where, 'sampleWeight', value, outputs, () => false, { partial: true });
  return values.map((v, i) => {
    if (v === undefined || v === null) return null;
    const arg = shared || outputs.names.length === 1 ? 'sampleWeight' : `sampleWeight ('${outputs.names[i]}')`;
    const sw = ops.cast(toTensor(where, arg, v as TensorLike), 'float32');
    if (sw.rank !== 1 || sw.shape[0] !== n) throw new ShapeError(`${where}: argument '${arg}' expected shape [${n}] (one weight per sample), received ${fmtShape(sw.shape)}`);
    return sw;
  });
}

/** Checks each input's sample shape against the model's (null dimensions match anything). */
export function checkInputShapes(where: string, model: string, xs: readonly Tensor[], shapes: readonly (LayerShape | null)[], inputs: Ports): void {
  xs.forEach((x, i) => {
    const inputShape = shapes[i];
    if (!inputShape) return;
    const sample = x.shape.slice(1);
    const expected = inputShape.slice(1);
    const fits = sample.length === expected.length && expected.every((d, j) => d === null || d === sample[j]);
    if (!fits) {
      const which = inputs.names.length === 1 ? `the input of ${model}` : `input '${inputs.names[i]}' of ${model}`;
      throw new ShapeError(
        `${where}: argument '${nameOf(inputs, i, 'x')}' expected samples of shape ${fmtLayerShape(expected)} (${which} is ${fmtLayerShape(inputShape)}), received ${inputs.names.length === 1 ? 'x' : 'it'} of shape ${fmtShape(x.shape)}`,
      );
    }
  });
}

/** Checks each output's labels against the output's shape for its loss: one-hot rows, class indices, or targets. */
export function checkLabels(where: string, losses: readonly Loss[], ys: readonly Tensor[], shapes: readonly (LayerShape | null)[], outputs: Ports): void {
  ys.forEach((y, i) => {
    const outputShape = shapes[i];
    const loss = losses[i]!;
    if (!outputShape || loss.labels === 'unchecked') return;
    const arg = nameOf(outputs, i, 'y');
    if (loss.labels === 'sparse') checkSparseLabels(where, arg, loss, y, outputShape);
    else checkDenseLabels(where, arg, loss, y, outputShape);
  });
}

/** Class indices: the output's shape without its last (class) axis, or with a last axis of 1. */
function checkSparseLabels(where: string, arg: string, loss: Loss, y: Tensor, outputShape: LayerShape): void {
  const out = outputShape.slice(1);
  const classes = out[out.length - 1] ?? null;
  const labels = y.shape.slice(1);
  const rankFits = labels.length === out.length - 1 || (labels.length === out.length && labels[labels.length - 1] === 1);
  if (!rankFits || !out.slice(0, -1).every((d, i) => d === null || d === labels[i])) {
    const hint = labels.length === out.length && labels[labels.length - 1] === classes ? ` The labels look one-hot: use loss 'categorical_crossentropy' for them.` : '';
    throw new ShapeError(
      `${where}: argument '${arg}' expected integer class labels of shape ${fmtLayerShape([null, ...out.slice(0, -1)])} for loss '${loss.name}' and the model's output ${fmtLayerShape(outputShape)}, received shape ${fmtShape(y.shape)}.${hint}`,
    );
  }
  checkClassIndices(where, arg, y, classes);
}

/** Labels of the output's shape (a last axis of 1 may be left out). */
function checkDenseLabels(where: string, arg: string, loss: Loss, y: Tensor, outputShape: LayerShape): void {
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
    `${where}: argument '${arg}' expected labels of shape ${fmtLayerShape([null, ...out])} to match the model's output ${fmtLayerShape(outputShape)} for loss '${loss.name}', received shape ${fmtShape(y.shape)}.${hint}`,
  );
}

function checkClassIndices(where: string, arg: string, y: Tensor, classes: number | null): void {
  const values = storage(y);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || (classes !== null && v >= classes)) {
      throw new ValueError(
        `${where}: argument '${arg}' expected integer class labels in [0, ${classes === null ? 'classes' : classes - 1}], received ${v} at position ${i}`,
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
function epochOrder(data: ArrayData, shuffle: boolean): Int32Array {
  const order = shuffle ? shuffledIndices(data.size) : new Int32Array(data.size).map((_, i) => i);
  if (data.offset !== 0) for (let i = 0; i < order.length; i++) order[i]! += data.offset;
  return order;
}

/** The batch of rows `order[start..end)` (see epochOrder), copied once. */
function takeBatch(data: ArrayData, order: Int32Array, start: number, end: number): Batch {
  const take = (t: Tensor): Tensor => takeRows(t, order, start, end);
  return { x: data.x.map(take), y: data.y.map(take), sampleWeight: data.sampleWeight.map((w) => (w ? take(w) : null)) };
}

/** Samples start..end-1, in order (evaluate, predict), copied once. */
function sliceBatch(data: ArrayData, start: number, end: number): Batch {
  const slice = (t: Tensor): Tensor => sliceRows(t, data.offset + start, data.offset + end);
  return { x: data.x.map(slice), y: data.y.map(slice), sampleWeight: data.sampleWeight.map((w) => (w ? slice(w) : null)) };
}

/**
 * Arrays as training data: every sample once per epoch, in batches, shuffled by the global generator
 * when asked. A position holds the generator's state at the start of the epoch (before the shuffle), so
 * a run resumed mid-epoch draws the same order and continues after the batches already trained on.
 */
export class ArrayTrainingData implements TrainingData {
  readonly steps: number;
  readonly samples: number;
  readonly #ranges: [number, number][];

  constructor(
    readonly data: ArrayData,
    readonly batchSize: number,
    readonly shuffle: boolean,
  ) {
    this.#ranges = batchRanges(data.size, batchSize);
    this.steps = this.#ranges.length;
    this.samples = data.size;
  }

  open(_epoch: number | null, from: DataPosition | null): EpochBatches {
    const start = from === null ? null : readArrayPosition(from, this.steps);
    let order: Int32Array | null = null;
    let random: RandomState | null = null;
    if (this.shuffle) {
      const now = getRandomState();
      if (start && !start.random) throw new ValueError(`fit (resumeFrom): the checkpoint was taken in an epoch that did not shuffle; resume with shuffle: false`);
      random = start?.random ?? now;
      setRandomState(random);
      order = epochOrder(this.data, true);
      // Resumed, the generator goes on from where the checkpoint left it, not from after the shuffle.
      if (start) setRandomState(now);
    }
    const ranges = this.#ranges;
    const data = this.data;
    let step = start?.step ?? 0;
    return {
      waitedMs: 0,
      next: async () => {
        const range = ranges[step];
        if (!range) return null;
        step++;
        return order ? takeBatch(data, order, range[0], range[1]) : sliceBatch(data, range[0], range[1]);
      },
      position: (): DataPosition => ({ kind: 'arrays', step, ...(random ? { random: { words: [...random.words], spare: random.spare } } : {}) }),
      following: () => null,
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {}
}

function readArrayPosition(p: DataPosition, steps: number): { step: number; random: RandomState | null } {
  const step = p['step'];
  const random = p['random'];
  if (p['kind'] !== 'arrays' || typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > steps) {
    throw new ValueError(`fit (resumeFrom): the checkpoint's data position ${JSON.stringify(p)} is not a position in these arrays (${steps} batches per epoch): was it saved from a run on other data?`);
  }
  if (random === undefined) return { step, random: null };
  if (!isJsonObject(random) || !Array.isArray(random['words']) || random['words'].length !== 4) {
    throw new ValueError(`fit (resumeFrom): the checkpoint's data position has a damaged random state: ${JSON.stringify(random)}`);
  }
  return { step, random: { words: random['words'] as RandomState['words'], spare: (random['spare'] ?? null) as number | null } };
}
