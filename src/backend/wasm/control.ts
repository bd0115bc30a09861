/**
 * How threads share a kernel call, over a SharedArrayBuffer: the calling thread writes the job (kernel,
 * the address of its Args record, and the call split into chunks) to a board, bumps each worker's JOB number and notifies;
 * then every thread, the caller included, claims chunks from an atomic counter until none are left, and
 * each worker sets DONE to the job's number. Claiming chunks instead of owning fixed shares means a
 * worker that wakes late (13-120 us from Atomics.wait, or much longer on a busy machine) just takes
 * fewer chunks. Workers spin briefly before sleeping, since kernels tend to come back to back.
 */
import type { WasmKernel } from './instance.js';

/** The most chunks a job is split into. */
export const MAX_CHUNKS = 64;

// The board (one per pool): Int32 header, then float64 chunk bounds.
const KERNEL = 0;
const ARGS = 1;
const CHUNKS = 2;
const NEXT = 3;
const FAILED = 4;
/** 1 when every chunk has its own scratch block (see Job.chunkScratch), else 0. */
const PER_CHUNK = 5;
const BOARD_HEADER_BYTES = 64;
// Then a float64 scratch address per chunk.
const BOARD_BYTES = BOARD_HEADER_BYTES + MAX_CHUNKS * 16 + MAX_CHUNKS * 8;

// A worker's slot: Int32 JOB, DONE, READY and the count of chunks it ran, then its scratch address as a float64.
const JOB = 0;
const DONE = 1;
const READY = 2;
const RAN = 3;
const SLOT_BYTES = 32;

/** How long a worker polls for the next job before it sleeps, in milliseconds. */
const WORKER_SPIN_MS = 0.2;
const CHECK_CLOCK_EVERY = 256;

/** Bytes of control memory for a pool of `workers` worker threads. */
export function controlBytes(workers: number): number {
  return BOARD_BYTES + workers * SLOT_BYTES;
}

/** A kernel call split into chunks: the kernel's index, the address of its Args record, the ranges. */
export interface Job {
  kernel: number;
  args: number;
  chunks: readonly (readonly [number, number])[];
  /**
   * A scratch block per chunk, instead of one per thread: a kernel that accumulates into its scratch then
   * gives the same sums whichever thread runs which chunk (deterministic reductions).
   */
  chunkScratch?: readonly number[];
}

export class Board {
  readonly #header: Int32Array;
  readonly #bounds: Float64Array;
  readonly #chunkScratch: Float64Array;

  constructor(control: SharedArrayBuffer) {
    this.#header = new Int32Array(control, 0, BOARD_HEADER_BYTES / 4);
    this.#bounds = new Float64Array(control, BOARD_HEADER_BYTES, MAX_CHUNKS * 2);
    this.#chunkScratch = new Float64Array(control, BOARD_HEADER_BYTES + MAX_CHUNKS * 16, MAX_CHUNKS);
  }

  /** Caller: publishes a job (the workers are told through their slots). */
  publish(job: Job): void {
    if (job.chunks.length > MAX_CHUNKS) throw new Error(`wasm backend: a job has at most ${MAX_CHUNKS} chunks, received ${job.chunks.length}`);
    const h = this.#header;
    job.chunks.forEach(([start, end], i) => {
      this.#bounds[2 * i] = start;
      this.#bounds[2 * i + 1] = end;
    });
    h[KERNEL] = job.kernel;
    h[ARGS] = job.args;
    h[CHUNKS] = job.chunks.length;
    job.chunkScratch?.forEach((address, i) => (this.#chunkScratch[i] = address));
    h[PER_CHUNK] = job.chunkScratch ? 1 : 0;
    Atomics.store(h, FAILED, -1);
    Atomics.store(h, NEXT, 0);
  }

  /**
   * Any thread: claims and runs chunks until none are left, with `scratch` as this thread's scratch;
   * returns how many it ran. A chunk whose kernel throws is recorded (see failedChunk) and the thread
   * stops claiming.
   */
  work(kernels: readonly (WasmKernel | undefined)[], scratch: number): number {
    const h = this.#header;
    const args = h[ARGS]!, chunks = h[CHUNKS]!;
    const kernel = kernels[h[KERNEL]!]!;
    const perChunk = h[PER_CHUNK] === 1;
    let ran = 0;
    for (let i = Atomics.add(h, NEXT, 1); i < chunks; i = Atomics.add(h, NEXT, 1)) {
      try {
        kernel(args, this.#bounds[2 * i]!, this.#bounds[2 * i + 1]!, perChunk ? this.#chunkScratch[i]! : scratch);
      } catch {
        Atomics.compareExchange(h, FAILED, -1, i);
        break;
      }
      ran++;
    }
    return ran;
  }

  /** The chunk whose kernel threw in a worker, or -1. */
  get failedChunk(): number {
    return Atomics.load(this.#header, FAILED);
  }
}

export class WorkerSlot {
  readonly #ctl: Int32Array;
  readonly #scratch: Float64Array;
  #posted = 0;

  constructor(control: SharedArrayBuffer, slot: number) {
    const at = BOARD_BYTES + slot * SLOT_BYTES;
    this.#ctl = new Int32Array(control, at, 4);
    this.#scratch = new Float64Array(control, at + 16, 1);
  }

  /** Whether the worker behind this slot has its kernels instantiated and is serving. */
  get ready(): boolean {
    return Atomics.load(this.#ctl, READY) === 1;
  }

  /** How many chunks the worker has run so far. */
  get chunksRun(): number {
    return Atomics.load(this.#ctl, RAN);
  }

  /** Caller: tells the worker that a job is on the board; `scratch` is the worker's scratch address. */
  post(scratch: number): void {
    this.#scratch[0] = scratch;
    Atomics.store(this.#ctl, JOB, ++this.#posted);
    Atomics.notify(this.#ctl, JOB, 1);
  }

  /** Caller: waits until the worker has finished the last job posted. */
  join(mayBlock: boolean): void {
    const ctl = this.#ctl;
    let spins = 0;
    while (Atomics.load(ctl, DONE) !== this.#posted) {
      if (mayBlock && ++spins > 4096) Atomics.wait(ctl, DONE, this.#posted - 1, 1);
    }
  }

  /** Worker: marks the slot ready and serves jobs from the board forever. */
  serve(board: Board, kernels: readonly (WasmKernel | undefined)[]): never {
    const ctl = this.#ctl;
    Atomics.store(ctl, READY, 1);
    let seen = 0;
    for (;;) {
      seen = this.#nextJob(seen);
      Atomics.add(ctl, RAN, board.work(kernels, this.#scratch[0]!));
      Atomics.store(ctl, DONE, seen);
      Atomics.notify(ctl, DONE, 1);
    }
  }

  #nextJob(seen: number): number {
    const ctl = this.#ctl;
    let deadline = performance.now() + WORKER_SPIN_MS;
    let spins = 0;
    while (Atomics.load(ctl, JOB) === seen) {
      if (++spins % CHECK_CLOCK_EVERY !== 0) continue;
      if (performance.now() < deadline) continue;
      Atomics.wait(ctl, JOB, seen);
      deadline = performance.now() + WORKER_SPIN_MS;
    }
    return Atomics.load(ctl, JOB);
  }
}
