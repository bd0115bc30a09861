/** Every WGSL compute function, by kernel. A kernel missing here runs on the CPU (counted as a fallback). */
import type { GpuKernels } from '../kernel.js';
import { elementwiseKernels } from './elementwise.js';

export const WGSL_KERNELS: GpuKernels = {
  ...elementwiseKernels,
};
