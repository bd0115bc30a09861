/** What every kernel wrapper works with: the kernels, the memory, the threads and the fallback. */
import type { Kernels } from '../../kernels.js';
import type { KernelFunctions } from '../codes.js';
import type { WasmHeap } from '../heap.js';
import type { ThreadPool } from '../threads.js';

export interface WasmContext {
  readonly wasm: KernelFunctions;
  readonly heap: WasmHeap;
  readonly pool: ThreadPool;
  /** Where a call goes when its arrays cannot be placed in WebAssembly memory. */
  readonly reference: Kernels;
  readonly minChunk: ChunkWork;
}

/** The least work worth a chunk of its own (a piece of a call that one thread runs), per kind of kernel. */
export interface ChunkWork {
  /** Floating-point operations, for matrix products and convolutions. */
  flops: number;
  /** Elements touched, for elementwise kernels, reductions and pooling windows. */
  elements: number;
}

/**
 * A chunk must outweigh handing it to a worker (13-120 us to wake one that sleeps, about 1 us while it
 * spins): about 1-2 MFLOP of arithmetic, or a comparable amount of memory traffic.
 */
export const DEFAULT_MIN_CHUNK_WORK: ChunkWork = { flops: 2e6, elements: 1 << 17 };

/** The matrix-multiplication tile height: row ranges split on multiples of it. */
export const TILE_ROWS = 4;

/** Rows of A that gemm.ts packs at a time (its MC). */
export const GEMM_ROW_BLOCK = 128;
