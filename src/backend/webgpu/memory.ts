/// <reference types="@webgpu/types" />
/**
 * GPU memory of the backend: storage buffers pooled by size class (the classes of the WebAssembly heap:
 * at most a fifth wasted), so that a training loop, which allocates the same sizes every step, stops
 * creating buffers after its first steps. A buffer goes back to its pool when the tensor holding it is
 * collected (a FinalizationRegistry on the GpuArray) or released by the autodiff tape.
 *
 * The garbage collector sees only small JavaScript objects, never the megabytes of GPU memory behind
 * them, so after enough new buffers the pool asks for a collection itself where the host allows it
 * (Node), as the WebAssembly heap does.
 */
import { platform } from '../wasm/platform.js';
import type { Registry } from '../wasm/platform.js';
import { classBytes, sizeClass } from '../wasm/size-classes.js';
import { USAGE } from './gpu.js';

/** New buffer bytes between two forced collections. */
const RECLAIM_EVERY_BYTES = 256 * 1024 * 1024;

/** A storage buffer of the pool. `lastSegment` orders writes from JavaScript against recorded commands (see recorder.ts). */
export class PooledBuffer {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  readonly sizeClass: number;
  /** The last command segment that used this buffer. */
  lastSegment = -1;

  constructor(buffer: GPUBuffer, bytes: number, cls: number) {
    this.buffer = buffer;
    this.bytes = bytes;
    this.sizeClass = cls;
  }
}

/** What a GpuArray and its finalizer share: the buffer it holds now, if any. */
export interface BufferCell {
  buffer: PooledBuffer | null;
}

export interface MemoryStats {
  /** Bytes of every storage buffer created and not destroyed (in use plus pooled). */
  allocatedBytes: number;
  /** Bytes of buffers held by tensors. */
  liveBytes: number;
  /** Bytes of buffers waiting in the pool. */
  pooledBytes: number;
  /** Storage buffers created so far. */
  buffersCreated: number;
  /** Collections forced so far. */
  reclaims: number;
}

export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free: PooledBuffer[][] = [];
  readonly #registry: Registry<BufferCell>;
  readonly #collect: (() => void) | null;
  #allocated = 0;
  #live = 0;
  #pooled = 0;
  #created = 0;
  #sinceReclaim = 0;
  #reclaims = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
    const host = platform();
    this.#registry = host.newRegistry<BufferCell>((cell) => this.#giveBack(cell));
    this.#collect = host.collectGarbage;
  }

  /** A buffer of at least `bytes` bytes (storage, copy source and destination). */
  take(bytes: number): PooledBuffer {
    const cls = sizeClass(Math.max(bytes, 4));
    const free = this.#free[cls];
    let b = free?.pop();
    if (b === undefined) {
      if (this.#sinceReclaim > RECLAIM_EVERY_BYTES) this.reclaim();
      b = this.#free[cls]?.pop();
    }
    if (b !== undefined) {
      this.#pooled -= b.bytes;
    } else {
      const size = classBytes(cls);
      const buffer = this.#device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST });
      b = new PooledBuffer(buffer, size, cls);
      this.#allocated += size;
      this.#sinceReclaim += size;
      this.#created++;
    }
    this.#live += b.bytes;
    return b;
  }

  /** Watches `owner`: when it is collected, the cell's buffer (if any) returns to the pool. */
  watch(owner: object, cell: BufferCell): void {
    this.#registry.register(owner, cell);
  }

  /** Returns the cell's buffer now (the tape knows it is dead, or its owner no longer needs it). */
  release(cell: BufferCell): void {
    this.#giveBack(cell);
  }

  #giveBack(cell: BufferCell): void {
    const b = cell.buffer;
    if (b === null) return;
    cell.buffer = null;
    this.#live -= b.bytes;
    this.#pooled += b.bytes;
    (this.#free[b.sizeClass] ??= []).push(b);
  }

  /** Forces a collection where the host allows it, so that dead tensors' buffers return now. */
  reclaim(): void {
    this.#sinceReclaim = 0;
    if (this.#collect === null) return;
    this.#collect();
    this.#registry.cleanupNow();
    this.#reclaims++;
  }

  stats(): MemoryStats {
    return { allocatedBytes: this.#allocated, liveBytes: this.#live, pooledBytes: this.#pooled, buffersCreated: this.#created, reclaims: this.#reclaims };
  }
}
