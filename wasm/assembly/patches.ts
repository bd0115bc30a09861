/**
 * Implicit im2col: packs convolution patches straight into the matrix-multiplication panels, so no
 * patch matrix is ever materialised. A patch row is one output pixel; its columns run over filter taps
 * (ky, kx) and input channels ci, as kk = (ky*kW + kx)*inC + ci, which is the row index of a
 * [kH, kW, inC, outC] filter seen as a [K, outC] matrix. Taps that fall in the padding read as 0.
 */
import { MR, transpose4 } from './tile';

// The geometry of the current convolution (per instance, i.e. per thread), set by useConvGeometry.
let gx: usize = 0;
let gInH: i32 = 0;
let gInW: i32 = 0;
let gInC: i32 = 0;
let gOutH: i32 = 0;
let gOutW: i32 = 0;
let gKW: i32 = 0;
let gStrideH: i32 = 0;
let gStrideW: i32 = 0;
let gDilationH: i32 = 0;
let gDilationW: i32 = 0;
let gPadTop: i32 = 0;
let gPadLeft: i32 = 0;

export function useConvGeometry(
  x: usize, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
): void {
  gx = x;
  gInH = inH;
  gInW = inW;
  gInC = inC;
  gOutH = outH;
  gOutW = outW;
  gKW = kW;
  gStrideH = strideH;
  gStrideW = strideW;
  gDilationH = dilationH;
  gDilationW = dilationW;
  gPadTop = padTop;
  gPadLeft = padLeft;
}

/** Address of input pixel row (b, iy, ix, 0), or 0 when (iy, ix) lies in the padding. */
@inline function pixelAt(b: i32, iy: i32, ix: i32): usize {
  if (<u32>iy >= <u32>gInH || <u32>ix >= <u32>gInW) return 0;
  return gx + <usize>(((b * gInH + iy) * gInW + ix) * gInC) * 4;
}

// Origin of the current output pixel's window: its image and the input coordinates of tap (0, 0).
let oB: i32 = 0;
let oY: i32 = 0;
let oX: i32 = 0;

/** Sets the window origin (oB, oY, oX) of output pixel q. */
@inline function locate(q: i32): void {
  const plane = gOutH * gOutW;
  oB = q / plane;
  const rem = q - oB * plane;
  const oy = rem / gOutW;
  oY = oy * gStrideH - gPadTop;
  oX = (rem - oy * gOutW) * gStrideW - gPadLeft;
}

/** The input pixel that tap (ky, kx) of the located output pixel reads (0 in the padding). */
@inline function tapSource(ky: i32, kx: i32): usize {
  return pixelAt(oB, oY + ky * gDilationH, oX + kx * gDilationW);
}

/**
 * Panels of MR output pixels (rows row0..row0+mc) x patch columns col0..col0+kc, laid out like
 * gemm.ts's packed A: for each column, the MR pixels' values side by side.
 */
export function packPatchRows(dst: usize, row0: i32, col0: i32, mc: i32, kc: i32): void {
  if (kc == 0) return; // no input channels: nothing to pack (and no channel count to divide by)
  const vectorised = gInC % 4 == 0 && col0 % 4 == 0 && kc % 4 == 0;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    if (vectorised && rows == MR) packFourPixels(dst, row0 + i, col0, kc);
    else if (gInC == 1 && rows == MR) packFourPixelsOneChannel(dst, row0 + i, col0, kc);
    else {
      for (let r = 0; r < MR; r++) packOnePixel(dst + <usize>r * 4, r < rows ? row0 + i + r : -1, col0, kc);
    }
    dst += <usize>(kc * MR) * 4;
  }
}

/** Column r of a panel (stride MR floats) for output pixel q (q < 0: a padding row of zeros). */
function packOnePixel(dst: usize, q: i32, col0: i32, kc: i32): void {
  if (q < 0) {
    for (let p = 0; p < kc; p++) store<f32>(dst + <usize>(p * MR) * 4, 0);
    return;
  }
  locate(q);
  let tap = col0 / gInC;
  let ci = col0 - tap * gInC;
  let ky = tap / gKW;
  let kx = tap - ky * gKW;
  let p = 0;
  while (p < kc) {
    const run = min(gInC - ci, kc - p);
    const src = tapSource(ky, kx);
    const d = dst + <usize>(p * MR) * 4;
    if (src == 0) {
      for (let t = 0; t < run; t++) store<f32>(d + <usize>(t * MR) * 4, 0);
    } else {
      const s = src + <usize>ci * 4;
      for (let t = 0; t < run; t++) store<f32>(d + <usize>(t * MR) * 4, load<f32>(s + <usize>t * 4));
    }
    p += run;
    ci = 0;
    if (++kx == gKW) {
      kx = 0;
      ky++;
    }
  }
}

/** Four full pixels when channels come in fours: 4x4 blocks (4 pixels x 4 channels) are transposed. */
function packFourPixels(dst: usize, q: i32, col0: i32, kc: i32): void {
  const tap0 = col0 / gInC;
  const ci0 = col0 - tap0 * gInC;
  const zero = f32x4.splat(0);
  // The four pixels' window origins, kept in locals across the taps.
  locate(q);
  const b0 = oB, y0 = oY, x0 = oX;
  locate(q + 1);
  const b1 = oB, y1 = oY, x1 = oX;
  locate(q + 2);
  const b2 = oB, y2 = oY, x2 = oX;
  locate(q + 3);
  const b3 = oB, y3 = oY, x3 = oX;
  let ky = tap0 / gKW;
  let kx = tap0 - ky * gKW;
  let ci = ci0;
  let p = 0;
  while (p < kc) {
    const run = min(gInC - ci, kc - p);
    const dy = ky * gDilationH, dx = kx * gDilationW;
    const s0 = pixelAt(b0, y0 + dy, x0 + dx), s1 = pixelAt(b1, y1 + dy, x1 + dx);
    const s2 = pixelAt(b2, y2 + dy, x2 + dx), s3 = pixelAt(b3, y3 + dy, x3 + dx);
    for (let t = 0; t < run; t += 4) {
      const off = <usize>(ci + t) * 4;
      transpose4(
        dst + <usize>((p + t) * MR) * 4,
        s0 ? v128.load(s0 + off) : zero,
        s1 ? v128.load(s1 + off) : zero,
        s2 ? v128.load(s2 + off) : zero,
        s3 ? v128.load(s3 + off) : zero,
      );
    }
    p += run;
    ci = 0;
    if (++kx == gKW) {
      kx = 0;
      ky++;
    }
  }
}

/**
 * Four consecutive values of a single-channel input row: x[b, iy, ix .. ix+3], zero where they fall in
 * the padding (one vector load when all four are inside).
 */
@inline function loadFour(b: i32, iy: i32, ix: i32): v128 {
  if (<u32>iy >= <u32>gInH) return f32x4.splat(0);
  const row = gx + <usize>((b * gInH + iy) * gInW) * 4;
  if (ix >= 0 && ix + 3 < gInW) return v128.load(row + <usize>ix * 4);
  let v = f32x4.splat(0);
  if (<u32>ix < <u32>gInW) v = f32x4.replace_lane(v, 0, load<f32>(row + <usize>ix * 4));
  if (<u32>(ix + 1) < <u32>gInW) v = f32x4.replace_lane(v, 1, load<f32>(row + <usize>(ix + 1) * 4));
  if (<u32>(ix + 2) < <u32>gInW) v = f32x4.replace_lane(v, 2, load<f32>(row + <usize>(ix + 2) * 4));
  if (<u32>(ix + 3) < <u32>gInW) v = f32x4.replace_lane(v, 3, load<f32>(row + <usize>(ix + 3) * 4));
  return v;
}

/** Whether output pixels q..q+3 lie in one output row (so, with stride 1, they read 4 adjacent inputs). */
@inline function fourInOneRow(q: i32): bool {
  return gStrideW == 1 && q % gOutW + 3 < gOutW;
}

/**
 * Four pixels of a single-channel input (the first layer of an image network): each tap of four pixels
 * in one output row is one vector of adjacent inputs; pixels spanning two rows are gathered.
 */
function packFourPixelsOneChannel(dst: usize, q: i32, col0: i32, kc: i32): void {
  if (!fourInOneRow(q)) {
    for (let r = 0; r < MR; r++) packOnePixel(dst + <usize>r * 4, q + r, col0, kc);
    return;
  }
  locate(q);
  let ky = col0 / gKW;
  let kx = col0 - ky * gKW;
  for (let p = 0; p < kc; p++) {
    v128.store(dst + <usize>p * 16, loadFour(oB, oY + ky * gDilationH, oX + kx * gDilationW));
    if (++kx == gKW) {
      kx = 0;
      ky++;
    }
  }
}

/** The tap of work entry `e` for the 4 located pixels (zeros for a padding row of the panel). */
@inline function tapRow(e: usize): v128 {
  if (load<i32>(e, 8) < 0) return f32x4.splat(0);
  return loadFour(oB, oY + load<i32>(e), oX + load<i32>(e, 4));
}

/** Bytes of work space packPatchCols needs for `mc` rows: one (tap offset y, x, channel) triple per row. */
export function patchColsWorkBytes(mc: i32): i32 {
  return mc * 12;
}

/**
 * The transposed patches: panels of MR patch columns (rows row0..row0+mc, i.e. kk indices) x output
 * pixels col0..col0+kc, for the filter gradient (patches^T @ dy). Pixels are the outer loop so each is
 * located once; `work` holds each row's tap offsets (patchColsWorkBytes(mc) bytes).
 */
export function packPatchCols(dst: usize, row0: i32, col0: i32, mc: i32, kc: i32, work: usize): void {
  const panels = (mc + MR - 1) / MR;
  for (let r = 0; r < panels * MR; r++) {
    const kk = row0 + r;
    const tap = kk / gInC;
    const ky = tap / gKW;
    const e = work + <usize>r * 12;
    store<i32>(e, ky * gDilationH);
    store<i32>(e, (tap - ky * gKW) * gDilationW, 4);
    // A channel of -1 marks the zero rows that pad the last panel.
    store<i32>(e, r < mc ? kk - tap * gInC : -1, 8);
  }
  const panelBytes = <usize>(kc * MR) * 4;
  const zero = f32x4.splat(0);
  const wholeVectors = gInC % 4 == 0 && row0 % 4 == 0 && mc % 4 == 0;
  for (let p = 0; p < kc; p++) {
    if (gInC == 1 && p + 4 <= kc && fourInOneRow(col0 + p)) {
      // A single-channel input: 4 adjacent pixels read 4 adjacent inputs per tap; transposed into place.
      locate(col0 + p);
      let d = dst + <usize>(p * MR) * 4;
      for (let i = 0; i < panels; i++) {
        const e = work + <usize>(i * MR) * 12;
        transpose4(d, tapRow(e), tapRow(e + 12), tapRow(e + 24), tapRow(e + 36));
        d += panelBytes;
      }
      p += 3;
      continue;
    }
    locate(col0 + p);
    let d = dst + <usize>(p * MR) * 4;
    if (wholeVectors) {
      // Each panel's MR rows are MR consecutive channels of one tap: one vector per pixel.
      for (let i = 0; i < panels; i++) {
        const e = work + <usize>(i * MR) * 12;
        const s = pixelAt(oB, oY + load<i32>(e), oX + load<i32>(e, 4));
        v128.store(d, s ? v128.load(s + <usize>load<i32>(e, 8) * 4) : zero);
        d += panelBytes;
      }
    } else {
      for (let i = 0; i < panels; i++) {
        for (let r = 0; r < MR; r++) {
          const e = work + <usize>(i * MR + r) * 12;
          const c = load<i32>(e, 8);
          const s: usize = c < 0 ? 0 : pixelAt(oB, oY + load<i32>(e), oX + load<i32>(e, 4));
          store<f32>(d + <usize>r * 4, s ? load<f32>(s + <usize>c * 4) : 0);
        }
        d += panelBytes;
      }
    }
  }
}

/**
 * col2im: adds patch rows src[rows, kH*kW*inC] of output pixels q0.. into the input-shaped array set
 * as `x` by useConvGeometry (taps in the padding are dropped).
 */
export function scatterPatchRows(src: usize, q0: i32, rows: i32, kH: i32): void {
  const rowBytes = <usize>(kH * gKW * gInC) * 4;
  const tapBytes = <usize>gInC * 4;
  for (let r = 0; r < rows; r++) {
    locate(q0 + r);
    let s = src + <usize>r * rowBytes;
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < gKW; kx++) {
        const d = tapSource(ky, kx);
        if (d != 0) addRun(d, s, gInC);
        s += tapBytes;
      }
    }
  }
}

/** d[0..n) += s[0..n). */
@inline function addRun(d: usize, s: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
  }
}
