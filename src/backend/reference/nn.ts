/** Softmax along the last axis and the optimizers' in-place update rules. */
import type { Kernels } from '../kernels.js';

export const nnKernels: Pick<
  Kernels,
  'softmax' | 'logSoftmax' | 'sgdUpdate' | 'rmspropUpdate' | 'adamUpdate' | 'adagradUpdate' | 'scaleInPlace'
> = {
  softmax(x, out, rows, cols) {
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
  logSoftmax(x, out, rows, cols) {
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
  sgdUpdate(param, grad, velocity, lr, momentum, nesterov) {
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      if (velocity === null) {
        param[i]! -= lr * g;
        continue;
      }
      const v = momentum * velocity[i]! - lr * g;
      velocity[i] = v;
      param[i]! += nesterov ? momentum * v - lr * g : v;
    }
  },
  rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon) {
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      const s = rho * ms[i]! + (1 - rho) * g * g;
      ms[i] = s;
      let denom = s + epsilon;
      if (mg !== null) {
        const a = rho * mg[i]! + (1 - rho) * g;
        mg[i] = a;
        denom -= a * a;
      }
      const inc = (lr * g) / Math.sqrt(denom);
      if (mom !== null) {
        const m = momentum * mom[i]! + inc;
        mom[i] = m;
        param[i]! -= m;
      } else {
        param[i]! -= inc;
      }
    }
  },
  adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon) {
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      const mi = m[i]! + (g - m[i]!) * (1 - beta1);
      let vi = v[i]! + (g * g - v[i]!) * (1 - beta2);
      m[i] = mi;
      v[i] = vi;
      if (vMax !== null) {
        vi = Math.max(vMax[i]!, vi);
        vMax[i] = vi;
      }
      param[i]! -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
    }
  },
  adagradUpdate(param, grad, acc, lr, epsilon) {
    for (let i = 0; i < param.length; i++) {
      const g = grad[i]!;
      const a = acc[i]! + g * g;
      acc[i] = a;
      param[i]! -= (lr * g) / Math.sqrt(a + epsilon);
    }
  },
  scaleInPlace(param, factor) {
    for (let i = 0; i < param.length; i++) param[i]! *= factor;
  },
};
