/**
 * Helpers for the native backend's parity tests: the backend (or why it is missing, so tests can skip),
 * every instruction-set and thread setting to run under, seeded inputs and magnitude-aware comparison.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../util/random.js';
import type { Kernels } from '../kernels.js';
import { loadAddon } from './addon.js';
import { loadNativeBackend } from './index.js';

const loaded = loadNativeBackend();
const addon = loadAddon();

/** False when the addon loaded; otherwise the reason, which node:test prints as the skip message. */
export const skip: string | false = 'error' in loaded ? `native backend unavailable: ${loaded.error}` : false;

/** A native kernel; every kernel the tests call must be implemented natively (a missing one fails). */
export function nativeKernel<K extends keyof Kernels>(name: K): Kernels[K] {
  if ('error' in loaded) throw new Error(loaded.error);
  const f = loaded.backend.kernels[name];
  if (f === undefined) throw new Error(`the native backend does not implement ${name}`);
  return f;
}

/** Runs `fn` under every instruction set this CPU supports and with 1 and 2 threads; restores the defaults. */
export function eachSetting(fn: (setting: string) => void): void {
  if ('error' in addon) throw new Error(addon.error);
  const isa = addon.isa(), threads = addon.threads();
  try {
    for (const id of addon.isas) {
      addon.setIsa(id);
      for (const t of [1, 2]) {
        addon.setThreads(t);
        fn(`${id}, ${t} thread${t === 1 ? '' : 's'}`);
      }
    }
  } finally {
    addon.setIsa(isa);
    addon.setThreads(threads);
  }
}

export function uniform(rng: Rng, n: number, low = -1, high = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(low, high);
  return a;
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (NaNs and infinities must match
 * exactly), naming the first offending index.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {},
): void {
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

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
