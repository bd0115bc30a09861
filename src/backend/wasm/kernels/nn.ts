/** Reductions, softmax and the optimizers' in-place updates (wasm/assembly/reduce.ts, nn.ts). */
import type { Kernels } from '../../kernels.js';
import type { KernelExport } from '../codes.js';
import { REDUCE_OPS, codeOf } from '../codes.js';
import type { Staging } from '../staging.js';
import { staged } from '../staging.js';
import { splitRange } from '../threads.js';
import type { WasmContext } from './context.js';

export function nnKernels({ wasm, heap, pool, reference, minChunk }: WasmContext): Pick<
  Kernels, 'reduce' | 'softmax' | 'logSoftmax' | 'sgdUpdate' | 'rmspropUpdate' | 'adamUpdate' | 'adagradUpdate' | 'scaleInPlace'
> {
  /** An in-place update over `length` elements: `place` gives the leading arguments, the range follows. */
  function update(kernel: KernelExport, length: number, place: (s: Staging) => number[], fallback: () => void): void {
    if (length === 0) return;
    staged(heap, (s) => {
      const args = place(s);
      if (!s.ok) return false;
      const chunks = splitRange(length, pool.chunksFor(length, minChunk.elements), 4);
      pool.run(kernel, { args: [...args, 0, 0], rangeAt: args.length, chunks });
      return true;
    }, fallback);
  }

  function lastAxis(kernel: 'softmax' | 'logSoftmax', x: Float32Array | Float64Array, out: Float32Array | Float64Array, rows: number, cols: number): void {
    if (rows * cols === 0) return;
    staged(heap, (s) => {
      const px = s.input(x), po = s.output(out);
      if (!s.ok) return false;
      const chunks = splitRange(rows, pool.chunksFor(rows * cols, minChunk.elements));
      pool.run(kernel, { args: [px, po, cols, 0, 0], rangeAt: 3, chunks });
      return true;
    }, () => reference[kernel](x, out, rows, cols));
  }

  return {
    reduce(op, x, out, r) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), po = s.output(out);
        const work = pool.threadScratch(wasm.reduceWorkBytes(r.inner));
        if (!s.ok || work === null) return false;
        const chunks = splitRange(r.outer, pool.chunksFor(x.length, minChunk.elements));
        pool.run('reduce', { args: [codeOf(REDUCE_OPS, op), px, po, r.size, r.inner, 0, 0, 0], rangeAt: 5, chunks, scratch: work });
        return true;
      }, () => reference.reduce(op, x, out, r));
    },

    softmax(x, out, rows, cols) {
      lastAxis('softmax', x, out, rows, cols);
    },

    logSoftmax(x, out, rows, cols) {
      lastAxis('logSoftmax', x, out, rows, cols);
    },

    sgdUpdate(param, grad, velocity, lr, momentum, nesterov) {
      update('sgdUpdate', param.length,
        (s) => [s.inout(param), s.input(grad), s.optionalInout(velocity), lr, momentum, nesterov ? 1 : 0],
        () => reference.sgdUpdate(param, grad, velocity, lr, momentum, nesterov));
    },

    rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon) {
      update('rmspropUpdate', param.length,
        (s) => [s.inout(param), s.input(grad), s.inout(ms), s.optionalInout(mom), s.optionalInout(mg), lr, rho, momentum, epsilon],
        () => reference.rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon));
    },

    adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon) {
      update('adamUpdate', param.length,
        (s) => [s.inout(param), s.input(grad), s.inout(m), s.inout(v), s.optionalInout(vMax), stepSize, beta1, beta2, epsilon],
        () => reference.adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon));
    },

    adagradUpdate(param, grad, acc, lr, epsilon) {
      update('adagradUpdate', param.length,
        (s) => [s.inout(param), s.input(grad), s.inout(acc), lr, epsilon],
        () => reference.adagradUpdate(param, grad, acc, lr, epsilon));
    },

    scaleInPlace(param, factor) {
      update('scaleInPlace', param.length, (s) => [s.inout(param), factor], () => reference.scaleInPlace(param, factor));
    },
  };
}
