/** Element types. `float64` exists for exact gradient checks on the reference backend; `bool` holds comparisons. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export type FloatArray = Float32Array | Float64Array;
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Allocates a zero-filled array for `dtype` on the garbage-collected heap. */
export function newArray(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'bool':
      return new Uint8Array(length);
    default:
      return dtype satisfies never;
  }
}

export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'bool';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype two operands are computed in (NumPy-style promotion, float32 unless float64 is involved). */
export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The integers int32 holds: [-2^31, 2^31 - 1]. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/**
 * Whether `v` converts to int32: truncated toward zero (as every framework's cast does) it lies in
 * [-2^31, 2^31 - 1]. NaN and ±Infinity have no int32 value.
 */
export function fitsInt32(v: number): boolean {
  return v > INT32_MIN - 1 && v < INT32_MAX + 1;
}

/** The position of the first value int32 cannot hold (see fitsInt32), or -1. */
export function firstNotInt32(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!fitsInt32(values[i]!)) return i;
  return -1;
}

/** What to say after "holds <value> at position <i>, ": the rule, and what to do instead. */
export const INT32_RULE =
  `which int32 cannot hold (integers in [${INT32_MIN}, ${INT32_MAX}]; NaN and ±Infinity have no int32 value): ` +
  `keep the values in float32 or float64, or clip them first`;
