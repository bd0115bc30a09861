/**
 * The tensor: an immutable n-dimensional array whose data is a dense row-major typed array owned by the
 * garbage collector (no dispose, no tidy), or, on a device backend (webgpu), a GPU buffer the backend
 * owns and recycles when the tensor is collected. Device data is read with `await t.dataAsync()` or
 * `await t.array()`; the synchronous readers (`data`, `toArray`, `item`) work on data JavaScript holds.
 * Operations are free functions in ops/ and chainable methods installed by ops/tensor-methods.ts.
 */
import type { TensorStorage } from '../backend/device-array.js';
import { DeviceArray, hostArray } from '../backend/device-array.js';
import { adopt } from '../backend/index.js';
import type { DType, TypedArray } from '../util/dtype.js';
import { dtypeOf } from '../util/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../util/errors.js';
import { sizeOf } from '../util/shape.js';

/**
 * A recorded operation: the inputs that need gradients and how to compute them. `backward` returns, per
 * input position, a thunk computing that input's gradient (or null); only the needed thunks are run.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dy: Tensor) => readonly ((() => Tensor) | null)[];
}

let readStorage: (t: Tensor) => TensorStorage;
let adoptStorage: (t: Tensor) => TensorStorage;

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Replaced only by a DeviceArray holding the same values (see kernelArray). */
  #data: TensorStorage;
  /** True for trainable variables and for every tensor computed from one while gradients are recorded. */
  requiresGrad = false;
  /** The operation that produced this tensor, while a gradient computation may still need it. */
  gradNode: GradNode | null = null;

  static {
    readStorage = (t) => t.#data;
    adoptStorage = (t) => {
      const d = t.#data;
      if (d instanceof DeviceArray) return d;
      return (t.#data = adopt(d));
    };
  }

  /** Wraps `data` (not copied) as a tensor of `shape`. Prefer `tensor()`, which validates and converts. */
  constructor(data: TensorStorage, shape: readonly number[]) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data of length ${data.length} does not fill shape ${fmtShape(shape)} (size ${size})`);
    }
    this.#data = data;
    this.shape = [...shape];
    this.dtype = data instanceof DeviceArray ? data.dtype : dtypeOf(data);
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /**
   * A copy of the values as a typed array (Float32Array, Float64Array, Int32Array or Uint8Array for bool).
   * Throws for values only a GPU holds: those are read with `await t.dataAsync()`.
   */
  data(): TypedArray {
    return this.#host('data').slice();
  }

  /** A copy of the values as a typed array, read back from the GPU when they are there (works on every backend). */
  async dataAsync(): Promise<TypedArray> {
    const d = this.#data;
    return (d instanceof DeviceArray ? await d.read() : d).slice();
  }

  /** The values as nested arrays (numbers; booleans for bool tensors). Throws for values only a GPU holds: use `await t.array()`. */
  toArray(): NestedArray {
    return nest(this.#host('toArray'), this.shape, this.dtype);
  }

  /** The values as nested arrays, read back from the GPU when they are there (works on every backend). */
  async array(): Promise<NestedArray> {
    const d = this.#data;
    return nest(d instanceof DeviceArray ? await d.read() : d, this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. Throws for a value only a GPU holds: use `(await t.dataAsync())[0]`. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: expected a tensor with exactly one element, received shape ${fmtShape(this.shape)}`);
    }
    return this.#host('item')[0]!;
  }

  toString(): string {
    const d = this.#data;
    const values = d instanceof DeviceArray ? d.host() : d;
    if (values === null) return `Tensor ${this.dtype} ${fmtShape(this.shape)} (on the ${(d as DeviceArray).device} device: await t.array() to read it)`;
    return `Tensor ${this.dtype} ${fmtShape(this.shape)}\n${formatValues(values, this.shape, this.dtype)}`;
  }

  #host(where: string): TypedArray {
    return hostArray(where, this.#data, this.shape);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export type NestedArray = number | boolean | NestedArray[];

function nest(d: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const asValue = dtype === 'bool' ? (i: number) => d[i] !== 0 : (i: number) => d[i]!;
  const build = (dim: number, offset: number): NestedArray => {
    if (dim === shape.length) return asValue(offset);
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
    return out;
  };
  return build(0, 0);
}

/**
 * Library-internal: the live values of a tensor on the host (not a copy), for code that reads them in
 * JavaScript. Throws a DeviceDataError, saying what to call instead, for values only a GPU holds.
 * Kernels take `kernelArray` instead.
 */
export function storage(t: Tensor): TypedArray {
  return hostArray('reading tensor values synchronously', readStorage(t), t.shape);
}

/**
 * Library-internal: the storage a kernel reads or writes for `t`: a typed array, or a device array. On a
 * device backend a typed array is first wrapped (adopted), so the tensor keeps the device copy it gets.
 */
export function kernelArray(t: Tensor): TensorStorage {
  return adoptStorage(t);
}

/** Library-internal: the storage as it is now (never adopted), e.g. to share it with a view of another shape. */
export function rawStorage(t: Tensor): TensorStorage {
  return readStorage(t);
}

const MAX_SHOWN = 6;

function formatValues(data: TypedArray, shape: readonly number[], dtype: DType): string {
  const fmt = (v: number): string => {
    if (dtype === 'bool') return v ? 'true' : 'false';
    if (dtype === 'int32' || Number.isInteger(v)) return String(v);
    const s = Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(4) : v.toFixed(4);
    return s;
  };
  if (shape.length === 0) return fmt(data[0]!);
  const build = (dim: number, offset: number, indent: string): string => {
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const pick = n > MAX_SHOWN ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const parts = pick.map((i) =>
      i < 0 ? '…' : dim === shape.length - 1 ? fmt(data[offset + i]!) : build(dim + 1, offset + i * stride, `${indent} `),
    );
    const sep = dim === shape.length - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return build(0, 0, '');
}
