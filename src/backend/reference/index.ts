/**
 * The reference backend: every kernel in plain TypeScript, for every dtype (float64 included, for exact
 * gradient checks). It is the oracle that the fast backends are tested against, so it favours obvious
 * correctness (float64 accumulation, direct convolution) over speed.
 */
import type { Backend, Kernels } from '../kernels.js';
import { convKernels } from './conv.js';
import { depthwiseKernels } from './depthwise.js';
import { elementwiseKernels } from './elementwise.js';
import { imageKernels } from './image.js';
import { layoutKernels } from './layout.js';
import { linalgKernels } from './linalg.js';
import { nnKernels } from './nn.js';
import { poolKernels } from './pool.js';
import { recurrentKernels } from './recurrent.js';
import { reduceKernels } from './reduce.js';
import { upSamplingKernels } from './upsampling.js';

export const referenceKernels: Kernels = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...layoutKernels,
  ...linalgKernels,
  ...convKernels,
  ...depthwiseKernels,
  ...upSamplingKernels,
  ...poolKernels,
  ...nnKernels,
  ...recurrentKernels,
  ...imageKernels,
};

export const referenceBackend: Backend = {
  name: 'reference',
  kernels: referenceKernels,
  describe: () => 'reference (plain TypeScript, one thread)',
};
