/**
 * The one place that touches the tape. Each op calls `op(name, inputs, forward, backward)`: the forward
 * runs the kernel, and when a gradient is being recorded the backward rule is attached to the output.
 * Backward rules return one thunk per input, so gradients nobody needs are never computed; the tape
 * un-broadcasts and accumulates them (see tensor/tape.ts).
 */
import type { TensorStorage } from '../backend/device-array.js';
import { DeviceArray } from '../backend/device-array.js';
import { AllocationError, allocOutput, kernelsFor, onDevice } from '../backend/index.js';
import type { Dispatch } from '../backend/kernels.js';
import type { DType, FloatArray } from '../util/dtype.js';
import { INT32_RULE, firstNotInt32, isFloat, promote } from '../util/dtype.js';
import { DTypeError, NumericsError, ValueError, describe, fmtShape } from '../util/errors.js';
import { sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { mustRecord, record } from '../tensor/tape.js';
import { Tensor, kernelArray, storage } from '../tensor/tensor.js';
import type { DifferentiableOp } from './op-names.js';

export type GradThunks = readonly ((() => Tensor) | null)[];

let numericsChecked = false;

export interface Options {
  /** After every op, check float outputs for NaN and Infinity and throw a NumericsError naming the op. */
  checkNumerics?: boolean;
}

/** Global options of the library. */
export function configure(options: Options): void {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(`configure: argument 'options' expected an object, received ${describe(options)}`);
  }
  if (options.checkNumerics !== undefined) {
    if (typeof options.checkNumerics !== 'boolean') {
      throw new ValueError(`configure: option 'checkNumerics' expected a boolean, received ${describe(options.checkNumerics)}`);
    }
    numericsChecked = options.checkNumerics;
  }
}

/** Runs `forward`, naming the op in the error of an allocation it could not make. */
function named(name: string, forward: () => Tensor): Tensor {
  try {
    return forward();
  } catch (e) {
    throw e instanceof AllocationError ? e.at(name) : e;
  }
}

/** Runs a differentiable op: forward now, backward recorded when gradients are being taken. */
export function op(
  name: DifferentiableOp,
  inputs: readonly Tensor[],
  forward: () => Tensor,
  backward: (dy: Tensor, y: Tensor) => GradThunks,
): Tensor {
  const y = named(name, forward);
  if (numericsChecked) checkNumerics(name, inputs, y);
  if (mustRecord(inputs)) record(y, { op: name, inputs, backward: (dy) => backward(dy, y) });
  return y;
}

/** Runs an op that has no gradient (comparisons, argmax, oneHot...), still checking numerics if asked. */
export function opNoGrad(name: string, inputs: readonly Tensor[], forward: () => Tensor): Tensor {
  const y = named(name, forward);
  if (numericsChecked) checkNumerics(name, inputs, y);
  return y;
}

function checkNumerics(name: string, inputs: readonly Tensor[], y: Tensor): void {
  if (!isFloat(y.dtype)) return;
  const d = storage(y);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (Number.isFinite(v)) continue;
    const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    const inputsAt = inputs
      .map((t, n) => (t.size === y.size ? `input ${n} holds ${storage(t)[i]}` : t.size === 1 ? `input ${n} is ${storage(t)[0]}` : ''))
      .filter((s) => s !== '')
      .join(', ');
    throw new NumericsError(
      `${name}: produced ${what} at index ${i} of its output (shape ${fmtShape(y.shape)})${inputsAt ? `; at that index ${inputsAt}` : ''}`,
    );
  }
}

/** A new tensor of `shape` for a kernel to write, whose storage comes from the active backend. */
export function empty(dtype: DType, shape: readonly number[]): { t: Tensor; data: TensorStorage } {
  const data = allocOutput(dtype, sizeOf(shape), shape);
  return { t: new Tensor(data, shape), data };
}

/** The kernels for a dtype (re-exported so ops read as `k(x).unary(...)`). */
export function k(t: Tensor): Dispatch {
  return kernelsFor(t.dtype);
}

/**
 * Converts an op's operands to tensors of one dtype (numbers and arrays take the dtype of the tensor
 * operands; float32 by default). The record's keys name the arguments in error messages.
 */
export function operands(where: string, args: Record<string, TensorLike>): Tensor[] {
  const names = Object.keys(args);
  let dtype: DType | undefined;
  for (const n of names) {
    const v = args[n];
    if (v instanceof Tensor) dtype = dtype ? promote(dtype, v.dtype) : v.dtype;
  }
  const common = dtype === undefined || dtype === 'bool' || dtype === 'int32' ? (dtype ?? 'float32') : dtype;
  const ts = names.map((n) => toTensor(where, n, args[n]!, isFloat(common) ? common : undefined));
  let target: DType = ts[0]!.dtype;
  for (const t of ts) target = promote(target, t.dtype);
  return ts.map((t) => (t.dtype === target ? t : castTo(t, target)));
}

/** Converts one argument, requiring a float dtype (for ops such as exp or conv2d). */
export function floatOperand(where: string, arg: string, value: TensorLike): Tensor {
  const t = toTensor(where, arg, value);
  return isFloat(t.dtype) ? t : castTo(t, 'float32');
}

/**
 * Converts `t` to `dtype`; gradients flow back (converted to t's dtype) between float dtypes. To int32,
 * values truncate toward zero; NaN, ±Infinity and values beyond ±2^31 throw instead of wrapping.
 */
export function castTo(t: Tensor, dtype: DType): Tensor {
  // Values a device holds are not checked here (reading them would wait for it): the kernel truncates as
  // WGSL's conversion does.
  if (dtype === 'int32' && isFloat(t.dtype) && !onDevice([kernelArray(t)])) {
    const data = storage(t);
    const bad = firstNotInt32(data);
    if (bad >= 0) throw new ValueError(`cast: argument 'x' holds ${describe(data[bad])} at position ${bad}, ${INT32_RULE}`);
  }
  return op(
    'cast',
    [t],
    () => {
      const { t: out, data } = empty(dtype, t.shape);
      kernelsFor(dtype).cast({ x: kernelArray(t), out: data });
      return out;
    },
    (dy) => [isFloat(t.dtype) && isFloat(dtype) ? () => castTo(dy, t.dtype) : null],
  );
}

/** The live float storage of a tensor already known to be float32 or float64, for a kernel (it may be on a device). */
export function fdata(t: Tensor): FloatArray | DeviceArray {
  const d = kernelArray(t);
  if (d instanceof Float32Array || d instanceof Float64Array || (d instanceof DeviceArray && isFloat(d.dtype))) return d;
  throw new DTypeError(`internal: expected a float tensor, received dtype ${t.dtype}`);
}

/**
 * The host float storage of `t`, for an op that works on views of it in JavaScript (the recurrent ops'
 * state halves). Such an op has no device form yet: on a device backend it says so instead of copying.
 */
export function hostFdata(where: string, t: Tensor): FloatArray {
  const d = fdata(t);
  if (d instanceof DeviceArray) throw new ValueError(`${where}: runs on the CPU backends only for now (native, wasm or reference), not on a device backend`);
  return d;
}

/** The live int32 storage of a tensor already known to be int32 (indices), for a kernel. */
export function idata(t: Tensor): Int32Array | DeviceArray {
  const d = kernelArray(t);
  if (d instanceof Int32Array || (d instanceof DeviceArray && d.dtype === 'int32')) return d;
  throw new DTypeError(`internal: expected an int32 tensor, received dtype ${t.dtype}`);
}

/** The live bool storage of a tensor already known to be bool, for a kernel. */
export function bdata(t: Tensor): Uint8Array | DeviceArray {
  const d = kernelArray(t);
  if ((d instanceof Uint8Array && t.dtype === 'bool') || (d instanceof DeviceArray && d.dtype === 'bool')) return d;
  throw new DTypeError(`internal: expected a bool tensor, received dtype ${t.dtype}`);
}

/** Throws unless `t` has a float dtype. */
export function requireFloat(where: string, arg: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError(`${where}: argument '${arg}' expected a float32 or float64 tensor, received dtype ${t.dtype}`);
}
