/** Max and average pooling and their gradients (wasm/assembly/pool.ts). */
import type { PoolInfo } from '../../../util/conv-geometry.js';
import type { Kernels } from '../../kernels.js';
import type { KernelExport } from '../codes.js';
import type { Staging } from '../staging.js';
import { staged } from '../staging.js';
import { splitRange } from '../threads.js';
import type { WasmContext } from './context.js';

function geometry(p: PoolInfo): number[] {
  return [p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft];
}

export function poolKernels({ heap, pool, reference, minChunk }: WasmContext): Pick<
  Kernels, 'maxPool2d' | 'maxPool2dGrad' | 'avgPool2d' | 'avgPool2dGrad'
> {
  /**
   * Runs a pooling kernel whose arrays `place` returns: forward passes are split into output rows,
   * gradients into whole images (their windows may overlap, and they scatter-add).
   */
  function run(kernel: KernelExport, p: PoolInfo, byImages: boolean, place: (s: Staging) => number[], fallback: () => void): void {
    staged(heap, (s) => {
      const arrays = place(s);
      if (!s.ok) return false;
      const chunks = pool.chunksFor(p.batch * p.outH * p.outW * p.channels * p.kH * p.kW, minChunk.elements);
      const args = [...arrays, ...geometry(p), 0, 0];
      pool.run(kernel, { args, rangeAt: args.length - 2, chunks: splitRange(byImages ? p.batch : p.batch * p.outH, chunks) });
      return true;
    }, fallback);
  }

  return {
    maxPool2d(x, out, p) {
      if (out.length === 0) return;
      run('maxPool2d', p, false, (s) => [s.input(x), s.output(out)], () => reference.maxPool2d(x, out, p));
    },
    maxPool2dGrad(x, dy, dx, p) {
      if (dx.length === 0) return;
      run('maxPool2dGrad', p, true, (s) => [s.input(x), s.input(dy), s.output(dx)], () => reference.maxPool2dGrad(x, dy, dx, p));
    },
    avgPool2d(x, out, p) {
      if (out.length === 0) return;
      run('avgPool2d', p, false, (s) => [s.input(x), s.output(out)], () => reference.avgPool2d(x, out, p));
    },
    avgPool2dGrad(dy, dx, p) {
      if (dx.length === 0) return;
      run('avgPool2dGrad', p, true, (s) => [s.input(dy), s.output(dx)], () => reference.avgPool2dGrad(dy, dx, p));
    },
  };
}
