/** Matrix products and convolutions on the packed SIMD matrix multiplication (wasm/assembly/gemm.ts). */
import type { ConvInfo } from '../../../util/conv-geometry.js';
import type { Epilogue, Kernels } from '../../kernels.js';
import { FUSABLE_ACTIVATIONS, codeOf } from '../codes.js';
import { staged } from '../staging.js';
import { splitRange } from '../threads.js';
import type { WasmContext } from './context.js';
import { TILE_ROWS } from './context.js';

/** Rows of patch gradients the input gradient computes at a time: about this many bytes, kept in cache. */
const PATCH_CHUNK_BYTES = 256 * 1024;

function epilogueArgs(epilogue: Epilogue | null): [activation: number, alpha: number] {
  return [codeOf(FUSABLE_ACTIVATIONS, epilogue?.activation ?? 'linear'), epilogue?.alpha ?? 0];
}

function geometry(c: ConvInfo): number[] {
  return [c.inH, c.inW, c.inC, c.outH, c.outW, c.outC, c.kH, c.kW, c.strideH, c.strideW, c.dilationH, c.dilationW, c.padTop, c.padLeft];
}

export function linalgKernels({ wasm, heap, pool, reference, split }: WasmContext): Pick<
  Kernels, 'matmul' | 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'
> {
  const gemmScratch = wasm.gemmScratchBytes();

  return {
    matmul(a, b, out, info, epilogue) {
      if (out.length === 0) return;
      const { batch, m, n, k, transA, transB } = info;
      staged(heap, (s) => {
        const pa = s.input(a), pb = s.input(b), pc = s.output(out), bias = s.optionalInput(epilogue?.bias ?? null);
        if (!s.ok) return false;
        const parts = pool.partsFor(2 * batch * m * n * k, split.flops);
        // Split rows when each part gets a few tiles of them, otherwise whole batch entries.
        const byRows = batch < parts || m >= parts * TILE_ROWS * 4;
        const ranges = byRows ? splitRange(m, parts, TILE_ROWS) : splitRange(batch, parts);
        const fixed = [pa, pb, pc, m, n, k, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1,
          info.aBatchStride, info.bBatchStride, bias, ...epilogueArgs(epilogue)];
        const jobs: number[][] = [];
        for (let t = 0; t < ranges.length; t++) {
          const scratch = pool.scratch(t, gemmScratch);
          if (scratch < 0) return false;
          const [r0, r1] = ranges[t]!;
          jobs.push([...fixed, ...(byRows ? [0, batch, r0, r1] : [r0, r1, 0, m]), scratch]);
        }
        pool.run('gemm', jobs);
        return true;
      }, () => reference.matmul(a, b, out, info, epilogue));
    },

    conv2d(x, filter, out, c, epilogue) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), pw = s.input(filter), po = s.output(out), bias = s.optionalInput(epilogue?.bias ?? null);
        if (!s.ok) return false;
        const pixels = c.batch * c.outH * c.outW;
        const parts = pool.partsFor(2 * pixels * c.kH * c.kW * c.inC * c.outC, split.flops);
        const fixed = [px, pw, po, ...geometry(c), bias, ...epilogueArgs(epilogue)];
        const jobs: number[][] = [];
        const ranges = splitRange(pixels, parts, TILE_ROWS);
        for (let t = 0; t < ranges.length; t++) {
          const scratch = pool.scratch(t, gemmScratch);
          if (scratch < 0) return false;
          jobs.push([...fixed, ...ranges[t]!, scratch]);
        }
        pool.run('conv2d', jobs);
        return true;
      }, () => reference.conv2d(x, filter, out, c, epilogue));
    },

    conv2dBackpropFilter(x, dy, dFilter, c) {
      if (dFilter.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), pdy = s.input(dy), pdw = s.output(dFilter);
        if (!s.ok) return false;
        const pixels = c.batch * c.outH * c.outW;
        const parts = pool.partsFor(2 * pixels * dFilter.length, split.flops);
        const ranges = splitRange(pixels, parts);
        // Thread 0 sums its pixels into dFilter; the others into a partial buffer after their scratch.
        const partials: number[] = [];
        const jobs: number[][] = [];
        for (let t = 0; t < ranges.length; t++) {
          const scratch = pool.scratch(t, gemmScratch + (t > 0 ? dFilter.length * 4 : 0));
          if (scratch < 0) return false;
          const target = t === 0 ? pdw : scratch + gemmScratch;
          if (t > 0) partials.push(target);
          jobs.push([px, pdy, target, ...geometry(c), ...ranges[t]!, scratch]);
        }
        pool.run('conv2dBackpropFilter', jobs);
        for (const partial of partials) wasm.addInto(pdw, partial, 0, dFilter.length);
        return true;
      }, () => reference.conv2dBackpropFilter(x, dy, dFilter, c));
    },

    conv2dBackpropInput(dy, filter, dx, c) {
      if (dx.length === 0) return;
      staged(heap, (s) => {
        const pdy = s.input(dy), pw = s.input(filter), pdx = s.output(dx);
        if (!s.ok) return false;
        const patch = c.kH * c.kW * c.inC;
        const chunk = Math.min(1024, Math.max(TILE_ROWS, Math.floor(PATCH_CHUNK_BYTES / (patch * 4 * TILE_ROWS)) * TILE_ROWS));
        const scratchBytes = wasm.backpropInputScratchBytes(chunk, c.kH, c.kW, c.inC);
        // Whole images per thread: overlapping windows scatter-add into dx.
        const parts = pool.partsFor(2 * c.batch * c.outH * c.outW * patch * c.outC, split.flops);
        const ranges = splitRange(c.batch, parts);
        const jobs: number[][] = [];
        for (let t = 0; t < ranges.length; t++) {
          const scratch = pool.scratch(t, scratchBytes);
          if (scratch < 0) return false;
          jobs.push([pdy, pw, pdx, ...geometry(c), ...ranges[t]!, chunk, scratch]);
        }
        pool.run('conv2dBackpropInput', jobs);
        return true;
      }, () => reference.conv2dBackpropInput(dy, filter, dx, c));
    },
  };
}
