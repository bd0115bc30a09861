/** Softmax, log-softmax and layer normalization along the last axis. */
import type { Kernels } from '../kernels.js';

export const nnKernels: Pick<Kernels, 'softmax' | 'logSoftmax' | 'layerNorm' | 'layerNormGrad'> = {
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
  layerNorm({ x, gamma, beta, out, mean, rstd, rows, cols, epsilon }) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += x[o + j]!;
      const m = cols > 0 ? sum / cols : 0;
      let squares = 0;
      for (let j = 0; j < cols; j++) squares += (x[o + j]! - m) ** 2;
      const s = 1 / Math.sqrt((cols > 0 ? squares / cols : 0) + epsilon);
      for (let j = 0; j < cols; j++) out[o + j] = (x[o + j]! - m) * s * gamma[j]! + beta[j]!;
      mean[r] = m;
      rstd[r] = s;
    }
  },
  layerNormGrad({ dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols }) {
    const dg = new Float64Array(cols), db = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols, m = mean[r]!, s = rstd[r]!;
      // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), with g = dy * gamma and xhat = (x - mean) * rstd.
      let sumG = 0, sumGX = 0;
      for (let j = 0; j < cols; j++) {
        const g = dy[o + j]! * gamma[j]!, xhat = (x[o + j]! - m) * s;
        sumG += g;
        sumGX += g * xhat;
        dg[j]! += dy[o + j]! * xhat;
        db[j]! += dy[o + j]!;
      }
      for (let j = 0; j < cols; j++) {
        const xhat = (x[o + j]! - m) * s;
        dx[o + j] = s * (dy[o + j]! * gamma[j]! - sumG / cols - (xhat * sumGX) / cols);
      }
    }
    for (let j = 0; j < cols; j++) {
      dGamma[j] = dg[j]!;
      dBeta[j] = db[j]!;
    }
  },
};
