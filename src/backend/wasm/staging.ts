/**
 * Places a kernel call's arrays in WebAssembly memory. Arrays already there (tensors allocated while
 * the backend is active) are used in place; others (made before the switch, by another backend, or on
 * the JS heap when the memory was full) are copied into staging blocks, and outputs are copied back.
 * When even staging fails, the call runs on the reference kernels instead.
 */
import type { FloatArray, TypedArray } from '../../util/dtype.js';
import type { WasmHeap } from './heap.js';

export class Staging {
  readonly #heap: WasmHeap;
  readonly #blocks: [address: number, bytes: number][] = [];
  readonly #copyBack: [address: number, array: Float32Array][] = [];
  /** False once an array could not be placed: the caller must not run the kernel. */
  ok = true;

  constructor(heap: WasmHeap) {
    this.#heap = heap;
  }

  /** The address of an array the kernel reads. */
  input(a: TypedArray): number {
    return this.#place(a, true, false);
  }

  /** The address of an array the kernel writes. */
  output(a: TypedArray): number {
    return this.#place(a, false, true);
  }

  /** The address of an array the kernel updates in place. */
  inout(a: TypedArray): number {
    return this.#place(a, true, true);
  }

  /** input() for an optional array; 0 (the kernels' "absent") for null. */
  optionalInput(a: FloatArray | null): number {
    return a === null ? 0 : this.input(a);
  }

  optionalInout(a: FloatArray | null): number {
    return a === null ? 0 : this.inout(a);
  }

  /** Copies outputs back when the kernel ran, and frees the staging blocks. */
  finish(ran: boolean): void {
    if (ran) for (const [address, array] of this.#copyBack) array.set(this.#heap.view(address, array.length));
    for (const [address, bytes] of this.#blocks) this.#heap.freeBlock(address, bytes);
  }

  /** Only float32 arrays run here; anything else makes the call fall back. */
  #place(a: TypedArray, copyIn: boolean, copyOut: boolean): number {
    if (!(a instanceof Float32Array)) {
      this.ok = false;
      return 0;
    }
    const address = this.#heap.addressOf(a);
    if (address >= 0) return address;
    if (a.length === 0) return 0;
    const bytes = a.length * 4;
    const block = this.#heap.allocBlock(bytes);
    if (block < 0) {
      this.ok = false;
      return 0;
    }
    this.#blocks.push([block, bytes]);
    if (copyIn) this.#heap.view(block, a.length).set(a);
    if (copyOut) this.#copyBack.push([block, a]);
    return block;
  }
}

/**
 * Runs `body` with a Staging; body returns false (before calling any kernel) when something could not be
 * placed, and then `fallback` runs instead.
 */
export function staged(heap: WasmHeap, body: (s: Staging) => boolean, fallback: () => void): void {
  const s = new Staging(heap);
  let ran = false;
  try {
    ran = body(s);
  } finally {
    s.finish(ran);
  }
  if (!ran) fallback();
}
