/**
 * The thread pool: the calling thread plus worker threads that instantiate the same kernels over the
 * shared memory. A kernel call is split into chunks only when each chunk has enough work to pay for the
 * hand-off; all threads then claim chunks until none are left (control.ts).
 */
import { KERNEL_NAMES } from '../kernel-table.js';
import { Board, MAX_CHUNKS, WorkerSlot, controlBytes } from './control.js';
import type { WasmHeap } from './heap.js';
import type { WasmKernel } from './instance.js';
import type { Platform } from './platform.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';

/** The most threads (the caller included) the pool will run. */
export const MAX_THREADS = 16;
/** Chunks per thread: enough that a late thread costs little, few enough that per-chunk packing stays cheap. */
const CHUNKS_PER_THREAD = 3;

interface Scratch {
  address: number;
  bytes: number;
}

/** A kernel call to split: the ranges its chunks cover, and per-thread scratch (from threadScratch). */
export interface Split {
  chunks: readonly (readonly [number, number])[];
  scratch?: readonly number[];
  /** A scratch block per chunk (from chunkScratch) instead of per thread: see Job.chunkScratch. */
  chunkScratch?: readonly number[];
}

export class ThreadPool {
  readonly #kernels: readonly (WasmKernel | undefined)[];
  readonly #heap: WasmHeap;
  readonly #platform: Platform;
  readonly #module: WasmModule;
  readonly #memory: WasmMemory;
  readonly #control: SharedArrayBuffer | null;
  readonly #board: Board | null;
  readonly #slots: WorkerSlot[] = [];
  readonly #scratch: Scratch[] = [];
  readonly #chunkBlocks: Scratch[] = [];
  readonly #errors: string[] = [];
  #limit = 1;
  readonly #callerClaims: boolean;

  /**
   * Without threads (no shared memory) everything runs on the calling thread. With `callerClaims`
   * false the calling thread leaves split calls to the workers (tests use it to cover worker execution).
   */
  constructor(
    kernels: readonly (WasmKernel | undefined)[], heap: WasmHeap, platform: Platform, module: WasmModule, memory: WasmMemory,
    threads: boolean, callerClaims = true,
  ) {
    this.#callerClaims = callerClaims;
    this.#kernels = kernels;
    this.#heap = heap;
    this.#platform = platform;
    this.#module = module;
    this.#memory = memory;
    this.#control = threads ? new SharedArrayBuffer(controlBytes(MAX_THREADS - 1)) : null;
    this.#board = this.#control && new Board(this.#control);
  }

  /** Threads a call may use now: the caller plus the workers that are ready, within the limit. */
  get available(): number {
    let n = 1;
    for (const slot of this.#slots) {
      if (n >= this.#limit) break;
      if (slot.ready) n++;
    }
    return n;
  }

  /** The thread limit set by setThreads. */
  get limit(): number {
    return this.#control === null ? 1 : this.#limit;
  }

  /** Chunks run by worker threads so far (the rest ran on the calling thread). */
  get workerChunks(): number {
    return this.#slots.reduce((sum, slot) => sum + slot.chunksRun, 0);
  }

  /** Worker start-up failures, for describe(). */
  get errors(): readonly string[] {
    return this.#errors;
  }

  /** Uses up to n threads, starting workers as needed (they join in once they are ready). */
  setThreads(n: number): void {
    if (this.#control === null) return;
    this.#limit = Math.min(Math.max(1, Math.floor(n)), MAX_THREADS);
    while (this.#slots.length < this.#limit - 1) {
      const slot = this.#slots.length;
      this.#slots.push(new WorkerSlot(this.#control, slot));
      this.#platform.startWorker(
        { module: this.#module, memory: this.#memory, kernelNames: KERNEL_NAMES, control: this.#control, slot },
        (message) => this.#errors.push(message),
      );
    }
  }

  /** How many chunks a call of `work` units should be split into, given the least work worth a chunk. */
  chunksFor(work: number, minWorkPerChunk: number): number {
    const threads = this.available;
    if (threads === 1) return 1;
    return Math.max(1, Math.min(Math.floor(work / minWorkPerChunk), threads * CHUNKS_PER_THREAD, MAX_CHUNKS));
  }

  /** `count` scratch blocks of `bytes`, one per chunk of a call (reused between calls); null when memory is exhausted. */
  chunkScratch(count: number, bytes: number): number[] | null {
    const blocks: number[] = [];
    for (let i = 0; i < count; i++) {
      const held = this.#chunkBlocks[i];
      if (held && held.bytes >= bytes) {
        blocks.push(held.address);
        continue;
      }
      if (held && held.bytes > 0) this.#heap.freeBlock(held.address, held.bytes);
      const address = this.#heap.allocBlock(bytes);
      if (address < 0) {
        this.#chunkBlocks[i] = { address: 0, bytes: 0 };
        return null;
      }
      this.#chunkBlocks[i] = { address, bytes };
      blocks.push(address);
    }
    return blocks;
  }

  /** A scratch block of `bytes` for every thread a call may use (reused between calls); null when memory is exhausted. */
  threadScratch(bytes: number): number[] | null {
    const blocks: number[] = [];
    for (let t = 0; t < this.available; t++) {
      const held = this.#scratch[t];
      if (held && held.bytes >= bytes) {
        blocks.push(held.address);
        continue;
      }
      // A thread whose last request failed holds nothing (not address 0, which is no block).
      if (held && held.bytes > 0) this.#heap.freeBlock(held.address, held.bytes);
      const address = this.#heap.allocBlock(bytes);
      if (address < 0) {
        this.#scratch[t] = { address: 0, bytes: 0 };
        return null;
      }
      this.#scratch[t] = { address, bytes };
      blocks.push(address);
    }
    return blocks;
  }

  /**
   * Runs every chunk of `split` of kernel `kernel` (its index) with its Args record at `args`, on the
   * calling thread and the ready workers.
   */
  run(kernel: number, args: number, split: Split): void {
    const fn = this.#kernels[kernel]!;
    const perChunk = split.chunkScratch;
    if (perChunk !== undefined && (this.#board === null || Math.min(this.available, split.chunks.length) === 1)) {
      split.chunks.forEach(([start, end], i) => fn(args, start, end, perChunk[i]!));
      return;
    }
    const scratch = split.scratch;
    const threads = Math.min(this.available, scratch?.length ?? MAX_THREADS, split.chunks.length);
    if (this.#board === null || threads === 1) {
      const own = scratch?.[0] ?? 0;
      for (const [start, end] of split.chunks) fn(args, start, end, own);
      return;
    }
    const board = this.#board;
    board.publish({ kernel, args, chunks: split.chunks, ...(perChunk && { chunkScratch: perChunk }) });
    const workers = this.#slots.filter((s) => s.ready).slice(0, threads - 1);
    workers.forEach((slot, i) => slot.post(scratch?.[i + 1] ?? 0));
    try {
      if (this.#callerClaims) board.work(this.#kernels, scratch?.[0] ?? 0);
    } finally {
      for (const slot of workers) slot.join(this.#platform.mayBlock);
    }
    const failed = board.failedChunk;
    if (failed >= 0) {
      // Run the chunk that threw again here, so that its error surfaces with a stack.
      const [start, end] = split.chunks[failed]!;
      fn(args, start, end, perChunk?.[failed] ?? scratch?.[0] ?? 0);
      throw new Error(`wasm backend: kernel ${kernel} failed in a worker thread (it succeeded when run again on the calling thread)`);
    }
  }
}

/** [start, end) ranges splitting [0, total) into `parts` pieces whose boundaries are multiples of `grain`. */
export function splitRange(total: number, parts: number, grain = 1): [number, number][] {
  const units = Math.ceil(total / grain);
  const n = Math.max(1, Math.min(parts, units));
  const ranges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.min(total, Math.floor((units * i) / n) * grain);
    const end = Math.min(total, Math.floor((units * (i + 1)) / n) * grain);
    ranges.push([start, end]);
  }
  return ranges;
}
