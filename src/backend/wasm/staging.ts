/**
 * Places a kernel call's arrays in WebAssembly memory. Arrays already there (tensors allocated while
 * the backend is active) are used in place; others (made before the switch, by another backend, on the
 * JS heap when the memory was full, or index arrays) are copied into staging blocks, and outputs are
 * copied back. When even staging fails, the call runs on the reference kernels instead.
 */
import type { WasmStaging } from '../generated/wasm.js';
import type { WasmHeap } from './heap.js';

type Placeable = Float32Array | Float64Array | Int32Array | Uint8Array;

/** One per backend, reused by every call (kernel calls never nest). */
export class Staging implements WasmStaging {
  readonly #heap: WasmHeap;
  readonly #blocks: [address: number, bytes: number][] = [];
  readonly #copyBack: [address: number, array: Placeable][] = [];
  /** False once an array could not be placed: the caller must not run the kernel. */
  ok = true;

  constructor(heap: WasmHeap) {
    this.#heap = heap;
  }

  /** Starts a call. */
  begin(): this {
    this.ok = true;
    return this;
  }

  /** The address of an array the kernel reads (`read`), writes (`write`) or both. */
  place(a: Placeable, read: boolean, write: boolean): number {
    const address = this.#heap.addressOf(a);
    if (address >= 0) return address;
    if (a.length === 0) return 0;
    const block = this.#heap.allocBlock(a.byteLength);
    if (block < 0) {
      this.ok = false;
      return 0;
    }
    this.#blocks.push([block, a.byteLength]);
    if (read) this.#heap.bytes(block, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    if (write) this.#copyBack.push([block, a]);
    return block;
  }

  /** Copies outputs back when the kernel ran, and frees the staging blocks. */
  finish(ran: boolean): void {
    if (ran) {
      for (const [address, a] of this.#copyBack) new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(this.#heap.bytes(address, a.byteLength));
    }
    for (const [address, bytes] of this.#blocks) this.#heap.freeBlock(address, bytes);
    this.#blocks.length = 0;
    this.#copyBack.length = 0;
  }
}
