/**
 * Helpers for the WebAssembly backend's parity tests: the backend under each setting (one thread; two
 * threads with every call split, however small, and run by the worker; the single-threaded build over
 * a fixed memory), seeded inputs placed in WebAssembly memory, and magnitude-aware comparison with the
 * reference.
 */
import assert from 'node:assert/strict';
import type { Rng } from '../../util/random.js';
import type { Kernels } from '../kernels.js';
import type { WasmBackend, WasmOptions } from './index.js';
import { loadWasmBackend } from './index.js';

const SETTINGS: readonly { name: string; options: WasmOptions }[] = [
  { name: 'one thread', options: { threads: 1 } },
  // Every call split, and every chunk run by the worker thread.
  { name: 'two threads, every call split', options: { threads: 2, minChunkWork: { flops: 1, elements: 1 }, callerClaimsChunks: false } },
  { name: 'single-threaded build, fixed memory', options: { forceSingle: true, maximumBytes: 64 * 2 ** 20 } },
];

const loaded = SETTINGS.map((s) => ({ name: s.name, result: loadWasmBackend(s.options) }));
const first = loaded[0]!.result;

/** False when the backend loads; otherwise the reason, which node:test prints as the skip message. */
export const skip: string | false = 'error' in first ? `wasm backend unavailable: ${first.error}` : false;

export interface Setting {
  name: string;
  backend: WasmBackend;
}

function settings(): Setting[] {
  return loaded.map(({ name, result }) => {
    if ('error' in result) throw new Error(`${name}: ${result.error}`);
    return { name, backend: result.backend };
  });
}

/** Waits (up to 10 s) until the workers of the multi-threaded setting are serving. */
export async function workersReady(): Promise<void> {
  if (skip) return;
  const threaded = settings()[1]!.backend;
  const deadline = Date.now() + 10_000;
  while (threaded.threads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(threaded.threads, 2, `the worker thread did not start: ${threaded.describe()}`);
}

/** Runs `fn` under every setting; in the threaded one, the worker must have run some of the chunks. */
export function eachSetting(fn: (s: Setting) => void): void {
  for (const s of settings()) {
    const before = s.backend.workerChunks;
    fn(s);
    if (s.backend.threads > 1) assert.ok(s.backend.workerChunks > before, `${s.name}: the worker thread ran no chunk`);
  }
}

/** A kernel of the wasm backend; every kernel the tests call must be implemented (a missing one fails). */
export function wasmKernel<K extends keyof Kernels>(backend: WasmBackend, name: K): Kernels[K] {
  const f = backend.kernels[name];
  if (f === undefined) throw new Error(`the wasm backend does not implement ${name}`);
  return f;
}

export function uniform(rng: Rng, n: number, low = -1, high = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(low, high);
  return a;
}

/** A copy of `values` in the backend's memory (where tensors live while it is active). */
export function placed(backend: WasmBackend, values: ArrayLike<number>): Float32Array {
  const a = backend.alloc('float32', values.length);
  if (!(a instanceof Float32Array)) throw new Error('wasm alloc returned a non-float32 array');
  a.set(values);
  return a;
}

/** An output array in the backend's memory, filled with garbage (kernels must overwrite every element). */
export function garbage(backend: WasmBackend, n: number): Float32Array {
  const a = placed(backend, new Float32Array(n));
  a.fill(Number.NaN);
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

/** Sums of `terms` products of values in [-1, 1]: float32 rounding grows like sqrt(terms). */
export function sumTolerance(terms: number): { rtol: number; atol: number } {
  return { rtol: 1e-5, atol: 3e-6 * Math.sqrt(terms + 1) };
}

export const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
