/**
 * Packed, register-blocked matrix multiplication (BLIS-style loops) with the fused bias + activation
 * epilogue. C[m, n] = op(A)[m, k] @ op(B)[k, n], where op(A)[i, p] = A[i*ars + p*acs] and
 * op(B)[p, j] = B[p*brs + j*bcs] (strides in elements), so transposes are just strides.
 *
 * The micro-kernel keeps a 4x8 tile of C in eight f32x4 accumulators: V8 gives WebAssembly 16 vector
 * registers, and eight independent add chains cover the add latency at two adds per cycle.
 */
import { MatmulArgs } from '../generated/kernels';
import { activate, LINEAR, RELU, vrelu } from './activation';
import { packPatchCols, packPatchRows, patchColsWorkBytes } from './patches';
import { MR, NR, transpose4 } from './tile';

/**
 * Greatest depth of one packed block: an MR x KC panel of A (6 KB) and a KC x NR panel of B (12 KB) sit
 * in L1. The depth is split into equal blocks (K = 288 is one block of 288, not 256 + 32).
 */
export const KC: i32 = 384;
/** Rows of A packed at a time (up to 192 KB, in L2). */
export const MC: i32 = 128;
/** Columns of B packed at a time (up to 768 KB, in L2). */
export const NC: i32 = 512;

const TILE_BYTES: i32 = (MR * NR + NR) * 4;

/**
 * Bytes of per-thread scratch that `gemmRows` needs: packed A, packed B, one edge tile with its bias
 * row, and the patch packer's work space.
 */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC) * 4 + TILE_BYTES + patchColsWorkBytes(MC);
}

/**
 * Where the A operand comes from. Module globals are per instance, and every thread has its own
 * instance over the shared memory, so a kernel sets them for its own thread before `gemmRows`.
 */
const A_MATRIX: i32 = 0;
/** Rows are output pixels, columns are filter taps x input channels (implicit im2col, conv.ts). */
export const A_PATCHES: i32 = 1;
/** The transpose of A_PATCHES: rows are taps x channels, columns are output pixels. */
export const A_PATCHES_T: i32 = 2;

let aMode: i32 = A_MATRIX;
let aBase: usize = 0;
let aRowStride: i32 = 0;
let aColStride: i32 = 0;

/** Selects a strided matrix as the A operand: op(A)[i, p] = A[i*ars + p*acs]. */
export function useMatrixA(a: usize, ars: i32, acs: i32): void {
  aMode = A_MATRIX;
  aBase = a;
  aRowStride = ars;
  aColStride = acs;
}

/** Selects the convolution patches set by patches.ts's useConvGeometry as the A operand. */
export function usePatchA(mode: i32): void {
  aMode = mode;
}

@inline function packA(dst: usize, row0: i32, col0: i32, mc: i32, kc: i32, work: usize): void {
  if (aMode == A_MATRIX) {
    packMatrixA(dst, aBase + <usize>(row0 * aRowStride + col0 * aColStride) * 4, aRowStride, aColStride, mc, kc);
  } else if (aMode == A_PATCHES) {
    packPatchRows(dst, row0, col0, mc, kc);
  } else {
    packPatchCols(dst, row0, col0, mc, kc, work);
  }
}

/**
 * Packs rows [0, mc) x columns [0, kc) of op(A) (a points at its first element) into panels of MR rows:
 * panel r holds, for each p, the MR values of rows r*MR.. at column p. Missing rows are zero.
 */
function packMatrixA(dst: usize, a: usize, ars: i32, acs: i32, mc: i32, kc: i32): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const src = a + <usize>(i * ars) * 4;
    if (rows == MR && acs == 1) {
      const rs = <usize>ars * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = src + <usize>p * 4;
        transpose4(dst + <usize>p * 16, v128.load(s), v128.load(s + rs), v128.load(s + 2 * rs), v128.load(s + 3 * rs));
      }
      for (; p < kc; p++) {
        const s = src + <usize>p * 4, d = dst + <usize>p * 16;
        store<f32>(d, load<f32>(s));
        store<f32>(d, load<f32>(s + rs), 4);
        store<f32>(d, load<f32>(s + 2 * rs), 8);
        store<f32>(d, load<f32>(s + 3 * rs), 12);
      }
    } else if (rows == MR && ars == 1) {
      for (let p = 0; p < kc; p++) v128.store(dst + <usize>p * 16, v128.load(src + <usize>(p * acs) * 4));
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(src + <usize>(r * ars + p * acs) * 4) : 0;
          store<f32>(dst + <usize>(p * MR + r) * 4, v);
        }
      }
    }
    dst += <usize>(kc * MR) * 4;
  }
}

/** Packs rows [0, kc) x columns [0, nc) of op(B) into panels of NR columns; missing columns are zero. */
function packB(dst: usize, b: usize, brs: i32, bcs: i32, kc: i32, nc: i32): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const src = b + <usize>(j * bcs) * 4;
    if (cols == NR && bcs == 1) {
      const rs = <usize>brs * 4;
      for (let p = 0; p < kc; p++) {
        const s = src + <usize>p * rs, d = dst + <usize>p * 32;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else if (cols == NR && brs == 1) {
      // Each column is contiguous along p: transpose 4x4 blocks into the panel.
      const cs = <usize>bcs * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = src + <usize>p * 4;
        const d = dst + <usize>p * 32;
        transposeInto8(d, s, cs);
      }
      for (; p < kc; p++) {
        for (let q = 0; q < NR; q++) store<f32>(dst + <usize>(p * NR + q) * 4, load<f32>(src + <usize>p * 4 + <usize>q * cs));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) {
          const v: f32 = q < cols ? load<f32>(src + <usize>(p * brs + q * bcs) * 4) : 0;
          store<f32>(dst + <usize>(p * NR + q) * 4, v);
        }
      }
    }
    dst += <usize>(kc * NR) * 4;
  }
}

/** Four rows of an 8-wide panel from eight columns that are contiguous along p (column stride cs bytes). */
@inline function transposeInto8(d: usize, s: usize, cs: usize): void {
  const lo0 = v128.load(s), lo1 = v128.load(s + cs), lo2 = v128.load(s + 2 * cs), lo3 = v128.load(s + 3 * cs);
  const hi0 = v128.load(s + 4 * cs), hi1 = v128.load(s + 5 * cs), hi2 = v128.load(s + 6 * cs), hi3 = v128.load(s + 7 * cs);
  // Row p of the panel is [lo0[p] lo1[p] lo2[p] lo3[p] hi0[p] .. hi3[p]].
  let t0 = v128.shuffle<f32>(lo0, lo1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(lo0, lo1, 2, 6, 3, 7);
  let t2 = v128.shuffle<f32>(lo2, lo3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(lo2, lo3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
  t0 = v128.shuffle<f32>(hi0, hi1, 0, 4, 1, 5);
  t1 = v128.shuffle<f32>(hi0, hi1, 2, 6, 3, 7);
  t2 = v128.shuffle<f32>(hi2, hi3, 0, 4, 1, 5);
  t3 = v128.shuffle<f32>(hi2, hi3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), 16);
  v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 48);
  v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 80);
  v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 112);
}

/**
 * One MR x NR tile: C = (accumulate ? C : 0) + Apanel @ Bpanel, then, when `bias`/`act` are given (last
 * depth block only), C = act(C + bias). `ldc` is C's row stride in bytes.
 */
function microKernel(
  ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool, bias: usize, act: i32, alpha: f32,
): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c1));
    c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2));
    c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3));
    c31 = f32x4.add(c31, v128.load(c3, 16));
  }
  if (bias != 0) {
    const b0 = v128.load(bias), b1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, b0);
    c01 = f32x4.add(c01, b1);
    c10 = f32x4.add(c10, b0);
    c11 = f32x4.add(c11, b1);
    c20 = f32x4.add(c20, b0);
    c21 = f32x4.add(c21, b1);
    c30 = f32x4.add(c30, b0);
    c31 = f32x4.add(c31, b1);
  }
  if (act == RELU) {
    // The common case, without a dispatch per vector.
    c00 = vrelu(c00);
    c01 = vrelu(c01);
    c10 = vrelu(c10);
    c11 = vrelu(c11);
    c20 = vrelu(c20);
    c21 = vrelu(c21);
    c30 = vrelu(c30);
    c31 = vrelu(c31);
  } else if (act != LINEAR) {
    c00 = activate(c00, act, alpha);
    c01 = activate(c01, act, alpha);
    c10 = activate(c10, act, alpha);
    c11 = activate(c11, act, alpha);
    c20 = activate(c20, act, alpha);
    c21 = activate(c21, act, alpha);
    c30 = activate(c30, act, alpha);
    c31 = activate(c31, act, alpha);
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

/**
 * A tile at the bottom or right edge (rows < MR or cols < NR): computed in the scratch tile, then the
 * valid part is copied out. The bias is staged in the tile's spare row space so the kernel can read 8.
 */
function edgeTile(
  ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool,
  bias: usize, act: i32, alpha: f32, tile: usize, tileBias: usize,
): void {
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NR; q++) {
      const v: f32 = accumulate && r < rows && q < cols ? load<f32>(c + <usize>r * ldc + <usize>q * 4) : 0;
      store<f32>(tile + <usize>(r * NR + q) * 4, v);
    }
  }
  let b: usize = 0;
  if (bias != 0) {
    for (let q = 0; q < NR; q++) store<f32>(tileBias + <usize>q * 4, q < cols ? load<f32>(bias + <usize>q * 4) : 0);
    b = tileBias;
  }
  microKernel(ap, bp, kc, tile, NR * 4, accumulate, b, act, alpha);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) store<f32>(c + <usize>r * ldc + <usize>q * 4, load<f32>(tile + <usize>(r * NR + q) * 4));
  }
}

/**
 * Units [start, end) of batch x m output rows (unit u is row u % m of product u / m):
 * C_t = act(op(A_t) @ op(B_t) + bias). A_t starts `aBatchStride` elements after A_(t-1) (0 broadcasts one
 * matrix), likewise B; C_t is dense [m, n]. `scratch` is this thread's gemmScratchBytes() bytes.
 */
export function matmul(a: MatmulArgs, start: i32, end: i32, scratch: usize): void {
  const p = a.product;
  const m = p.m, n = p.n, k = p.k;
  const ars = p.transA != 0 ? 1 : k, acs = p.transA != 0 ? m : 1;
  const brs = p.transB != 0 ? 1 : n, bcs = p.transB != 0 ? k : 1;
  for (let t = start / m; t * m < end; t++) {
    useMatrixA(a.a + <usize>t * <usize>p.aBatchStride * 4, ars, acs);
    const b = a.b + <usize>t * <usize>p.bBatchStride * 4, c = a.out + <usize>t * <usize>m * <usize>n * 4;
    gemmRows(b, brs, bcs, c, n, max(start - t * m, 0), min(end - t * m, m), 0, k, a.bias, a.activation, a.alpha, scratch);
  }
}

/**
 * Rows [m0, m1) of C[., n] (row stride n) = act(op(A)[., k0:k1] @ op(B)[k0:k1, .] + bias), where A is
 * the operand selected by useMatrixA/usePatchA and op(B)[p, j] = B[p*brs + j*bcs]; with `addToC` the
 * product is added to C instead (no bias or activation then).
 */
export function gemmRows(
  b: usize, brs: i32, bcs: i32, c: usize, n: i32, m0: i32, m1: i32, k0: i32, k1: i32,
  bias: usize, act: i32, alpha: f32, scratch: usize, addToC: bool = false,
): void {
  const pa = scratch;
  const pb = pa + <usize>(MC * KC) * 4;
  const tile = pb + <usize>(KC * NC) * 4;
  const work = tile + TILE_BYTES;
  const ldc = <usize>n * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    // At least one depth block, so that an empty product still writes act(bias) (an empty sum is 0).
    const blocks = max(1, (k1 - k0 + KC - 1) / KC);
    const depth = (((k1 - k0 + blocks - 1) / blocks + 3) >> 2) << 2;
    let pc = k0;
    do {
      const kc = min(depth, k1 - pc);
      const last = pc + kc >= k1;
      const accumulate = addToC || pc > k0;
      packB(pb, b + <usize>(pc * brs + jc * bcs) * 4, brs, bcs, kc, nc);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA(pa, ic, pc, mc, kc, work);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bPanel = pb + <usize>(jr * kc) * 4;
          const biasAt: usize = last && bias != 0 ? bias + <usize>(jc + jr) * 4 : 0;
          const tileAct = last ? act : LINEAR;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cp = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            const aPanel = pa + <usize>(ir * kc) * 4;
            if (rows == MR && cols == NR) microKernel(aPanel, bPanel, kc, cp, ldc, accumulate, biasAt, tileAct, alpha);
            else edgeTile(aPanel, bPanel, kc, cp, ldc, rows, cols, accumulate, biasAt, tileAct, alpha, tile, tile + MR * NR * 4);
          }
        }
      }
      pc += kc;
    } while (pc < k1);
  }
}
