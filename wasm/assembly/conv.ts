/**
 * 2-D convolution (NHWC input, [kH, kW, inC, outC] filters) and its two gradients, as matrix products
 * over implicit patches (patches.ts): out = patches @ W, dW = patches^T @ dy, dx = col2im(dy @ W^T).
 * Calls are split into output pixels (forward, filter gradient) or whole images (input gradient, whose
 * scatter-add would otherwise race).
 */
import { Conv2dArgs, Conv2dBackpropFilterArgs, Conv2dBackpropInputArgs, ConvInfo } from '../generated/kernels';
import { gemmRows, gemmScratchBytes, useMatrixA, usePatchA, A_PATCHES, A_PATCHES_T } from './gemm';
import { LINEAR } from './activation';
import { scatterPatchRows, useConvGeometry } from './patches';
import { MR } from './tile';

/** Rows of patch gradients conv2dBackpropInput computes at a time: about this many bytes, kept in cache. */
const PATCH_CHUNK_BYTES: i32 = 256 * 1024;

@inline function useConv(x: usize, c: ConvInfo): void {
  useConvGeometry(x, c.inH, c.inW, c.inC, c.outH, c.outW, c.kW, c.strideH, c.strideW, c.dilationH, c.dilationW, c.padTop, c.padLeft);
}

/** Output pixels [start, end) (flattened batch x outH x outW) of act(conv(x, w) + bias). */
export function conv2d(a: Conv2dArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  useConv(a.x, c);
  usePatchA(A_PATCHES);
  gemmRows(a.filter, c.outC, 1, a.out, c.outC, start, end, 0, c.kH * c.kW * c.inC, a.bias, a.activation, a.alpha, scratch);
}

/**
 * Adds the filter gradient summed over output pixels [start, end) to this thread's partial sum, which
 * sits in its scratch after gemm's part (backpropFilterScratchBytes); the caller zeroes the partial sums
 * first and adds them up afterwards.
 */
export function conv2dBackpropFilter(a: Conv2dBackpropFilterArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  useConv(a.x, c);
  usePatchA(A_PATCHES_T);
  const partial = scratch + <usize>gemmScratchBytes();
  gemmRows(a.dy, c.outC, 1, partial, c.outC, 0, c.kH * c.kW * c.inC, start, end, 0, LINEAR, 0, scratch, true);
}

/** Bytes of scratch conv2dBackpropFilter needs: gemm's, plus the partial sum of the filter gradient. */
export function backpropFilterScratchBytes(kH: i32, kW: i32, inC: i32, outC: i32): i32 {
  return gemmScratchBytes() + kH * kW * inC * outC * 4;
}

/** Output pixels whose patch gradients conv2dBackpropInput computes at a time (a multiple of MR). */
function backpropInputRows(kH: i32, kW: i32, inC: i32): i32 {
  const patch = kH * kW * inC;
  return patch == 0 ? 1024 : min(1024, max(MR, PATCH_CHUNK_BYTES / (patch * 4 * MR) * MR));
}

/** Bytes of scratch conv2dBackpropInput needs: gemm's, plus a chunk of patch gradients. */
export function backpropInputScratchBytes(kH: i32, kW: i32, inC: i32): i32 {
  return gemmScratchBytes() + backpropInputRows(kH, kW, inC) * kH * kW * inC * 4;
}

/**
 * The input gradient of images [start, end): a chunk of output pixels at a time, their patch gradients
 * dy @ W^T go to scratch (in cache) and are scatter-added into dx.
 */
export function conv2dBackpropInput(a: Conv2dBackpropInputArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  const image = <usize>(c.inH * c.inW * c.inC) * 4;
  memory.fill(a.dx + <usize>start * image, 0, <usize>(end - start) * image);
  useConv(a.dx, c);
  const k = c.kH * c.kW * c.inC, chunk = backpropInputRows(c.kH, c.kW, c.inC), grid = c.outH * c.outW;
  const cols = scratch + <usize>gemmScratchBytes();
  const last = end * grid;
  for (let q = start * grid; q < last; q += chunk) {
    const rows = min(chunk, last - q);
    useMatrixA(a.dy + <usize>q * <usize>c.outC * 4, c.outC, 1);
    gemmRows(a.filter, 1, c.outC, cols, k, 0, rows, 0, c.outC, 0, LINEAR, 0, scratch);
    scatterPatchRows(cols, q, rows, c.kH);
  }
}
