/** Every WGSL compute function, by kernel. A kernel missing here runs on the CPU (counted as a fallback). */
import type { GpuKernels } from '../kernel.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { expressionKernels } from './expression.js';
import { matmulKernels } from './matmul.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';

export const WGSL_KERNELS: GpuKernels = {
  ...elementwiseKernels,
  ...expressionKernels,
  ...reduceKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
};
