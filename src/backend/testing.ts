/**
 * What the kernel parity suite (test/kernels.test.ts) runs a fast backend under: each variant is one
 * setting of it (instruction set, threads, memory model), with the backend's kernels and a way to place
 * arrays where its tensors live. A backend's own testing.ts may export `variants()`; without it the suite
 * tests the backend as the registry loads it.
 */
import assert from 'node:assert/strict';
import type { DType, TypedArray } from '../util/dtype.js';
import type { Rng } from '../util/random.js';
import type { TensorStorage } from './device-array.js';
import type { Dispatch, KernelName, Kernels } from './kernels.js';

export interface Variant {
  /** For messages, e.g. "native (avx2, 2 threads)". */
  readonly name: string;
  readonly kernels: Partial<Kernels>;
  /** A copy of `values` where this backend keeps tensors (its memory), or a plain array. */
  place(values: Float32Array): Float32Array;
  /** Runs `fn` under this variant's setting, restoring the previous one afterwards. */
  within(fn: () => void): void;
  /** Checks after a variant's cases (e.g. that worker threads ran some of the work). */
  after?(): void;
}

/**
 * A setting of a backend with a device (webgpu): inputs are placed on the device, outputs are the
 * device's storage, and results are read back asynchronously. The suite also checks that every call
 * `onDevice` says the device takes ran there (no CPU fallback).
 */
export interface DeviceVariant {
  readonly device: true;
  readonly name: string;
  readonly kernels: Dispatch;
  /** Storage holding `values` on the device only (as a kernel's output would). */
  input(values: TypedArray): TensorStorage;
  /** Storage for an output of `length` elements of `dtype`. */
  output(dtype: DType, length: number): TensorStorage;
  read(a: TensorStorage): Promise<TypedArray>;
  /** Calls of `kernel` that ran on the CPU so far. */
  fallbacks(kernel: KernelName): number;
  /** Whether the device should run this call (it has the kernel and takes these dtypes and sizes). */
  onDevice(kernel: KernelName, args: Readonly<Record<string, unknown>>): boolean;
}

export function uniform(rng: Rng, n: number, low = -1, high = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(low, high);
  return a;
}

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (NaNs and infinities must match
 * exactly), naming the first offending index.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, { rtol = 1e-5, atol = 1e-6 }: Tolerance = {}): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${label}: [${i}] expected ${e}, received ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      assert.fail(`${label}: [${i}] expected ${e}, received ${a} (difference ${Math.abs(a - e)}, allowed ${atol + rtol * Math.abs(e)})`);
    }
  }
}
