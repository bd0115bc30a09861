/** Matrix products and convolutions on the packed SIMD matrix multiplication (wasm/assembly/gemm.ts). */
import type { ConvInfo } from '../../../util/conv-geometry.js';
import type { Epilogue, Kernels } from '../../kernels.js';
import { FUSABLE_ACTIVATIONS, codeOf } from '../codes.js';
import { staged } from '../staging.js';
import { splitRange } from '../threads.js';
import type { WasmContext } from './context.js';
import { GEMM_ROW_BLOCK, TILE_ROWS } from './context.js';

/** Rows of patch gradients the input gradient computes at a time: about this many bytes, kept in cache. */
const PATCH_CHUNK_BYTES = 256 * 1024;

function epilogueArgs(epilogue: Epilogue | null): [activation: number, alpha: number] {
  return [codeOf(FUSABLE_ACTIVATIONS, epilogue?.activation ?? 'linear'), epilogue?.alpha ?? 0];
}

function geometry(c: ConvInfo): number[] {
  return [c.inH, c.inW, c.inC, c.outH, c.outW, c.outC, c.kH, c.kW, c.strideH, c.strideW, c.dilationH, c.dilationW, c.padTop, c.padLeft];
}

/** Floating-point operations of a convolution (or of either of its gradients). */
function convFlops(c: ConvInfo): number {
  return 2 * c.batch * c.outH * c.outW * c.outC * c.kH * c.kW * c.inC;
}

export function linalgKernels({ wasm, heap, pool, reference, minChunk }: WasmContext): Pick<
  Kernels, 'matmul' | 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'
> {
  const gemmScratch = wasm.gemmScratchBytes();

  return {
    matmul(a, b, out, info, epilogue) {
      if (out.length === 0) return;
      const { batch, m, n, k, transA, transB } = info;
      staged(heap, (s) => {
        const pa = s.input(a), pb = s.input(b), pc = s.output(out), bias = s.optionalInput(epilogue?.bias ?? null);
        const scratch = pool.threadScratch(gemmScratch);
        if (!s.ok || scratch === null) return false;
        let chunks = pool.chunksFor(2 * batch * m * n * k, minChunk.flops);
        // Split rows when each chunk gets a few tiles of them, otherwise whole batch entries.
        const byRows = batch < chunks || m >= chunks * TILE_ROWS * 4;
        // Every chunk of rows packs all of B again: beyond one chunk per thread, chunks get a full row block.
        if (byRows) chunks = Math.min(chunks, Math.max(pool.available, Math.floor(m / GEMM_ROW_BLOCK)));
        const fixed = [pa, pb, pc, m, n, k, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1,
          info.aBatchStride, info.bBatchStride, bias, ...epilogueArgs(epilogue)];
        const args = byRows ? [...fixed, 0, batch, 0, 0, 0] : [...fixed, 0, 0, 0, m, 0];
        const ranges = byRows ? splitRange(m, chunks, TILE_ROWS) : splitRange(batch, chunks);
        pool.run('gemm', { args, rangeAt: byRows ? fixed.length + 2 : fixed.length, chunks: ranges, scratch });
        return true;
      }, () => reference.matmul(a, b, out, info, epilogue));
    },

    conv2d(x, filter, out, c, epilogue) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), pw = s.input(filter), po = s.output(out), bias = s.optionalInput(epilogue?.bias ?? null);
        const scratch = pool.threadScratch(gemmScratch);
        if (!s.ok || scratch === null) return false;
        const pixels = c.batch * c.outH * c.outW;
        const args = [px, pw, po, ...geometry(c), bias, ...epilogueArgs(epilogue), 0, 0, 0];
        const chunks = splitRange(pixels, pool.chunksFor(convFlops(c), minChunk.flops), TILE_ROWS);
        pool.run('conv2d', { args, rangeAt: args.length - 3, chunks, scratch });
        return true;
      }, () => reference.conv2d(x, filter, out, c, epilogue));
    },

    conv2dBackpropFilter(x, dy, dFilter, c) {
      if (dFilter.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), pdy = s.input(dy), pdw = s.output(dFilter);
        const scratch = pool.threadScratch(wasm.backpropFilterScratchBytes(c.kH, c.kW, c.inC, c.outC));
        if (!s.ok || scratch === null) return false;
        // Each thread adds its chunks into its own partial sum; the partial sums are added up at the end.
        const partials = scratch.map((address) => address + gemmScratch);
        for (const partial of partials) wasm.fill(partial, 0, 0, dFilter.length);
        const pixels = c.batch * c.outH * c.outW;
        const args = [px, pdy, ...geometry(c), 0, 0, 0];
        const chunks = splitRange(pixels, pool.chunksFor(convFlops(c), minChunk.flops));
        pool.run('conv2dBackpropFilter', { args, rangeAt: args.length - 3, chunks, scratch });
        wasm.fill(pdw, 0, 0, dFilter.length);
        for (const partial of partials) wasm.addInto(pdw, partial, 0, dFilter.length);
        return true;
      }, () => reference.conv2dBackpropFilter(x, dy, dFilter, c));
    },

    conv2dBackpropInput(dy, filter, dx, c) {
      if (dx.length === 0) return;
      const patch = c.kH * c.kW * c.inC;
      const rows = Math.min(1024, Math.max(TILE_ROWS, Math.floor(PATCH_CHUNK_BYTES / (patch * 4 * TILE_ROWS)) * TILE_ROWS));
      staged(heap, (s) => {
        const pdy = s.input(dy), pw = s.input(filter), pdx = s.output(dx);
        const scratch = pool.threadScratch(wasm.backpropInputScratchBytes(rows, c.kH, c.kW, c.inC));
        if (!s.ok || scratch === null) return false;
        // Whole images per chunk: overlapping windows scatter-add into dx.
        const args = [pdy, pw, pdx, ...geometry(c), 0, 0, rows, 0];
        const chunks = splitRange(c.batch, pool.chunksFor(convFlops(c), minChunk.flops));
        pool.run('conv2dBackpropInput', { args, rangeAt: args.length - 4, chunks, scratch });
        return true;
      }, () => reference.conv2dBackpropInput(dy, filter, dx, c));
    },
  };
}
