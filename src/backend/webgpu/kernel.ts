/**
 * What a WGSL compute function is: for one kernel of the table, whether the device takes a call
 * (`accepts`: dtypes, sizes, limits) and how to record it (`run`). Its arguments are the table's, with
 * each array replaced by the buffer that holds it on the GPU, so a kernel is written against the same
 * record as the reference and the CPU backends.
 */
import type { DType, TypedArray } from '../../util/dtype.js';
import { dtypeOf } from '../../util/dtype.js';
import { DeviceArray } from '../device-array.js';
import type { ArraySpec, ValueOf } from '../kernel-spec.js';
import type { KernelName, KernelTable } from '../kernel-table.js';
import type { DispatchArgs } from '../kernels.js';
import type { Binding, Params, Shader } from './recorder.js';

/** An array on the GPU, as a kernel's `run` sees it. */
export interface GpuTensor extends Binding {
  readonly dtype: DType;
  readonly length: number;
}

type GpuValue<S> =
  S extends ArraySpec<infer _E, infer O, infer L> ? (L extends true ? readonly GpuTensor[] : O extends true ? GpuTensor | null : GpuTensor) : ValueOf<S>;

type OperandsOf<K extends KernelName> = KernelTable[K]['operands'];

/** A kernel's arguments with every array on the GPU. */
export type GpuArgs<K extends KernelName> = { readonly [N in keyof OperandsOf<K>]: GpuValue<OperandsOf<K>[N]> };

/** What a compute function records its work with. */
export interface GpuContext {
  /** Device limits (workgroup storage, dispatch sizes). */
  readonly limits: GPUSupportedLimits;
  /** Records a dispatch of `shader` over `bindings` (in the shader's binding order; null for an absent optional array). */
  dispatch(shader: Shader, bindings: readonly (GpuTensor | null)[], params: (p: Params) => void, groups: readonly [number, number, number]): void;
  /** Records a copy of `bytes` bytes between buffers. */
  copy(src: GpuTensor, srcOffset: number, dst: GpuTensor, dstOffset: number, bytes: number): void;
}

export interface GpuKernel<K extends KernelName> {
  /** Whether the device runs this call (dtypes, sizes); the CPU runs the others, counted as fallbacks. Default: float32 arrays only. */
  accepts?(args: DispatchArgs<K>, limits: GPUSupportedLimits): boolean;
  run(gpu: GpuContext, args: GpuArgs<K>): void;
}

/** The WGSL compute functions, one per kernel the device runs. */
export type GpuKernels = { readonly [K in KernelName]?: GpuKernel<K> };

/** The dtype of an array as a kernel call holds it. */
export function dtypeOfArray(a: TypedArray | DeviceArray): DType {
  return a instanceof DeviceArray ? a.dtype : dtypeOf(a);
}
