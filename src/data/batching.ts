/**
 * Turning a dataset into batches: rows picked by index with one copy (the gather kernel), shuffling
 * from the global seeded generator, and one-hot labels.
 */
import { alloc, allocOutput, kernelsFor, onDevice } from '../backend/index.js';
import { oneHot } from '../ops/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor, kernelArray, storage } from '../tensor/tensor.js';
import { checkArg, is } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { rng } from '../util/random.js';
import { sizeOf } from '../util/shape.js';

/**
 * One-hot rows for integer labels (numbers, int32 tensors, or integer typed arrays such as the Uint8Array
 * of an IDX label file); `numClasses` defaults to the largest label + 1 (as Keras does).
 */
export function toCategorical(labels: TensorLike, numClasses?: number): Tensor {
  checkArg('toCategorical', 'numClasses', numClasses, is.positiveInteger.optional());
  const t = toTensor('toCategorical', 'labels', labels);
  const values = storage(t);
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(`toCategorical: argument 'labels' expected non-negative integers, received ${v} at position ${i}`);
    }
    if (v > largest) largest = v;
  }
  if (largest > 2 ** 31 - 1) throw new ValueError(`toCategorical: argument 'labels' holds ${largest}, beyond the largest class index an int32 holds (2147483647)`);
  const classes = numClasses ?? largest + 1;
  if (classes < 1) throw new ValueError(`toCategorical: argument 'labels' holds no label, so the number of classes is unknown; give numClasses`);
  if (largest >= classes) {
    throw new ValueError(`toCategorical: label ${largest} does not fit in numClasses ${classes} (labels must be in [0, ${classes - 1}])`);
  }
  // Keras drops a trailing axis of 1: labels [n, 1] give [n, classes].
  const squeezed = t.rank > 1 && t.shape[t.rank - 1] === 1 ? new Tensor(values, t.shape.slice(0, -1)) : t;
  return oneHot(squeezed, classes);
}

/** A random permutation of 0..n-1 from the global seeded generator. */
export function shuffledIndices(n: number): Int32Array {
  return rng().permutation(checkArg('shuffledIndices', 'n', n, is.nonNegativeInteger));
}

/** The rows of `x` (along axis 0) at `indices[start..end)`, copied once. */
export function takeRows(x: Tensor, indices: Int32Array, start = 0, end = indices.length): Tensor {
  checkArg('takeRows', 'x', x, is.instanceOf(Tensor));
  checkArg('takeRows', 'indices', indices, is.instanceOf(Int32Array));
  checkArg('takeRows', 'start', start, is.integerIn(0, indices.length));
  checkArg('takeRows', 'end', end, is.integerIn(start, indices.length));
  if (x.rank === 0) throw new ShapeError(`takeRows: argument 'x' expected at least one axis, received a scalar`);
  const n = x.shape[0]!;
  const picked = indices.subarray(start, end);
  for (let p = 0; p < picked.length; p++) {
    const i = picked[p]!;
    if (i < 0 || i >= n) throw new ShapeError(`takeRows: index ${i} at position ${start + p} is outside the ${n} rows of x`);
  }
  const rowShape = x.shape.slice(1);
  // Rows a device holds are gathered there; rows in memory stay in memory (the gather runs on the CPU).
  const source = kernelArray(x);
  const length = picked.length * sizeOf(rowShape);
  const out = onDevice([source]) ? allocOutput(x.dtype, length) : alloc(x.dtype, length);
  kernelsFor(x.dtype).gather({ x: source, indices: picked, out, gather: { outer: 1, axisSize: n, inner: sizeOf(rowShape) } });
  return new Tensor(out, [picked.length, ...rowShape]);
}

/** Rows start..end-1 of `x`, copied once. */
export function sliceRows(x: Tensor, start: number, end: number): Tensor {
  checkArg('sliceRows', 'x', x, is.instanceOf(Tensor));
  const n = x.shape[0] ?? 0;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ShapeError(`sliceRows: expected 0 <= start <= end <= ${n}, received start ${describe(start)} and end ${describe(end)} for shape ${fmtShape(x.shape)}`);
  }
  const row = sizeOf(x.shape.slice(1));
  const shape = [end - start, ...x.shape.slice(1)];
  const source = kernelArray(x);
  if (onDevice([source])) {
    const out = allocOutput(x.dtype, (end - start) * row);
    kernelsFor(x.dtype).slice({ x: source, out, shape: [n, row], begin: [start, 0], size: [end - start, row] });
    return new Tensor(out, shape);
  }
  const out = alloc(x.dtype, (end - start) * row);
  out.set(storage(x).subarray(start * row, end * row));
  return new Tensor(out, shape);
}

/** The [start, end) sample ranges of consecutive batches of `batchSize` (the last one may be smaller). */
export function batchRanges(n: number, batchSize: number): [number, number][] {
  checkArg('batchRanges', 'n', n, is.nonNegativeInteger);
  checkArg('batchRanges', 'batchSize', batchSize, is.positiveInteger);
  const ranges: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) ranges.push([start, Math.min(start + batchSize, n)]);
  return ranges;
}
