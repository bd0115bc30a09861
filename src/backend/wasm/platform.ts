/**
 * What the WebAssembly backend needs from its host, for Node and for browsers. Everything host-specific
 * (files, workers, forcing a garbage collection) goes through here; the kernels path is portable.
 */
import type { WasmMemory, WasmModule } from './wasm-api.js';

/** What a worker thread receives: the compiled kernels, the shared memory and its control slot. */
export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  /** The kernels' names by index (KERNEL_NAMES), so that the worker need not load the kernel table. */
  kernelNames: readonly string[];
  control: SharedArrayBuffer;
  slot: number;
}

/** The two builds of wasm/assembly, shipped next to this module. */
export type KernelsFile = 'kernels-threads.wasm' | 'kernels-single.wasm';

/**
 * Each URL is spelled out so that bundlers (Vite, webpack) see the file and ship it; a URL built from a
 * variable would make them take the whole folder.
 */
function kernelsUrl(file: KernelsFile): URL {
  switch (file) {
    case 'kernels-threads.wasm':
      return new URL('./kernels-threads.wasm', import.meta.url);
    case 'kernels-single.wasm':
      return new URL('./kernels-single.wasm', import.meta.url);
    default:
      return file satisfies never;
  }
}

/** A FinalizationRegistry whose pending cleanups can be run now where the host allows it. */
export interface Registry<T> {
  register(target: object, held: T): void;
  /** Runs the cleanups of targets already collected; returns false where the host cannot. */
  cleanupNow(): boolean;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** The bytes of a kernels file shipped next to this module, or null when they cannot be read now. */
  readKernels(file: KernelsFile): Uint8Array | null;
  /** Starts a worker thread serving kernel jobs; it never keeps the process alive. */
  startWorker(init: WorkerInit, onError: (message: string) => void): void;
  /** A full garbage collection, where the host allows one on demand. */
  readonly collectGarbage: (() => void) | null;
  newRegistry<T>(cleanup: (held: T) => void): Registry<T>;
  readonly cpuCount: number;
  /** Whether the calling thread may block in Atomics.wait (a browser page's main thread may not). */
  readonly mayBlock: boolean;
}

interface ForcibleRegistry<T> {
  register(target: object, held: T): void;
  cleanupSome?: () => void;
}
type RegistryConstructor = new <T>(cleanup: (held: T) => void) => ForcibleRegistry<T>;

function isFunction(v: unknown): v is () => void {
  return typeof v === 'function';
}

function isRegistryConstructor(v: unknown): v is RegistryConstructor {
  return typeof v === 'function' && 'prototype' in v;
}

function nodePlatform(): Platform {
  const fs = process.getBuiltinModule('node:fs');
  const os = process.getBuiltinModule('node:os');
  const v8 = process.getBuiltinModule('node:v8');
  const vm = process.getBuiltinModule('node:vm');
  const threads = process.getBuiltinModule('node:worker_threads');

  /** Runs `read` in a fresh context created while V8 `flag` is on (flags only shape new contexts). */
  function withFlag(flag: string, read: () => unknown): unknown {
    try {
      v8.setFlagsFromString(`--${flag}`);
      return read();
    } catch {
      return undefined;
    } finally {
      v8.setFlagsFromString(`--no-${flag}`);
    }
  }

  const exposed = (globalThis as { gc?: unknown }).gc;
  const gc = isFunction(exposed) ? exposed : withFlag('expose-gc', () => vm.runInNewContext('gc'));
  // cleanupSome lets memory come back in the middle of a synchronous training loop, when the
  // registry's own callbacks (which wait for the event loop) cannot run.
  const Forcible = withFlag('harmony-weak-refs-with-cleanup-some', () => vm.runInNewContext('FinalizationRegistry'));
  const RegistryClass: RegistryConstructor = isRegistryConstructor(Forcible) ? Forcible : FinalizationRegistry;

  return {
    name: 'node',
    readKernels: (file) => fs.readFileSync(kernelsUrl(file)),
    startWorker(init, onError) {
      // The worker runs only the kernels, so it needs none of the process's Node flags, and some would
      // stop it from starting (--input-type, V8 flags such as --expose-gc).
      const worker = new threads.Worker(new URL('./worker.js', import.meta.url), { workerData: init, execArgv: [] });
      worker.on('error', (e: Error) => onError(e.message));
      worker.unref();
    },
    collectGarbage: isFunction(gc) ? gc : null,
    newRegistry<T>(cleanup: (held: T) => void): Registry<T> {
      const registry = new RegistryClass<T>(cleanup);
      return {
        register: (target, held) => registry.register(target, held),
        cleanupNow() {
          if (!registry.cleanupSome) return false;
          registry.cleanupSome();
          return true;
        },
      };
    },
    cpuCount: os.availableParallelism(),
    mayBlock: true,
  };
}

interface BrowserWorker {
  postMessage(message: WorkerInit): void;
  addEventListener(type: 'error', listener: (e: { message?: string }) => void): void;
}
// Declared here rather than through the DOM library; written as `new Worker(new URL(...))` so that
// bundlers (Vite, webpack) find the worker and bundle it.
declare const Worker: new (url: URL, options: { type: 'module' }) => BrowserWorker;

const preloaded = new Map<KernelsFile, Uint8Array>();
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;

/**
 * Browsers cannot read files synchronously: call this (and await it) before selecting the wasm backend,
 * so that the kernels are at hand when the backend loads.
 */
export async function preloadKernels(files: readonly KernelsFile[]): Promise<void> {
  for (const file of files) {
    const url = kernelsUrl(file);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`preloadKernels: fetching ${url.href} failed with HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) {
      // Typically a page served instead of the file, when a bundler moved the library away from its kernels.
      throw new Error(
        `preloadKernels: ${url.href} is not WebAssembly (received ${response.headers.get('content-type') ?? 'no content type'}); ` +
          `the kernels must stay next to the layerwise bundle (with Vite's dev server: optimizeDeps: { exclude: ['layerwise'] })`,
      );
    }
    preloaded.set(file, bytes);
  }
}

function browserPlatform(): Platform {
  const hardware = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return {
    name: 'browser',
    readKernels: (file) => preloaded.get(file) ?? null,
    startWorker(init, onError) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      worker.addEventListener('error', (e) => onError(e.message ?? 'the worker failed to start'));
      worker.postMessage(init);
    },
    collectGarbage: null,
    newRegistry<T>(cleanup: (held: T) => void): Registry<T> {
      const registry = new FinalizationRegistry<T>(cleanup);
      return { register: (target, held) => registry.register(target, held), cleanupNow: () => false };
    },
    cpuCount: hardware ?? 1,
    // A page's main thread may not block; a worker (where the library may also run) may.
    mayBlock: typeof (globalThis as { document?: unknown }).document === 'undefined',
  };
}

let current: Platform | null = null;

export function platform(): Platform {
  if (current === null) {
    const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
    current = isNode ? nodePlatform() : browserPlatform();
  }
  return current;
}
