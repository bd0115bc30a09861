/**
 * The tensor: an immutable n-dimensional array whose data is a dense row-major typed array owned by the
 * garbage collector (no dispose, no tidy). Operations are free functions in ops/ and chainable methods
 * installed by ops/tensor-methods.ts.
 */
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

let readStorage: (t: Tensor) => TypedArray;

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  readonly #data: TypedArray;
  /** True for trainable variables and for every tensor computed from one while gradients are recorded. */
  requiresGrad = false;
  /** The operation that produced this tensor, while a gradient computation may still need it. */
  gradNode: GradNode | null = null;

  static {
    readStorage = (t) => t.#data;
  }

  /** Wraps `data` (not copied) as a tensor of `shape`. Prefer `tensor()`, which validates and converts. */
  constructor(data: TypedArray, shape: readonly number[]) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data of length ${data.length} does not fill shape ${fmtShape(shape)} (size ${size})`);
    }
    this.#data = data;
    this.shape = [...shape];
    this.dtype = dtypeOf(data);
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a typed array (Float32Array, Float64Array, Int32Array or Uint8Array for bool). */
  data(): TypedArray {
    return this.#data.slice();
  }

  /** The values as nested arrays (numbers; booleans for bool tensors). */
  toArray(): NestedArray {
    const d = this.#data;
    const asValue = this.dtype === 'bool' ? (i: number) => d[i] !== 0 : (i: number) => d[i]!;
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return asValue(offset);
      const n = this.shape[dim]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: expected a tensor with exactly one element, received shape ${fmtShape(this.shape)}`);
    }
    return this.#data[0]!;
  }

  toString(): string {
    return `Tensor ${this.dtype} ${fmtShape(this.shape)}\n${formatValues(this.#data, this.shape, this.dtype)}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export type NestedArray = number | boolean | NestedArray[];

/** Library-internal: the live storage of a tensor (not a copy). Kernels read and write through it. */
export function storage(t: Tensor): TypedArray {
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
