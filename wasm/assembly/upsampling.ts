/**
 * Upsampling by whole factors (NHWC) and its adjoint, vectorised over channels. Nearest repeats each
 * pixel; bilinear interpolates between the source pixels around (o + 0.5) / factor - 0.5 along each axis
 * (half-pixel centers), clamped to the edges. The forward pass splits output rows; the gradient whole
 * images, since neighbouring output pixels add into the same source pixel.
 */
import { Interpolation, UpSampling2dArgs, UpSampling2dGradArgs } from '../generated/kernels';
import { ld, st } from './lanes';

/** The source position of output index o along an axis upsampled `factor` times. */
@inline function source(o: i32, factor: i32): f64 {
  return (<f64>o + 0.5) / <f64>factor - 0.5;
}

@inline function lowerOf(s: f64): i32 {
  return max(<i32>Math.floor(s), 0);
}

@inline function upperOf(s: f64, n: i32): i32 {
  return min(<i32>Math.ceil(s), n - 1);
}

@inline function weightOf(s: f64): f32 {
  return <f32>(s - Math.floor(s));
}

/** Output rows [start, end) of batch x outH. */
export function upSampling2d(a: UpSampling2dArgs, start: i32, end: i32, scratch: usize): void {
  const u = a.upSampling;
  const outH = u.inH * u.factorH, outW = u.inW * u.factorW, ch = u.channels, cv = ch & ~3;
  const bilinear = a.interpolation == Interpolation.Bilinear;
  const rowBytes = <usize>(u.inW * ch) * 4;
  for (let r = start; r < end; r++) {
    const b = r / outH, oy = r - b * outH;
    const out = a.out + <usize>(r * outW * ch) * 4;
    const image = a.x + <usize>(b * u.inH) * rowBytes;
    if (!bilinear) {
      const src = image + <usize>(oy / u.factorH) * rowBytes;
      for (let ox = 0; ox < outW; ox++) memory.copy(out + <usize>(ox * ch) * 4, src + <usize>((ox / u.factorW) * ch) * 4, <usize>ch * 4);
      continue;
    }
    const sy = source(oy, u.factorH);
    const top = image + <usize>lowerOf(sy) * rowBytes, bottom = image + <usize>upperOf(sy, u.inH) * rowBytes;
    const wy = f32x4.splat(weightOf(sy));
    for (let ox = 0; ox < outW; ox++) {
      const sx = source(ox, u.factorW);
      const l = <usize>(lowerOf(sx) * ch) * 4, h = <usize>(upperOf(sx, u.inW) * ch) * 4;
      const wx = f32x4.splat(weightOf(sx));
      const o = out + <usize>(ox * ch) * 4;
      for (let c = 0; c < ch; c++) {
        const full = c < cv;
        const p = <usize>c * 4;
        const tl = ld(top + l + p, full), tr = ld(top + h + p, full), bl = ld(bottom + l + p, full), br = ld(bottom + h + p, full);
        const t = f32x4.add(tl, f32x4.mul(f32x4.sub(tr, tl), wx)), d = f32x4.add(bl, f32x4.mul(f32x4.sub(br, bl), wx));
        st(o + p, f32x4.add(t, f32x4.mul(f32x4.sub(d, t), wy)), full);
        if (full) c += 3;
      }
    }
  }
}

/** Adds g * w into p (four channels, or one when not `full`). */
@inline function addScaled(p: usize, g: v128, w: f32, full: bool): void {
  st(p, f32x4.add(ld(p, full), f32x4.mul(g, f32x4.splat(w))), full);
}

/** Images [start, end). */
export function upSampling2dGrad(a: UpSampling2dGradArgs, start: i32, end: i32, scratch: usize): void {
  const u = a.upSampling;
  const outH = u.inH * u.factorH, outW = u.inW * u.factorW, ch = u.channels, cv = ch & ~3;
  const bilinear = a.interpolation == Interpolation.Bilinear;
  const rowBytes = <usize>(u.inW * ch) * 4, imageBytes = <usize>u.inH * rowBytes;
  for (let b = start; b < end; b++) {
    const dx = a.dx + <usize>b * imageBytes;
    memory.fill(dx, 0, imageBytes);
    for (let oy = 0; oy < outH; oy++) {
      const dy = a.dy + <usize>((b * outH + oy) * outW * ch) * 4;
      const sy = source(oy, u.factorH);
      const top = bilinear ? dx + <usize>lowerOf(sy) * rowBytes : dx + <usize>(oy / u.factorH) * rowBytes;
      const bottom = dx + <usize>upperOf(sy, u.inH) * rowBytes;
      const wy = weightOf(sy);
      for (let ox = 0; ox < outW; ox++) {
        const g0 = dy + <usize>(ox * ch) * 4;
        const sx = source(ox, u.factorW);
        const l = bilinear ? <usize>(lowerOf(sx) * ch) * 4 : <usize>((ox / u.factorW) * ch) * 4;
        const h = <usize>(upperOf(sx, u.inW) * ch) * 4;
        const wx = weightOf(sx);
        for (let c = 0; c < ch; c++) {
          const full = c < cv;
          const p = <usize>c * 4;
          const g = ld(g0 + p, full);
          if (!bilinear) {
            addScaled(top + l + p, g, 1, full);
          } else {
            addScaled(top + l + p, g, (1 - wy) * (1 - wx), full);
            addScaled(top + h + p, g, (1 - wy) * wx, full);
            addScaled(bottom + l + p, g, wy * (1 - wx), full);
            addScaled(bottom + h + p, g, wy * wx, full);
          }
          if (full) c += 3;
        }
      }
    }
  }
}
