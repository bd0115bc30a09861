/**
 * 2-D convolution (NHWC input, [kH, kW, inC, outC] filters) and its two gradients, as matrix products
 * over implicit patches (patches.ts): out = patches @ W, dW = patches^T @ dy, dx = col2im(dy @ W^T).
 * Calls are split into output pixels (forward, filter gradient) or whole images (input gradient, whose
 * scatter-add would otherwise race).
 */
import { gemmRows, gemmScratchBytes, useMatrixA, usePatchA, A_PATCHES, A_PATCHES_T } from './gemm';
import { LINEAR } from './activation';
import { scatterPatchRows, useConvGeometry } from './patches';

/** Output pixels [p0, p1) (flattened batch x outH x outW) of act(conv(x, w) + bias). */
export function conv2d(
  x: usize, w: usize, out: usize, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
  bias: usize, act: i32, alpha: f32, p0: i32, p1: i32, scratch: usize,
): void {
  useConvGeometry(x, inH, inW, inC, outH, outW, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft);
  usePatchA(A_PATCHES);
  gemmRows(w, outC, 1, out, outC, p0, p1, 0, kH * kW * inC, bias, act, alpha, scratch);
}

/**
 * Adds the filter gradient summed over output pixels [p0, p1) to this thread's partial sum, which sits
 * in its scratch after gemm's part (backpropFilterScratchBytes); the caller zeroes the partial sums
 * first and adds them up afterwards.
 */
export function conv2dBackpropFilter(
  x: usize, dy: usize, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
  p0: i32, p1: i32, scratch: usize,
): void {
  useConvGeometry(x, inH, inW, inC, outH, outW, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft);
  usePatchA(A_PATCHES_T);
  const partial = scratch + <usize>gemmScratchBytes();
  gemmRows(dy, outC, 1, partial, outC, 0, kH * kW * inC, p0, p1, 0, LINEAR, 0, scratch, true);
}

/** Bytes of scratch conv2dBackpropFilter needs: gemm's, plus the partial sum of the filter gradient. */
export function backpropFilterScratchBytes(kH: i32, kW: i32, inC: i32, outC: i32): i32 {
  return gemmScratchBytes() + kH * kW * inC * outC * 4;
}

/** Bytes of scratch conv2dBackpropInput needs: gemm's, plus `chunk` rows of patch gradients. */
export function backpropInputScratchBytes(chunk: i32, kH: i32, kW: i32, inC: i32): i32 {
  return gemmScratchBytes() + chunk * kH * kW * inC * 4;
}

/**
 * The input gradient of images [b0, b1): `chunk` output pixels at a time, their patch gradients
 * dy @ W^T go to scratch (in cache) and are scatter-added into dx.
 */
export function conv2dBackpropInput(
  dy: usize, w: usize, dx: usize, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, outC: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
  b0: i32, b1: i32, chunk: i32, scratch: usize,
): void {
  const image = <usize>(inH * inW * inC) * 4;
  memory.fill(dx + <usize>b0 * image, 0, <usize>(b1 - b0) * image);
  useConvGeometry(dx, inH, inW, inC, outH, outW, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft);
  const k = kH * kW * inC;
  const cols = scratch + <usize>gemmScratchBytes();
  const end = b1 * outH * outW;
  for (let q = b0 * outH * outW; q < end; q += chunk) {
    const rows = min(chunk, end - q);
    useMatrixA(dy + <usize>q * <usize>outC * 4, outC, 1);
    gemmRows(w, 1, outC, cols, k, 0, rows, 0, outC, 0, LINEAR, 0, scratch);
    scatterPatchRows(cols, q, rows, kH);
  }
}
