/**
 * Loads the WebAssembly backend: detects SIMD and threads, compiles the kernels built by
 * `npm run build:wasm`, creates the memory and starts the worker threads. Returns `{ error }` when
 * something is missing, and the registry then falls back to the reference backend.
 */
import { referenceKernels } from '../reference/index.js';
import type { WasmBackend } from './backend.js';
import { createBackend } from './backend.js';
import { detectFeatures } from './features.js';
import { WasmHeap } from './heap.js';
import { KERNEL_NAMES } from '../kernel-table.js';
import { instantiate } from './instance.js';
import type { ChunkWork } from './schedules.js';
import { DEFAULT_MIN_CHUNK_WORK } from './schedules.js';
import { platform, preloadKernels } from './platform.js';
import { MAX_THREADS, ThreadPool } from './threads.js';
import type { WasmApi, WasmMemory } from './wasm-api.js';
import { wasmApi } from './wasm-api.js';

export type { WasmBackend } from './backend.js';

/** The two builds of wasm/assembly: with shared memory for threads, and single-threaded. */
export const KERNEL_FILES = { threads: 'kernels-threads.wasm', single: 'kernels-single.wasm' } as const;

const MIB = 2 ** 20;
const INITIAL_BYTES = 16 * MIB;
/** Threads by default: one per core, up to this many. */
const DEFAULT_MAX_THREADS = 8;

export interface WasmOptions {
  /** Threads to use (default: one per core, at most 8); 1 or no shared memory means single-threaded. */
  threads?: number;
  /** Use the single-threaded build with a fixed, unshared memory even where threads are available. */
  forceSingle?: boolean;
  /** Largest WebAssembly memory (default 2 GiB shared, 512 MiB for the fixed memory). */
  maximumBytes?: number;
  /** The least work worth a chunk of its own (tests lower it to split small inputs). */
  minChunkWork?: ChunkWork;
  /** Whether the calling thread runs chunks of split calls too (default true; tests turn it off). */
  callerClaimsChunks?: boolean;
}

/**
 * Fetches the kernels this host will use where files cannot be read synchronously (browsers): await it
 * before selecting the wasm backend. In Node it does nothing.
 */
export async function preloadWasmKernels(): Promise<void> {
  if (platform().name === 'node') return;
  await preloadKernels([detectFeatures().threads ? KERNEL_FILES.threads : KERNEL_FILES.single]);
}

type Loaded = { backend: WasmBackend } | { error: string };

let defaultBackend: WasmBackend | null = null;

/**
 * The backend with default options is made once per process and shared (it is the one the registry
 * uses); passing options makes a separate backend with its own memory and threads. A failure is tried
 * again on the next call (a browser may have fetched the kernels since).
 */
export function loadWasmBackend(options?: WasmOptions): Loaded {
  if (options !== undefined) return load(options);
  if (defaultBackend !== null) return { backend: defaultBackend };
  const loaded = load({});
  if ('backend' in loaded) defaultBackend = loaded.backend;
  return loaded;
}

function load(options: WasmOptions): Loaded {
  try {
    return create(options);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function create(options: WasmOptions): Loaded {
  const api = wasmApi();
  const features = detectFeatures();
  if (!api || !features.webAssembly) return { error: 'WebAssembly is not available' };
  if (!features.simd) return { error: 'WebAssembly SIMD is not supported here' };
  if (typeof process === 'object' && typeof process.versions?.node === 'string' && typeof process.getBuiltinModule !== 'function') {
    return { error: `Node ${process.versions.node} lacks process.getBuiltinModule (Node >= 20.16 is needed)` };
  }
  const host = platform();
  const shared = features.threads && options.forceSingle !== true;
  const file = shared ? KERNEL_FILES.threads : KERNEL_FILES.single;
  let bytes: Uint8Array | null;
  try {
    bytes = host.readKernels(file);
  } catch (e) {
    return { error: `cannot read ${file} (run npm run build:wasm): ${e instanceof Error ? e.message : String(e)}` };
  }
  if (bytes === null) return { error: `${file} is not loaded (in a browser, await preloadWasmKernels() first)` };

  const module = new api.Module(bytes);
  const { memory, maximumBytes } = createMemory(api, shared, options.maximumBytes ?? (shared ? 2048 * MIB : 512 * MIB));
  const instance = instantiate(module, memory, KERNEL_NAMES);
  const heap = new WasmHeap(memory, instance.utilities.heapBase(), host, { shared, initialBytes: INITIAL_BYTES, maximumBytes });
  const pool = new ThreadPool(instance.kernels, heap, host, module, memory, shared, options.callerClaimsChunks ?? true);
  pool.setThreads(options.threads ?? Math.min(host.cpuCount, DEFAULT_MAX_THREADS, MAX_THREADS));
  return { backend: createBackend(instance, heap, pool, referenceKernels, options.minChunkWork ?? DEFAULT_MIN_CHUNK_WORK) };
}

/** Shared memory reserves its maximum up front: where address space is short, try smaller maxima. */
function createMemory(api: WasmApi, shared: boolean, maximumBytes: number): { memory: WasmMemory; maximumBytes: number } {
  for (let max = maximumBytes; ; max /= 2) {
    try {
      return { memory: WasmHeap.createMemory(api, { shared, initialBytes: INITIAL_BYTES, maximumBytes: max }), maximumBytes: max };
    } catch (e) {
      if (max <= 128 * MIB) throw e;
    }
  }
}
