/** Softmax and log-softmax along the last axis. */
import type { Kernels } from '../kernels.js';

export const nnKernels: Pick<Kernels, 'softmax' | 'logSoftmax'> = {
  softmax({ x, out, rows, cols }) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]!);
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(x[o + j]! - max);
        out[o + j] = e;
        sum += e;
      }
      for (let j = 0; j < cols; j++) out[o + j]! /= sum;
    }
  },
  logSoftmax({ x, out, rows, cols }) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]!);
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(x[o + j]! - max);
      const lse = max + Math.log(sum);
      for (let j = 0; j < cols; j++) out[o + j] = x[o + j]! - lse;
    }
  },
};
