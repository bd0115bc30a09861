/**
 * Reading the inputs of the plain metric functions: labels, class indices and scores given as tensors,
 * nested arrays or typed arrays, turned into float64 arrays so every score is computed exactly.
 */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { storage } from '../tensor/tensor.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';

/** Values in row-major order with their shape. */
export interface Values {
  values: Float64Array;
  shape: readonly number[];
}

export function readValues(where: string, arg: string, input: TensorLike): Values {
  // Nested arrays are read in float64, so 0.7 stays 0.7 (tensors keep their own precision).
  const t = toTensor(where, arg, input, 'float64');
  if (t.rank === 0) throw new ShapeError(`${where}: argument '${arg}' expected one value per sample, received a scalar`);
  const values = Float64Array.from(storage(t));
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) throw new ValueError(`${where}: argument '${arg}' holds NaN at position ${i}`);
  }
  return { values, shape: t.shape };
}

/**
 * One class index per sample: from integer labels ([n] or [n, 1]) or, for rows of class scores or
 * one-hot rows ([n, classes]), the position of the largest value (the first one on ties).
 */
export function readClasses(where: string, arg: string, input: TensorLike): Int32Array {
  const { values, shape } = readValues(where, arg, input);
  const n = shape[0]!;
  if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0) {
        const hint = v > 0 && v < 1 ? ' (probabilities must be turned into classes first, e.g. score > 0.5)' : '';
        throw new ValueError(`${where}: argument '${arg}' expected non-negative integer class labels, received ${v} at position ${i}${hint}`);
      }
      out[i] = v;
    }
    return out;
  }
  if (shape.length !== 2) {
    throw new ShapeError(`${where}: argument '${arg}' expected class labels [n] or rows of class scores [n, classes], received shape ${fmtShape(shape)}`);
  }
  return argmaxRows(values, n, shape[1]!);
}

/** The position of the largest value of each row of an [n, k] matrix (the first one on ties). */
export function argmaxRows(values: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export function toBinary(where: string, arg: string, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && v !== 1) throw new ValueError(`${where}: argument '${arg}' expected 0/1 labels, received ${v} at position ${i}`);
    out[i] = v;
  }
  return out;
}

/** Checks that two per-sample arrays describe the same samples. */
export function sameLength(where: string, a: { length: number }, b: { length: number }, names = ['yTrue', 'yPred']): void {
  if (a.length !== b.length) {
    throw new ShapeError(`${where}: arguments '${names[0]}' and '${names[1]}' expected the same number of samples, received ${a.length} and ${b.length}`);
  }
  if (a.length === 0) throw new ValueError(`${where}: received no samples`);
}
