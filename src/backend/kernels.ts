/**
 * The kernel contract: every computation on tensor data goes through one of these functions, each
 * taking one argument object whose fields the kernel table (kernel-table.ts) declares. `Kernels` is
 * that table mapped to functions, so the reference backend (`const referenceKernels: Kernels`) must
 * implement every kernel, and a fast backend's `Partial<Kernels>` can only hold kernels of the table.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import type { KernelArgs, KernelName } from './kernel-table.js';

export type {
  ArgReduceOp, BinaryOp, Broadcast, CompareOp, DifferentiableUnaryOp, FusableActivation, GatherInfo, GateActivation, Interpolation,
  KernelArgs, KernelName, MatmulInfo, ReduceInfo, ReduceOp, SequenceInfo, UnaryOp, UpSamplingInfo,
} from './kernel-table.js';

export type Kernels = { readonly [K in KernelName]: (args: KernelArgs<K>) => void };

/** A backend: a name, the kernels it accelerates and, optionally, its own memory for tensor data. */
export interface Backend {
  readonly name: string;
  readonly kernels: Partial<Kernels>;
  /** Allocates storage for a new tensor (defaults to a garbage-collected typed array). */
  alloc?(dtype: DType, length: number): TypedArray;
  /**
   * Takes back an array from `alloc` that the library knows is unreachable, so its memory is reused
   * without waiting for the garbage collector. Must ignore arrays it did not allocate.
   */
  release?(array: TypedArray): void;
  /** One line for logs: SIMD level, threads. */
  describe(): string;
  /** Sets the number of worker threads, where the backend has any. */
  setThreads?(n: number): void;
}
