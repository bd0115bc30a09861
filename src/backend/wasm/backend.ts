/**
 * The WebAssembly backend: SIMD128 kernels written in AssemblyScript (wasm/assembly/), run over one
 * memory shared by worker threads.
 *
 * Who owns the memory
 * -------------------
 * While this backend is active, every float32 tensor the library creates gets its storage from
 * `alloc`: a Float32Array view on the WebAssembly memory, so kernels work on tensor data in place.
 * The JavaScript garbage collector owns those views, and through them the blocks: each view is
 * registered with a FinalizationRegistry, and when the collector frees the view its block goes back to
 * a free list of its size class (heap.ts). Nobody calls dispose.
 *
 * The collector sees only small view objects, never the megabytes behind them, so on its own it would
 * let the memory fill up. The heap therefore forces a collection itself when the memory is about to
 * grow and enough has been allocated since the last one (Node: a gc function obtained through V8 flags,
 * plus FinalizationRegistry.cleanupSome so blocks return even inside a synchronous loop). Training
 * allocates the same sizes every step, so after the first steps every block comes from a free list
 * and memory stays flat. Where collections cannot be forced (browsers), memory grows to a bound and
 * further tensors are ordinary arrays until the collector catches up; a training loop there should
 * yield to the event loop between steps, which lets the registry's callbacks run.
 *
 * Rules that keep this safe:
 * - A view handed out by `alloc` is the only long-lived reference to its block. Code may take a
 *   temporary subarray during a call but must never keep one (copy instead), or the block could be
 *   reused under it.
 * - Scratch space for kernels (packing buffers, staging copies of arrays that live elsewhere) is taken
 *   and returned explicitly by the kernel call and never escapes it.
 * - Arrays that are not in this memory (made before the switch, by another backend, or on the JS heap
 *   when the memory was full) still work: they are staged in and out around the call, and when even
 *   that fails the reference kernel runs.
 * - The memory is shared and grows without moving, so views stay valid when it grows. Without shared
 *   memory (a page that is not cross-origin isolated) the memory is a fixed arena that never grows,
 *   since growing would detach every view.
 */
import type { DType, TypedArray } from '../../util/dtype.js';
import { newArray } from '../../util/dtype.js';
import type { WasmGlue } from '../generated/wasm.js';
import { ARGS_BYTES, ARGS_LAYOUT, bindWasm } from '../generated/wasm.js';
import { KERNEL_NAMES } from '../kernel-table.js';
import type { Backend, KernelArgs, KernelName, Kernels } from '../kernels.js';
import type { HeapStats } from './heap.js';
import { WasmHeap } from './heap.js';
import type { WasmInstance } from './instance.js';
import type { ChunkWork, Runner } from './schedules.js';
import { SCHEDULES } from './schedules.js';
import { Staging } from './staging.js';
import { ThreadPool } from './threads.js';

/** The most float32 elements one tensor holds on this backend: WebAssembly memory stops at 4 GiB. */
const MAX_WASM_ELEMENTS = 2 ** 30;

export interface WasmBackend extends Backend {
  readonly kernels: Partial<Kernels>;
  alloc(dtype: DType, length: number): TypedArray;
  /** Memory use of the WebAssembly heap (for tests and benchmarks). */
  memoryStats(): HeapStats;
  /** Forces a collection and returns dead tensors' blocks now, where the host allows it. */
  reclaimMemory(): void;
  /** Threads a call may use now (workers start in the background). */
  readonly threads: number;
  /** Chunks of split calls run by worker threads so far (the rest ran on the calling thread). */
  readonly workerChunks: number;
}

const INDEX = new Map(KERNEL_NAMES.map((name, i) => [name, i]));

export function createBackend(instance: WasmInstance, heap: WasmHeap, pool: ThreadPool, reference: Kernels, minChunk: ChunkWork): WasmBackend {
  const { utilities } = instance;
  if (utilities.argsLayout() !== ARGS_LAYOUT) {
    throw new Error('the kernels module was built from another kernel table than this code; rebuild it with npm run build');
  }
  // The Args record lives for the backend's lifetime, low in memory, so views made now always reach it.
  const args = heap.allocBlock(ARGS_BYTES);
  if (args < 0) throw new Error('the WebAssembly memory has no room for the kernel arguments');
  const staging = new Staging(heap);
  const glue: WasmGlue = {
    i32: new Int32Array(heap.memory.buffer),
    f32: new Float32Array(heap.memory.buffer),
    args,
    has: (name) => instance.kernels[INDEX.get(name)!] !== undefined,
    prepare: <K extends KernelName>(name: K, a: KernelArgs<K>) => {
      const schedule = SCHEDULES[name];
      return schedule?.prepare ? schedule.prepare(a) : a;
    },
    stage: () => staging.begin(),
    run: <K extends KernelName>(name: K, a: KernelArgs<K>, addresses: Readonly<Record<string, number>>) => {
      const index = INDEX.get(name)!;
      const runner: Runner = { utilities, pool, minChunk, addresses, run: (chunks, scratch) => pool.run(index, args, { chunks, ...(scratch && { scratch }) }), runPerChunk: (chunks, scratch) => pool.run(index, args, { chunks, chunkScratch: scratch }) };
      const schedule = SCHEDULES[name];
      if (schedule === undefined) {
        runner.run([[0, 1]]);
        return true;
      }
      return schedule.run(a, runner);
    },
  };
  return {
    name: 'wasm',
    kernels: bindWasm(glue, reference),
    alloc(dtype: DType, length: number): TypedArray {
      if (dtype !== 'float32' || length === 0) return newArray(dtype, length);
      // Larger tensors than the memory holds live on the JavaScript heap and are staged through it in
      // parts, but none larger than WebAssembly's whole 4 GiB address space: refused before the heap grows.
      if (length > MAX_WASM_ELEMENTS) {
        throw new RangeError('the wasm backend holds at most 2^30 float32 elements (4 GiB, its whole memory) per tensor; split the work (a smaller batchSize, fewer units or filters)');
      }
      return heap.alloc(length) ?? newArray(dtype, length);
    },
    describe() {
      const mib = Math.round(heap.stats().committedBytes / 2 ** 20);
      const failures = pool.errors.length > 0 ? `; worker errors: ${pool.errors.join('; ')}` : '';
      return `wasm (SIMD128, ${pool.available} of ${pool.limit} threads, ${heap.shared ? 'shared' : 'fixed'} memory ${mib} MiB${failures})`;
    },
    setThreads: (n) => pool.setThreads(n),
    memoryStats: () => heap.stats(),
    reclaimMemory: () => heap.reclaim(),
    get threads() {
      return pool.available;
    },
    get workerChunks() {
      return pool.workerChunks;
    },
  };
}
