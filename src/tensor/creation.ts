/** Creating tensors: from values, filled, ranges, identity, and random draws from the seeded generator. */
import { alloc, kernelsFor } from '../backend/index.js';
import type { DType, TypedArray } from '../util/dtype.js';
import { dtypeOf, isDType } from '../util/dtype.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { rng } from '../util/random.js';
import { checkShape, sizeOf } from '../util/shape.js';
import type { NestedArray } from './tensor.js';
import { Tensor, storage } from './tensor.js';

/** Anything an op accepts where a tensor is expected. */
export type TensorLike = Tensor | number | boolean | NestedArray | TypedArray;

export interface TensorOptions {
  /** Shape of the result; required for a flat typed array that is not 1-D, checked against nested arrays. */
  shape?: readonly number[];
  /** float32 by default for numbers, bool for booleans, the array's own type for typed arrays. */
  dtype?: DType;
}

function checkDType(where: string, dtype: unknown): DType {
  if (!isDType(dtype)) {
    throw new ValueError(`${where}: argument 'dtype' expected one of float32, float64, int32, bool, received ${describe(dtype)}`);
  }
  return dtype;
}

function inferShape(where: string, values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

function flatten(where: string, values: NestedArray, shape: readonly number[], out: TypedArray): void {
  let n = 0;
  const visit = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v === 'number') out[n++] = v;
      else if (typeof v === 'boolean') out[n++] = v ? 1 : 0;
      else throw new ValueError(`${where}: expected a number at ${path || 'the top level'}, received ${describe(v)}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        `${where}: nested arrays are not rectangular: expected an array of length ${shape[dim]} at ${path || 'the top level'}, received ${describe(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) visit(v[i]!, dim + 1, `${path}[${i}]`);
  };
  visit(values, 0, '');
}

function firstLeaf(values: NestedArray): unknown {
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    v = v[0]!;
  }
  return v;
}

/** Creates a tensor from a number, a boolean, nested arrays or a typed array (copied). */
export function tensor(values: TensorLike, options: TensorOptions = {}): Tensor {
  const where = 'tensor';
  const dtype = options.dtype === undefined ? undefined : checkDType(where, options.dtype);
  if (values instanceof Tensor) {
    return dtype && dtype !== values.dtype ? cast(values, dtype) : new Tensor(storage(values).slice(), values.shape);
  }
  if (ArrayBuffer.isView(values)) {
    const typed = values as TypedArray;
    const shape = options.shape ? checkShape(where, 'shape', options.shape) : [typed.length];
    if (sizeOf(shape) !== typed.length) {
      throw new ShapeError(`${where}: argument 'shape' ${fmtShape(shape)} (size ${sizeOf(shape)}) does not match the ${typed.length} values given`);
    }
    const target = dtype ?? dtypeOf(typed);
    const data = alloc(target, typed.length);
    kernelsFor(target).cast({ x: typed, out: data });
    return new Tensor(data, shape);
  }
  if (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values)) {
    throw new ValueError(`${where}: argument 'values' expected a number, boolean, nested array or typed array, received ${describe(values)}`);
  }
  const inferred = inferShape(where, values);
  const leaf = firstLeaf(values);
  const target = dtype ?? (typeof leaf === 'boolean' ? 'bool' : 'float32');
  const size = sizeOf(inferred);
  const data = alloc(target, size);
  flatten(where, values, inferred, data);
  if (options.shape) {
    const shape = checkShape(where, 'shape', options.shape);
    if (sizeOf(shape) !== size) {
      throw new ShapeError(`${where}: argument 'shape' ${fmtShape(shape)} does not match the ${size} values given (shape ${fmtShape(inferred)})`);
    }
    return new Tensor(data, shape);
  }
  return new Tensor(data, inferred);
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  if (typeof value !== 'number') throw new ValueError(`scalar: argument 'value' expected a number, received ${describe(value)}`);
  return fill([], value, { dtype });
}

/** A tensor of `shape` with every element equal to `value`. */
export function fill(shape: readonly number[], value: number, options: { dtype?: DType } = {}): Tensor {
  const s = checkShape('fill', 'shape', shape);
  const dtype = checkDType('fill', options.dtype ?? 'float32');
  if (typeof value !== 'number') throw new ValueError(`fill: argument 'value' expected a number, received ${describe(value)}`);
  const data = alloc(dtype, sizeOf(s));
  kernelsFor(dtype).fill({ out: data, value });
  return new Tensor(data, s);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, { dtype });
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, { dtype });
}

export function zerosLike(t: Tensor): Tensor {
  return fill(t.shape, 0, { dtype: t.dtype });
}

export function onesLike(t: Tensor): Tensor {
  return fill(t.shape, 1, { dtype: t.dtype });
}

/** Values start, start+step, ... below stop (above it for a negative step), like NumPy's arange. */
export function range(start: number, stop: number, options: { step?: number; dtype?: DType } = {}): Tensor {
  const step = options.step ?? 1;
  for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`range: argument '${name}' expected a finite number, received ${describe(v)}`);
  }
  if (step === 0) throw new ValueError(`range: argument 'step' expected a non-zero number, received 0`);
  const dtype = checkDType('range', options.dtype ?? 'float32');
  const n = Math.max(Math.ceil((stop - start) / step), 0);
  const data = alloc(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/** The identity matrix (n x m, m defaulting to n). */
export function eye(n: number, options: { m?: number; dtype?: DType } = {}): Tensor {
  const m = options.m ?? n;
  checkShape('eye', 'n', [n]);
  checkShape('eye', 'm', [m]);
  const dtype = checkDType('eye', options.dtype ?? 'float32');
  const data = alloc(dtype, n * m);
  kernelsFor(dtype).fill({ out: data, value: 0 });
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

function random(where: string, shape: readonly number[], dtype: DType | undefined, draw: () => number): Tensor {
  const s = checkShape(where, 'shape', shape);
  const d = checkDType(where, dtype ?? 'float32');
  if (d !== 'float32' && d !== 'float64') throw new ValueError(`${where}: argument 'dtype' expected float32 or float64, received ${d}`);
  const data = alloc(d, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, s);
}

function checkFinite(where: string, arg: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: argument '${arg}' expected a finite number, received ${describe(v)}`);
}

/** Uniform in [minval, maxval) from the global seeded generator. */
export function randomUniform(shape: readonly number[], options: { minval?: number; maxval?: number; dtype?: DType } = {}): Tensor {
  const lo = options.minval ?? 0, hi = options.maxval ?? 1;
  checkFinite('randomUniform', 'minval', lo);
  checkFinite('randomUniform', 'maxval', hi);
  if (!(hi > lo)) throw new ValueError(`randomUniform: expected maxval > minval, received minval ${lo} and maxval ${hi}`);
  const g = rng();
  return random('randomUniform', shape, options.dtype, () => g.uniform(lo, hi));
}

export interface NormalOptions {
  mean?: number;
  stddev?: number;
  dtype?: DType;
}

function normalParams(where: string, options: NormalOptions): [number, number] {
  const mean = options.mean ?? 0, std = options.stddev ?? 1;
  checkFinite(where, 'mean', mean);
  checkFinite(where, 'stddev', std);
  if (std < 0) throw new ValueError(`${where}: argument 'stddev' expected a non-negative number, received ${std}`);
  return [mean, std];
}

/** Normal draws from the global seeded generator. */
export function randomNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const [mean, std] = normalParams('randomNormal', options);
  const g = rng();
  return random('randomNormal', shape, options.dtype, () => g.normal(mean, std));
}

/** Normal draws redrawn beyond two standard deviations (Keras's TruncatedNormal). */
export function truncatedNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const [mean, std] = normalParams('truncatedNormal', options);
  const g = rng();
  return random('truncatedNormal', shape, options.dtype, () => g.truncatedNormal(mean, std));
}

/** A copy of `t` converted to `dtype` (not differentiable; ops.cast is). */
function cast(t: Tensor, dtype: DType): Tensor {
  const data = alloc(dtype, t.size);
  kernelsFor(dtype).cast({ x: storage(t), out: data });
  return new Tensor(data, t.shape);
}

/**
 * Converts an op's argument to a tensor. Plain numbers and arrays take `dtype` (the dtype of the op's
 * tensor operands) so that `x.mul(2)` stays float64 when x is.
 */
export function toTensor(where: string, arg: string, value: TensorLike, dtype?: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    try {
      const d = ArrayBuffer.isView(value) ? undefined : typeof value === 'boolean' ? 'bool' : dtype;
      return tensor(value, d ? { dtype: d } : {});
    } catch (e) {
      if (e instanceof Error) e.message = `${where}: argument '${arg}': ${e.message}`;
      throw e;
    }
  }
  throw new ValueError(`${where}: argument '${arg}' expected a Tensor, number or (nested) array, received ${describe(value)}`);
}
