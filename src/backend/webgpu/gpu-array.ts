/**
 * A tensor's data while the webgpu backend is active: a GPU buffer from the pool, a host copy, or both.
 * Either copy may be the current one; a kernel that writes the array drops the other. The host copy is
 * what synchronous readers see (data uploaded from JavaScript keeps it; a read back adds it), so only
 * values computed on the GPU and not yet read need `await`.
 */
import type { DType, TypedArray } from '../../util/dtype.js';
import { DeviceArray } from '../device-array.js';
import type { BufferCell } from './memory.js';

/** What a GpuArray asks of its backend. */
export interface GpuArrayOwner {
  /** The values as they are now, read back from the GPU when the host has no current copy. */
  readValues(array: GpuArray): Promise<TypedArray>;
  /** Gives the GPU copy back to the pool (the host copy is now the only current one). */
  dropGpu(array: GpuArray): void;
}

export class GpuArray extends DeviceArray {
  readonly dtype: DType;
  readonly length: number;
  readonly device = 'webgpu';
  /** The buffer this array holds (shared with its finalizer, which returns it to the pool). */
  readonly cell: BufferCell = { buffer: null };
  /** Whether the buffer holds the current values. */
  onGpu = false;
  /** Counts writes on the GPU, so that a read finishing after a later write does not pass for current. */
  version = 0;
  #host: TypedArray | null;
  readonly #owner: GpuArrayOwner;

  constructor(owner: GpuArrayOwner, dtype: DType, length: number, host: TypedArray | null) {
    super();
    this.#owner = owner;
    this.dtype = dtype;
    this.length = length;
    this.#host = host;
  }

  /** Bytes on the GPU: 32 bits per element (bool as u32). */
  get bytes(): number {
    return this.length * 4;
  }

  host(): TypedArray | null {
    return this.#host;
  }

  hostForWrite(): TypedArray | null {
    const h = this.#host;
    if (h !== null && this.cell.buffer !== null) this.#owner.dropGpu(this);
    return h;
  }

  read(): Promise<TypedArray> {
    const h = this.#host;
    return h !== null ? Promise.resolve(h) : this.#owner.readValues(this);
  }

  /** Backend-internal: sets (or, with null, drops) the host copy. */
  setHost(values: TypedArray | null): void {
    this.#host = values;
  }
}
