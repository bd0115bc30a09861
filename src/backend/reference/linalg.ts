/** Matrix products and the fused bias + activation epilogue. */
import type { FloatArray } from '../../util/dtype.js';
import type { FusableActivation, Kernels } from '../kernels.js';
import { unaryFn } from './elementwise.js';

/** out = activation(out + bias) over rows of length `cols` (bias broadcast over the last axis). */
export function applyEpilogue(out: FloatArray, cols: number, bias: FloatArray | null, activation: FusableActivation, alpha: number): void {
  if (bias !== null) {
    for (let i = 0; i < out.length; i += cols) {
      for (let j = 0; j < cols; j++) out[i + j]! += bias[j]!;
    }
  }
  if (activation !== 'linear') {
    const f = unaryFn(activation, alpha);
    for (let i = 0; i < out.length; i++) out[i] = f(out[i]!);
  }
}

export const linalgKernels: Pick<Kernels, 'matmul'> = {
  matmul({ a, b, out, bias, activation, alpha, product: { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } }) {
    // Element (i, p) of op(a) and (p, j) of op(b), as strides over the stored matrices.
    const aRow = transA ? 1 : k, aCol = transA ? m : 1;
    const bRow = transB ? 1 : n, bCol = transB ? k : 1;
    const row = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      const aBase = t * aBatchStride, bBase = t * bBatchStride, oBase = t * m * n;
      for (let i = 0; i < m; i++) {
        row.fill(0);
        for (let p = 0; p < k; p++) {
          const av = a[aBase + i * aRow + p * aCol]!;
          if (av === 0) continue;
          const bp = bBase + p * bRow;
          for (let j = 0; j < n; j++) row[j]! += av * b[bp + j * bCol]!;
        }
        for (let j = 0; j < n; j++) out[oBase + i * n + j] = row[j]!;
      }
    }
    applyEpilogue(out, n, bias, activation, alpha);
  },
};
