/** Creating tensors: from values, filled, ranges, identity, and random draws from the seeded generator. */
import { AllocationError, alloc, allocOutput, kernelsFor, onDevice } from '../backend/index.js';
import { checkArg, checkOption, is, optionsSpec } from '../util/checks.js';
import type { SpecFor } from '../util/checks.js';
import type { DType, TypedArray } from '../util/dtype.js';
import { INT32_RULE, firstNotInt32, fitsInt32 } from '../util/dtype.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { rng } from '../util/random.js';
import { sizeOf } from '../util/shape.js';
import type { NestedArray } from './tensor.js';
import { Tensor, kernelArray, storage } from './tensor.js';

/**
 * The typed arrays `tensor()` reads. Float32Array gives float32; every integer array (Uint8Array and
 * Uint8ClampedArray pixels, Node's Buffer, Int8/16/32, Uint16/32, BigInt64/BigUint64) gives int32 with its
 * values kept; Float64Array gives float32 unless float64 is asked for (as TensorFlow.js does).
 */
export type NumericArray =
  | TypedArray
  | Int8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Values as nested arrays of numbers or booleans, or of typed arrays (e.g. one Uint8ClampedArray per image). */
export type NestedInput = number | boolean | NumericArray | NestedInput[];

/** Anything an op accepts where a tensor is expected. */
export type TensorLike = Tensor | NestedInput;

export interface TensorOptions {
  /** Shape of the result; required for a flat typed array that is not 1-D, checked against nested arrays. */
  shape?: readonly number[];
  /**
   * Default: bool for booleans, int32 for integer typed arrays, float32 for everything else (numbers,
   * Float32Array and Float64Array). Conversion to int32 truncates toward zero and refuses NaN, ±Infinity
   * and values beyond ±2^31.
   */
  dtype?: DType;
}

const TENSOR_OPTIONS = optionsSpec({ shape: is.shape.optional(), dtype: is.dtype.optional() } satisfies SpecFor<TensorOptions>);

const VALUES_EXPECTED = 'a number, boolean, nested array or typed array';

/** Whether `v` is a typed array of numbers (DataView is a view without an element type). */
function isNumericArray(v: unknown): v is NumericArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function isBigIntArray(v: NumericArray): v is BigInt64Array | BigUint64Array {
  return v instanceof BigInt64Array || v instanceof BigUint64Array;
}

/** The dtype a typed array gives when none is asked for. */
function naturalDType(v: NumericArray): DType {
  return v instanceof Float32Array || v instanceof Float64Array ? 'float32' : 'int32';
}

/** Copies `source` into `out` from position `offset`, converting to out's dtype with the int32 rule. */
function convertInto(where: string, arg: string, source: NumericArray | readonly number[], out: TypedArray, offset: number, dtype: DType): void {
  const n = source.length;
  if (!Array.isArray(source) && isBigIntArray(source as NumericArray)) {
    const big = source as BigInt64Array | BigUint64Array;
    for (let i = 0; i < n; i++) {
      const v = big[i]!;
      if (dtype === 'bool') out[offset + i] = v !== 0n ? 1 : 0;
      else if (dtype === 'int32' && !(v >= -(2n ** 31n) && v < 2n ** 31n)) throw int32Error(where, arg, `${v}n`, offset + i);
      else out[offset + i] = Number(v);
    }
    return;
  }
  const values = source as ArrayLike<number>;
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[offset + i] = values[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32' && !(values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array ||
      values instanceof Uint16Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray)) {
    const bad = firstNotInt32(values);
    if (bad >= 0) throw int32Error(where, arg, describe(values[bad]), offset + bad);
    for (let i = 0; i < n; i++) out[offset + i] = Math.trunc(values[i]!);
  } else if (ArrayBuffer.isView(values)) {
    // Typed-array set converts each element exactly as an assignment would, far faster than a loop.
    out.set(values as TypedArray, offset);
  } else {
    for (let i = 0; i < n; i++) out[offset + i] = values[i]!;
  }
}

function int32Error(where: string, arg: string, value: string, position: number): ValueError {
  return new ValueError(`${where}: argument '${arg}' holds ${value} at position ${position}, ${INT32_RULE}`);
}

function inferShape(values: NestedInput): number[] {
  const shape: number[] = [];
  let level: NestedInput = values;
  while (Array.isArray(level) || isNumericArray(level)) {
    shape.push(level.length);
    if (level.length === 0 || !Array.isArray(level)) break;
    level = level[0]!;
  }
  return shape;
}

/** The first typed array or leaf of nested values: it decides the dtype when none is asked for. */
function firstLeaf(values: NestedInput): unknown {
  let v: NestedInput = values;
  while (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    v = v[0]!;
  }
  return v;
}

function flatten(where: string, arg: string, values: NestedInput, shape: readonly number[], out: TypedArray, dtype: DType): void {
  let n = 0;
  // The position being read, turned into text ("[2][0]") only for a message.
  const index: number[] = [];
  const at = () => (index.length === 0 ? 'the top level' : index.map((i) => `[${i}]`).join(''));
  const leaf = (v: unknown): void => {
    const x = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
    if (x !== x && typeof v !== 'number') throw new ValueError(`${where}: argument '${arg}' expected a number at ${at()}, received ${describe(v)}`);
    if (dtype === 'bool') out[n++] = x !== 0 ? 1 : 0;
    else if (dtype !== 'int32') out[n++] = x;
    else if (fitsInt32(x)) out[n++] = Math.trunc(x);
    else throw int32Error(where, arg, describe(x), n);
  };
  const visit = (v: NestedInput, dim: number): void => {
    if (dim === shape.length) return leaf(v);
    if (isNumericArray(v) && dim === shape.length - 1 && v.length === shape[dim]) {
      convertInto(where, arg, v, out, n, dtype);
      n += v.length;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        `${where}: argument '${arg}' holds nested arrays that are not rectangular: expected an array of length ${shape[dim]} at ${at()}, received ${describe(v)}`,
      );
    }
    const last = dim === shape.length - 1;
    for (let i = 0; i < v.length; i++) {
      index[dim] = i;
      if (last) leaf(v[i]);
      else visit(v[i]!, dim + 1);
    }
    index.length = dim;
  };
  visit(values, 0);
}

/**
 * Creates a tensor from a number, a boolean, nested arrays or a typed array (copied). The shape and
 * dtype come as options, `tensor(values, { shape, dtype })`, or in TensorFlow.js's positional form,
 * `tensor(values, shape, dtype)`.
 */
export function tensor(values: TensorLike, options?: TensorOptions): Tensor;
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor;
export function tensor(values: TensorLike, shapeOrOptions?: TensorOptions | readonly number[], dtypeArg?: DType): Tensor {
  const { shape, dtype } = tensorOptions('tensor', shapeOrOptions, dtypeArg);
  return fromValues('tensor', 'values', values, shape, dtype);
}

/** tensor() for any caller: `where` and `arg` name the function and argument in messages. */
function fromValues(where: string, arg: string, values: unknown, wanted?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    if (wanted && sizeOf(wanted) !== values.size) {
      throw new ShapeError(`${where}: argument 'shape' ${fmtShape(wanted)} (size ${sizeOf(wanted)}) does not match the tensor's shape ${fmtShape(values.shape)}`);
    }
    const shape = wanted ?? values.shape;
    const source = kernelArray(values);
    // Values a device holds are copied there (a float conversion there too; int32 goes through the cast op's checks).
    if (onDevice([source]) && (!dtype || dtype === values.dtype || dtype !== 'int32')) {
      const data = allocOutput(dtype ?? values.dtype, values.size);
      kernelsFor(dtype ?? values.dtype).cast({ x: source, out: data });
      return new Tensor(data, shape);
    }
    if (!dtype || dtype === values.dtype) return new Tensor(storage(values).slice(), shape);
    const data = alloc(dtype, values.size);
    convertInto(where, arg, storage(values), data, 0, dtype);
    return new Tensor(data, shape);
  }
  if (isNumericArray(values)) {
    const shape = wanted ?? [values.length];
    if (sizeOf(shape) !== values.length) {
      throw new ShapeError(`${where}: argument 'shape' ${fmtShape(shape)} (size ${sizeOf(shape)}) does not match the ${values.length} values given`);
    }
    const target = dtype ?? naturalDType(values);
    const data = alloc(target, values.length);
    if (values instanceof Float32Array && target === 'float32') kernelsFor(target).cast({ x: values, out: data });
    else convertInto(where, arg, values, data, 0, target);
    return new Tensor(data, shape);
  }
  if (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values)) {
    const hint = values instanceof DataView
      ? ': a DataView has no element type; read its buffer as one, e.g. new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4)'
      : '';
    throw new ValueError(`${where}: argument '${arg}' expected ${VALUES_EXPECTED}, received ${describe(values)}${hint}`);
  }
  const inferred = inferShape(values);
  const leaf = firstLeaf(values);
  const target = dtype ?? (typeof leaf === 'boolean' ? 'bool' : isNumericArray(leaf) ? naturalDType(leaf) : 'float32');
  const size = sizeOf(inferred);
  const data = alloc(target, size);
  flatten(where, arg, values, inferred, data, target);
  if (wanted) {
    if (sizeOf(wanted) !== size) {
      throw new ShapeError(`${where}: argument 'shape' ${fmtShape(wanted)} does not match the ${size} values given (shape ${fmtShape(inferred)})`);
    }
    return new Tensor(data, wanted);
  }
  return new Tensor(data, inferred);
}

/** Reads `{ shape, dtype }` or TensorFlow.js's positional `shape, dtype`. */
function tensorOptions(where: string, shapeOrOptions: unknown, dtypeArg: unknown): { shape?: number[] | undefined; dtype?: DType | undefined } {
  if (Array.isArray(shapeOrOptions) || (shapeOrOptions === undefined && dtypeArg !== undefined)) {
    return { shape: checkArg(where, 'shape', shapeOrOptions, is.shape.optional()), dtype: checkArg(where, 'dtype', dtypeArg, is.dtype.optional()) };
  }
  if (dtypeArg !== undefined) {
    throw new ValueError(`${where}: argument 'dtype' goes third only after a shape (tensor(values, shape, dtype)); with options write tensor(values, { shape, dtype }), received ${describe(shapeOrOptions)} and ${describe(dtypeArg)}`);
  }
  if (typeof shapeOrOptions === 'string') {
    throw new ValueError(`${where}: argument 'shape' expected a shape (an array of non-negative integers) or options { shape, dtype }, received ${describe(shapeOrOptions)}: a dtype goes third (tensor(values, undefined, ${describe(shapeOrOptions)})) or in the options ({ dtype: ${describe(shapeOrOptions)} })`);
  }
  return TENSOR_OPTIONS.parse(where, shapeOrOptions);
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return filled('scalar', [], checkArg('scalar', 'value', value, is.number), checkArg('scalar', 'dtype', dtype, is.dtype));
}

export interface FillOptions {
  /** Default float32. */
  dtype?: DType;
}

const FILL_OPTIONS = optionsSpec({ dtype: is.dtype.default('float32') } satisfies SpecFor<FillOptions>);

/** Storage for a tensor of shape `s` made by `where` (named in the error of an allocation that fails). */
function allocNamed(where: string, dtype: DType, s: readonly number[]): TypedArray {
  try {
    return alloc(dtype, sizeOf(s), s);
  } catch (e) {
    throw e instanceof AllocationError ? e.at(where) : e;
  }
}

function filled(where: string, shape: unknown, value: number, dtype: DType): Tensor {
  const s = checkArg(where, 'shape', shape, is.shape);
  const data = allocNamed(where, dtype, s);
  if (dtype === 'int32' && !fitsInt32(value)) throw new ValueError(`${where}: argument 'value' is ${describe(value)}, ${INT32_RULE}`);
  kernelsFor(dtype).fill({ out: data, value: dtype === 'int32' ? Math.trunc(value) : value });
  return new Tensor(data, s);
}

/** A tensor of `shape` with every element equal to `value`. */
export function fill(shape: readonly number[], value: number, options: FillOptions = {}): Tensor {
  const { dtype } = FILL_OPTIONS.parse('fill', options);
  return filled('fill', shape, checkArg('fill', 'value', value, is.number), dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, checkArg('zeros', 'dtype', dtype, is.dtype));
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, checkArg('ones', 'dtype', dtype, is.dtype));
}

export function zerosLike(t: Tensor): Tensor {
  return filled('zerosLike', checkArg('zerosLike', 't', t, is.instanceOf(Tensor)).shape, 0, t.dtype);
}

export function onesLike(t: Tensor): Tensor {
  return filled('onesLike', checkArg('onesLike', 't', t, is.instanceOf(Tensor)).shape, 1, t.dtype);
}

export interface RangeOptions {
  /** Default 1; negative counts down. */
  step?: number;
  /** Default float32. */
  dtype?: DType;
}

const RANGE_OPTIONS = optionsSpec({
  step: is.finite.where((v) => v !== 0, 'a non-zero finite number').default(1),
  dtype: is.dtype.default('float32'),
} satisfies SpecFor<RangeOptions>);

/** Values start, start+step, ... below stop (above it for a negative step), like NumPy's arange. */
export function range(start: number, stop: number, options: RangeOptions = {}): Tensor {
  checkArg('range', 'start', start, is.finite);
  checkArg('range', 'stop', stop, is.finite);
  const { step, dtype } = RANGE_OPTIONS.parse('range', options);
  const n = Math.max(Math.ceil((stop - start) / step), 0);
  const data = allocNamed('range', dtype, [n]);
  // In blocks, so a long range needs no array of plain numbers beside the tensor's.
  const BLOCK = 65536;
  for (let from = 0; from < n; from += BLOCK) {
    const values = Array.from({ length: Math.min(BLOCK, n - from) }, (_, i) => start + (from + i) * step);
    convertInto('range', 'start', values, data, from, dtype);
  }
  return new Tensor(data, [n]);
}

export interface EyeOptions {
  /** Columns (default n). */
  m?: number;
  /** Default float32. */
  dtype?: DType;
}

const EYE_OPTIONS = optionsSpec({ m: is.nonNegativeInteger.optional(), dtype: is.dtype.default('float32') } satisfies SpecFor<EyeOptions>);

/** The identity matrix (n x m, m defaulting to n). */
export function eye(n: number, options: EyeOptions = {}): Tensor {
  checkArg('eye', 'n', n, is.nonNegativeInteger);
  const { m = n, dtype } = EYE_OPTIONS.parse('eye', options);
  const data = allocNamed('eye', dtype, [n, m]);
  kernelsFor(dtype).fill({ out: data, value: 0 });
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

const floatDType = is.oneOf(['float32', 'float64'] as const);

function random(where: string, shape: readonly number[], dtype: DType, draw: () => number): Tensor {
  const s = checkArg(where, 'shape', shape, is.shape);
  const data = allocNamed(where, dtype, s);
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, s);
}

export interface UniformOptions {
  /** Default 0. */
  minval?: number;
  /** Default 1; must exceed minval. */
  maxval?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

const UNIFORM_OPTIONS = optionsSpec({
  minval: is.finite.default(0),
  maxval: is.finite.default(1),
  dtype: floatDType.default('float32'),
} satisfies SpecFor<UniformOptions>);

/** Uniform in [minval, maxval) from the global seeded generator. */
export function randomUniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
  const { minval: lo, maxval: hi, dtype } = UNIFORM_OPTIONS.parse('randomUniform', options);
  if (!(hi > lo)) throw new ValueError(`randomUniform: expected maxval > minval, received minval ${lo} and maxval ${hi}`);
  const g = rng();
  return random('randomUniform', shape, dtype, () => g.uniform(lo, hi));
}

export interface NormalOptions {
  /** Default 0. */
  mean?: number;
  /** Default 1. */
  stddev?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

const NORMAL_OPTIONS = optionsSpec({
  mean: is.finite.default(0),
  stddev: is.nonNegative.default(1),
  dtype: floatDType.default('float32'),
} satisfies SpecFor<NormalOptions>);

/** Normal draws from the global seeded generator. */
export function randomNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const { mean, stddev, dtype } = NORMAL_OPTIONS.parse('randomNormal', options);
  const g = rng();
  return random('randomNormal', shape, dtype, () => g.normal(mean, stddev));
}

/** Normal draws redrawn beyond two standard deviations (Keras's TruncatedNormal). */
export function truncatedNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const { mean, stddev, dtype } = NORMAL_OPTIONS.parse('truncatedNormal', options);
  const g = rng();
  return random('truncatedNormal', shape, dtype, () => g.truncatedNormal(mean, stddev));
}

/**
 * Converts an op's argument to a tensor. Plain numbers and arrays take `dtype` (the dtype of the op's
 * tensor operands) so that `x.mul(2)` stays float64 when x is; typed arrays keep their own dtype
 * (float arrays take a float `dtype`, so a Float64Array stays exact next to float64 tensors).
 */
export function toTensor(where: string, arg: string, value: TensorLike, dtype?: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (isNumericArray(value)) {
    const float = value instanceof Float32Array || value instanceof Float64Array;
    return fromValues(where, arg, value, undefined, float && (dtype === 'float32' || dtype === 'float64') ? dtype : undefined);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)) {
    return fromValues(where, arg, value, undefined, typeof value === 'boolean' ? 'bool' : dtype);
  }
  throw new ValueError(`${where}: argument '${arg}' expected a Tensor, number, (nested) array or typed array, received ${describe(value)}`);
}
