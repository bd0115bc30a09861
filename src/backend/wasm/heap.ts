/**
 * The allocator of the WebAssembly memory (see backend.ts for who owns what). Blocks come in size
 * classes with one free list each, carved from a bump pointer that grows the memory when needed.
 *
 * Tensor blocks are owned by the garbage collector: `alloc` registers the returned view with a
 * FinalizationRegistry and the block returns to its free list once the view is collected. Because the
 * collector cannot see how full the WebAssembly memory is, the heap asks for a collection itself when
 * it is about to grow after enough allocation (`reclaim`). Scratch and staging blocks are freed
 * explicitly by the kernel that took them.
 */
import type { Platform, Registry } from './platform.js';
import { BLOCK_ALIGN, classBytes, sizeClass } from './size-classes.js';
import type { WasmApi, WasmMemory } from './wasm-api.js';
import { PAGE_BYTES } from './wasm-api.js';

/**
 * A collection is forced at most once per this many bytes of tensor allocation: a full collection costs
 * a few milliseconds, and memory settles near live data plus this much.
 */
const RECLAIM_EVERY_BYTES = 64 * 1024 * 1024;
/** When the memory cannot grow, a collection is forced only after this much allocation since the last. */
const RECLAIM_WHEN_FULL_BYTES = 16 * 1024 * 1024;
/** Without forced collections (browsers), memory stops growing here and new tensors go to the JS heap. */
const UNMANAGED_GROWTH_LIMIT = 512 * 1024 * 1024;
/** Memory grows by at least this fraction of its size, so growth is rare. */
const GROWTH_FRACTION = 0.25;
const CLASS_SHIFT = 128; // held values pack (address, class) as address * 128 + class
/**
 * Allocations between two runs of the registry's pending cleanups: arrays freed by any collection (the
 * engine's own or a forced one) come back without waiting for the event loop, and their registry cells
 * do not pile up on the JavaScript heap during a long synchronous loop.
 */
const CLEANUP_EVERY = 1024;

export interface HeapStats {
  /** Bytes of WebAssembly memory in use by the process (grows, never shrinks). */
  committedBytes: number;
  /** Bytes in tensor and scratch blocks not yet returned. */
  liveBytes: number;
  /** Bytes in blocks waiting in free lists. */
  freeBytes: number;
  /** Forced collections so far. */
  reclaims: number;
}

export interface HeapOptions {
  /** Whether the memory is shared (it can then grow under live views). */
  shared: boolean;
  initialBytes: number;
  maximumBytes: number;
}

export class WasmHeap {
  readonly memory: WasmMemory;
  readonly shared: boolean;
  readonly #platform: Platform;
  readonly #registry: Registry<number>;
  readonly #free: number[][] = [];
  /** Every buffer object the memory has had: views made before a growth keep the old one. */
  readonly #buffers = new WeakSet<ArrayBufferLike>();
  #buffer: ArrayBuffer | SharedArrayBuffer;
  #top: number;
  #liveBytes = 0;
  #freeBytes = 0;
  #sinceReclaim = 0;
  #reclaims = 0;
  #untilCleanup = CLEANUP_EVERY;
  readonly #maximumBytes: number;

  constructor(memory: WasmMemory, base: number, platform: Platform, options: HeapOptions) {
    this.memory = memory;
    this.shared = options.shared;
    this.#platform = platform;
    this.#maximumBytes = options.maximumBytes;
    this.#buffer = memory.buffer;
    this.#buffers.add(this.#buffer);
    this.#top = Math.ceil(base / BLOCK_ALIGN) * BLOCK_ALIGN;
    this.#registry = platform.newRegistry<number>((held) => this.#release(Math.floor(held / CLASS_SHIFT), held % CLASS_SHIFT));
  }

  /** Creates the memory: shared and growing when threads are used, otherwise a fixed arena of the maximum size. */
  static createMemory(api: WasmApi, options: HeapOptions): WasmMemory {
    const initial = Math.ceil(options.initialBytes / PAGE_BYTES);
    const maximum = Math.ceil(options.maximumBytes / PAGE_BYTES);
    if (!options.shared) return new api.Memory({ initial: maximum, maximum });
    return new api.Memory({ initial, maximum, shared: true });
  }

  /**
   * A Float32Array of `length` elements in WebAssembly memory, freed when the array is collected, or
   * null when the memory is exhausted (the caller then uses an ordinary array). Contents are unspecified.
   */
  alloc(length: number): Float32Array | null {
    if (--this.#untilCleanup === 0) {
      this.#untilCleanup = CLEANUP_EVERY;
      this.#registry.cleanupNow();
    }
    const bytes = length * 4;
    const cls = sizeClass(bytes);
    const address = this.#take(cls, true);
    if (address < 0) return null;
    const view = new Float32Array(this.#buffer, address, length);
    this.#registry.register(view, address * CLASS_SHIFT + cls);
    this.#sinceReclaim += classBytes(cls);
    return view;
  }

  /** A block of at least `bytes` for a kernel's own use, or -1; give it back with `freeBlock`. */
  allocBlock(bytes: number): number {
    return this.#take(sizeClass(bytes), false);
  }

  freeBlock(address: number, bytes: number): void {
    this.#release(address, sizeClass(bytes));
  }

  /** The address of an array in this memory, or -1 when it lives elsewhere (e.g. the JS heap). */
  addressOf(array: ArrayBufferView): number {
    return this.#buffers.has(array.buffer) ? array.byteOffset : -1;
  }

  /** A view of `length` bytes at `address` (for staging copies; not owned by the collector). */
  bytes(address: number, length: number): Uint8Array {
    return new Uint8Array(this.#buffer, address, length);
  }

  /** A view of `length` floats at `address` (for staging copies; not owned by the collector). */
  view(address: number, length: number): Float32Array {
    return new Float32Array(this.#buffer, address, length);
  }

  /**
   * Collects garbage now (where the host allows it) and returns the blocks of collected arrays to the
   * free lists. Runs by itself when the memory is about to grow.
   */
  reclaim(): void {
    const gc = this.#platform.collectGarbage;
    if (gc === null) return;
    gc();
    this.#registry.cleanupNow();
    this.#sinceReclaim = 0;
    this.#reclaims++;
  }

  stats(): HeapStats {
    return { committedBytes: this.#buffer.byteLength, liveBytes: this.#liveBytes, freeBytes: this.#freeBytes, reclaims: this.#reclaims };
  }

  #take(cls: number, forTensor: boolean): number {
    const bytes = classBytes(cls);
    const fits = () => this.#top + bytes <= this.#buffer.byteLength;
    let address = this.#pop(cls);
    if (address < 0 && !fits()) {
      // About to grow: first let the collector return the blocks of dead tensors.
      if (this.#sinceReclaim >= RECLAIM_EVERY_BYTES) {
        this.reclaim();
        address = this.#pop(cls);
      }
      if (address < 0 && !fits() && !this.#grow(this.#top + bytes, forTensor)) {
        // Full: one more collection if enough was allocated since the last (never one per call).
        if (this.#sinceReclaim < RECLAIM_WHEN_FULL_BYTES) return -1;
        this.reclaim();
        address = this.#pop(cls);
        if (address < 0 && !fits()) return -1;
      }
    }
    if (address < 0) {
      address = this.#top;
      this.#top += bytes;
    }
    this.#liveBytes += bytes;
    return address;
  }

  #pop(cls: number): number {
    const address = this.#free[cls]?.pop();
    if (address === undefined) return -1;
    this.#freeBytes -= classBytes(cls);
    return address;
  }

  #release(address: number, cls: number): void {
    const bytes = classBytes(cls);
    this.#liveBytes -= bytes;
    if (address + bytes === this.#top) {
      this.#top = address;
      return;
    }
    (this.#free[cls] ??= []).push(address);
    this.#freeBytes += bytes;
  }

  /** Makes the memory at least `end` bytes long; false when it cannot or should not grow. */
  #grow(end: number, forTensor: boolean): boolean {
    const size = this.#buffer.byteLength;
    if (!this.shared) return false; // growing would detach every live view
    const unmanaged = this.#platform.collectGarbage === null;
    if (forTensor && unmanaged && end > UNMANAGED_GROWTH_LIMIT) return false;
    const target = Math.min(Math.max(end, size + size * GROWTH_FRACTION), this.#maximumBytes);
    if (target < end) return false;
    try {
      this.memory.grow(Math.ceil((target - size) / PAGE_BYTES));
    } catch {
      return false;
    }
    this.#buffer = this.memory.buffer;
    this.#buffers.add(this.#buffer);
    return true;
  }
}
