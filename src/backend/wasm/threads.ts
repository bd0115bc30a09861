/**
 * The thread pool: the main thread plus worker threads that instantiate the same kernels over the
 * shared memory. A kernel call is split into parts (index ranges) only when each part has enough work to
 * pay for the hand-off; part 0 runs on the calling thread while the workers run the others.
 */
import type { KernelExport, KernelFunctions } from './codes.js';
import { KERNEL_EXPORTS } from './codes.js';
import { JobSlot, SLOT_BYTES } from './control.js';
import type { WasmHeap } from './heap.js';
import type { Platform } from './platform.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';

/** The most threads (main included) the pool will run. */
export const MAX_THREADS = 16;

interface Scratch {
  address: number;
  bytes: number;
}

export class ThreadPool {
  readonly #kernels: KernelFunctions;
  readonly #heap: WasmHeap;
  readonly #platform: Platform;
  readonly #module: WasmModule;
  readonly #memory: WasmMemory;
  readonly #control: SharedArrayBuffer | null;
  readonly #slots: JobSlot[] = [];
  readonly #scratch: Scratch[] = [];
  readonly #errors: string[] = [];
  #limit = 1;

  /** `control` is null when threads are unavailable: the pool then runs everything on the calling thread. */
  constructor(kernels: KernelFunctions, heap: WasmHeap, platform: Platform, module: WasmModule, memory: WasmMemory, threads: boolean) {
    this.#kernels = kernels;
    this.#heap = heap;
    this.#platform = platform;
    this.#module = module;
    this.#memory = memory;
    this.#control = threads ? new SharedArrayBuffer((MAX_THREADS - 1) * SLOT_BYTES) : null;
  }

  /** Threads a job may use now: the calling thread plus the workers that are ready, within the limit. */
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

  /** Worker start-up failures, for describe(). */
  get errors(): readonly string[] {
    return this.#errors;
  }

  /** Uses up to n threads, starting workers as needed (they become available once they are ready). */
  setThreads(n: number): void {
    if (this.#control === null) return;
    this.#limit = Math.min(Math.max(1, Math.floor(n)), MAX_THREADS);
    while (this.#slots.length < this.#limit - 1) {
      const slot = this.#slots.length;
      this.#slots.push(new JobSlot(this.#control, slot));
      this.#platform.startWorker(
        { module: this.#module, memory: this.#memory, control: this.#control, slot },
        (message) => this.#errors.push(message),
      );
    }
  }

  /** How many parts a job of `work` units should be split into, given the least work worth a part. */
  partsFor(work: number, minWorkPerPart: number): number {
    return Math.max(1, Math.min(this.available, Math.floor(work / minWorkPerPart)));
  }

  /** The scratch block of thread `t` (0 is the caller), grown to `bytes`; -1 when memory is exhausted. */
  scratch(t: number, bytes: number): number {
    const held = this.#scratch[t];
    if (held && held.bytes >= bytes) return held.address;
    if (held) this.#heap.freeBlock(held.address, held.bytes);
    const address = this.#heap.allocBlock(bytes);
    if (address < 0) {
      this.#scratch[t] = { address: 0, bytes: 0 };
      return -1;
    }
    this.#scratch[t] = { address, bytes };
    return address;
  }

  /** Runs `kernel` once per argument list: the first on this thread, the others on ready workers. */
  run(kernel: KernelExport, parts: readonly (readonly number[])[]): void {
    const fn = this.#kernels[kernel];
    const workers = this.#slots.filter((s) => s.ready).slice(0, parts.length - 1);
    if (workers.length < parts.length - 1) throw new Error(`wasm backend: ${parts.length} parts but only ${workers.length + 1} threads`);
    const index = KERNEL_EXPORTS.indexOf(kernel);
    workers.forEach((slot, i) => slot.post(index, parts[i + 1]!));
    const failed: number[] = [];
    try {
      fn(...parts[0]!);
    } finally {
      workers.forEach((slot, i) => {
        if (!slot.join(this.#platform.mayBlock)) failed.push(i + 1);
      });
    }
    // A kernel that threw in a worker is run again here, so its error surfaces with a stack.
    for (const i of failed) fn(...parts[i]!);
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
