/**
 * The kernel contract: every computation on tensor data goes through one of these functions, each
 * taking one argument object whose fields the kernel table (kernel-table.ts) declares. `Kernels` is
 * that table mapped to functions, so the reference backend (`const referenceKernels: Kernels`) must
 * implement every kernel, and a fast backend's `Partial<Kernels>` can only hold kernels of the table.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import type { DeviceArray, TensorStorage } from './device-array.js';
import type { ArgsOf } from './kernel-spec.js';
import type { KernelArgs, KernelName, KernelTable } from './kernel-table.js';

export type {
  ArgReduceOp, BinaryOp, Broadcast, CompareOp, DifferentiableUnaryOp, FusableActivation, GatherInfo, GateActivation, Interpolation,
  KernelArgs, KernelName, MatmulInfo, ReduceInfo, ReduceOp, SequenceInfo, UnaryOp, UpSamplingInfo,
} from './kernel-table.js';

export type Kernels = { readonly [K in KernelName]: (args: KernelArgs<K>) => void };

/** A kernel's arguments as ops pass them: each array a typed array or a DeviceArray. */
export type DispatchArgs<K extends KernelName> = ArgsOf<KernelTable[K]['operands'], DeviceArray>;

/**
 * The kernels as ops call them (backend/index.ts's `kernelsFor`): arrays may live on a device, and the
 * active backend decides where each call runs, moving data where it must.
 */
export type Dispatch = { readonly [K in KernelName]: (args: DispatchArgs<K>) => void };

/** A backend: a name, the kernels it accelerates and, optionally, its own memory for tensor data. */
export interface Backend {
  readonly name: string;
  readonly kernels: Partial<Kernels>;
  /** Allocates storage for a new tensor that JavaScript fills (defaults to a garbage-collected typed array). */
  alloc?(dtype: DType, length: number): TypedArray;
  /**
   * Takes back an array from `alloc` (or a device's `output`) that the library knows is unreachable, so
   * its memory is reused without waiting for the garbage collector. Must ignore arrays it did not allocate.
   */
  release?(array: TensorStorage): void;
  /** A backend with its own device (a GPU): it places every kernel call itself. */
  readonly device?: DeviceBackend;
  /** One line for logs: SIMD level, threads. */
  describe(): string;
  /** Sets the number of worker threads, where the backend has any. */
  setThreads?(n: number): void;
}

/**
 * What a backend with a device adds: it places each kernel call on the device or on the CPU (the `cpu`
 * kernels, with copies it counts), allocates the outputs kernels write, and takes over the typed arrays of
 * tensors that reach its kernels so that their device copies are kept with them.
 */
export interface DeviceBackend {
  /** Whether the adapter is a software one (SwiftShader, lavapipe): such a device is never the default. */
  readonly fallbackAdapter: boolean;
  /** The kernels ops call while this backend is active, for every dtype; `cpu` runs what the device does not. */
  dispatch(cpu: (dtype: DType) => Kernels): Dispatch;
  /** Storage for a kernel's output, placed by the kernel that first writes it. */
  output(dtype: DType, length: number): TensorStorage;
  /** The storage a tensor holding `array` should keep from now on (a DeviceArray wrapping it), or `array` itself. */
  adopt(array: TypedArray): TensorStorage;
  /** Waits until every device array in `arrays` is readable on the host (one round trip for all). */
  download(arrays: readonly DeviceArray[]): Promise<void>;
  /**
   * Runs `fn` with every kernel on the CPU, reading device data from the host copies `download` made (the
   * library's own synchronous readers, such as metrics, run this way after downloading their inputs).
   */
  onHost<T>(fn: () => T): T;
}
