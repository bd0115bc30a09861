/**
 * Storage for small tensors. A fresh typed array costs far more than the small kernels that fill it (a
 * zeroed backing store, external-memory accounting, and one more ArrayBuffer for the collector to sweep:
 * about 0.6 us for 27 floats against 30 ns for a view), so arrays up to SMALL_BYTES are views carved from
 * shared slabs instead. A slab is freed by the collector once its last view is gone; a long-lived small
 * tensor keeps at most one slab alive. Views never overlap and start zeroed, like fresh arrays.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import { newArray } from '../util/dtype.js';

const SLAB_BYTES = 64 * 1024;
export const SMALL_BYTES = 4096;
/** Every view starts on this boundary (SIMD loads, float64 alignment). */
const ALIGN = 16;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** A zeroed array of `length` elements: a slab view when small, else a fresh array. */
export function smallOrNewArray(dtype: DType, length: number): TypedArray {
  const bytes = length * BYTES[dtype];
  if (bytes > SMALL_BYTES) return newArray(dtype, length);
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used += Math.ceil(bytes / ALIGN) * ALIGN;
  switch (dtype) {
    case 'float32':
      return new Float32Array(slab, at, length);
    case 'float64':
      return new Float64Array(slab, at, length);
    case 'int32':
      return new Int32Array(slab, at, length);
    case 'bool':
      return new Uint8Array(slab, at, length);
    default:
      return dtype satisfies never;
  }
}
