/**
 * The WebAssembly backend under test, in three settings (variants for test/kernels.test.ts): one thread;
 * two threads with every call split, however small, and every chunk run by the worker; the single-threaded
 * build over a fixed memory. Inputs go into WebAssembly memory, where tensors live while it is active.
 */
import assert from 'node:assert/strict';
import type { Kernels } from '../kernels.js';
import type { Variant } from '../testing.js';
import type { WasmBackend, WasmOptions } from './index.js';
import { loadWasmBackend } from './index.js';

const SETTINGS: readonly { name: string; options: WasmOptions }[] = [
  { name: 'one thread', options: { threads: 1 } },
  { name: 'two threads, every call split', options: { threads: 2, minChunkWork: { flops: 1, elements: 1 }, callerClaimsChunks: false } },
  { name: 'single-threaded build, fixed memory', options: { forceSingle: true, maximumBytes: 64 * 2 ** 20 } },
];

const loaded = SETTINGS.map((s) => ({ name: s.name, result: loadWasmBackend(s.options) }));
const first = loaded[0]!.result;

/** False when the backend loads; otherwise the reason, which node:test prints as the skip message. */
export const skip: string | false = 'error' in first ? `wasm backend unavailable: ${first.error}` : false;

/** A kernel of the wasm backend; every kernel the tests call must be implemented (a missing one fails). */
export function wasmKernel<K extends keyof Kernels>(backend: WasmBackend, name: K): Kernels[K] {
  const f = backend.kernels[name];
  if (f === undefined) throw new Error(`the wasm backend does not implement ${name}`);
  return f;
}

/** A copy of `values` in the backend's memory (where tensors live while it is active). */
export function placed(backend: WasmBackend, values: ArrayLike<number>): Float32Array {
  const a = backend.alloc('float32', values.length);
  if (!(a instanceof Float32Array)) throw new Error('wasm alloc returned a non-float32 array');
  a.set(values);
  return a;
}

export async function variants(): Promise<Variant[]> {
  const all = loaded.map(({ name, result }) => {
    if ('error' in result) throw new Error(`wasm (${name}): ${result.error}`);
    return { name, backend: result.backend };
  });
  // The threaded setting's worker starts in the background.
  const threaded = all[1]!.backend;
  const deadline = Date.now() + 10_000;
  while (threaded.threads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(threaded.threads, 2, `the worker thread did not start: ${threaded.describe()}`);
  return all.map(({ name, backend }) => {
    const workerChunks = backend.workerChunks;
    return {
      name: `wasm (${name})`,
      kernels: backend.kernels,
      place: (values: Float32Array) => placed(backend, values),
      within: (fn: () => void) => fn(),
      after: () => {
        if (backend.threads > 1) assert.ok(backend.workerChunks > workerChunks, `wasm (${name}): the worker thread ran no chunk`);
      },
    };
  });
}
