/**
 * The handshake between the main thread and a worker, over one slot of a SharedArrayBuffer per worker:
 * the main thread writes a kernel index and its arguments, bumps JOB and notifies; the worker runs the
 * kernel, sets DONE to the same number and notifies. Both sides spin briefly before sleeping in
 * Atomics.wait, because waking a sleeping thread costs 13-120 us while kernels come back to back.
 */
import type { WasmFunction } from './codes.js';

const JOB = 0;
const DONE = 1;
const KERNEL = 2;
const ARGC = 3;
const READY = 4;
const FAILED = 5;
const HEADER_BYTES = 64;
export const MAX_ARGS = 32;
export const SLOT_BYTES = HEADER_BYTES + MAX_ARGS * 8;

/** How long a thread polls before it sleeps, in milliseconds. */
const WORKER_SPIN_MS = 0.2;
const CHECK_CLOCK_EVERY = 256;

export class JobSlot {
  readonly #ctl: Int32Array;
  readonly #args: Float64Array;
  #posted = 0;

  constructor(control: SharedArrayBuffer, slot: number) {
    this.#ctl = new Int32Array(control, slot * SLOT_BYTES, HEADER_BYTES / 4);
    this.#args = new Float64Array(control, slot * SLOT_BYTES + HEADER_BYTES, MAX_ARGS);
  }

  /** Whether the worker behind this slot has its kernels instantiated and is serving. */
  get ready(): boolean {
    return Atomics.load(this.#ctl, READY) === 1;
  }

  /** Main thread: hands a job to the worker. */
  post(kernel: number, args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`wasm backend: a job takes at most ${MAX_ARGS} arguments, received ${args.length}`);
    this.#args.set(args);
    this.#ctl[KERNEL] = kernel;
    this.#ctl[ARGC] = args.length;
    Atomics.store(this.#ctl, JOB, ++this.#posted);
    Atomics.notify(this.#ctl, JOB, 1);
  }

  /** Main thread: waits for the last posted job; returns false when the kernel threw in the worker. */
  join(mayBlock: boolean): boolean {
    const ctl = this.#ctl;
    let spins = 0;
    while (Atomics.load(ctl, DONE) !== this.#posted) {
      if (mayBlock && ++spins > 4096) Atomics.wait(ctl, DONE, this.#posted - 1, 1);
    }
    return Atomics.load(ctl, FAILED) === 0;
  }

  /** Worker: marks the slot ready and serves jobs forever. */
  serve(kernels: readonly WasmFunction[]): never {
    const ctl = this.#ctl;
    Atomics.store(ctl, READY, 1);
    let seen = 0;
    for (;;) {
      seen = this.#nextJob(seen);
      let failed = 0;
      try {
        kernels[ctl[KERNEL]!]!(...this.#args.subarray(0, ctl[ARGC]!));
      } catch {
        failed = 1;
      }
      Atomics.store(ctl, FAILED, failed);
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
