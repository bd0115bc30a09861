/**
 * Image warps (NHWC): every output pixel reads the input where its image's projective transform sends it
 * (TensorFlow's ImageProjectiveTransformV3). Coordinates are computed in f64, as the reference does, so
 * every backend reads the same pixels. Threads split the output rows.
 */
import { FillMode, ImageTransformArgs, Interpolation } from '../generated/kernels';

@inline function clampCoordinate(c: f64, len: f64): f64 {
  return c < 0 ? 0 : c > len - 1 ? len - 1 : c;
}

/** Maps a coordinate outside [0, len - 1] back into it, as the fill mode says (constant leaves it). */
function mapCoordinate(c: f64, len: f64, mode: i32): f64 {
  if (mode == FillMode.Constant) return c;
  if (mode == FillMode.Reflect) {
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        if (c < sz2) c = sz2 * Math.trunc(-c / sz2) + c;
        c = c < -len ? c + sz2 : -c - 1;
      }
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        c -= sz2 * Math.trunc(c / sz2);
        if (c >= len) c = sz2 - c - 1;
      }
    }
  } else if (mode == FillMode.Wrap) {
    if (c < 0) c = len <= 1 ? 0 : c + len * (Math.trunc(-c / (len - 1)) + 1);
    else if (c > len - 1) c = len <= 1 ? 0 : c - len * Math.trunc(c / (len - 1));
  }
  return clampCoordinate(c, len);
}

/** Rounds half away from zero, as C's round does. */
@inline function roundHalfAway(v: f64): i32 {
  return <i32>(v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
}

@inline function readPixel(image: usize, inH: i32, inW: i32, c: i32, y: i32, x: i32, ch: i32, fill: f32): f32 {
  return y >= 0 && y < inH && x >= 0 && x < inW ? load<f32>(image + (<usize>((y * inW + x) * c + ch) << 2)) : fill;
}

/** Output rows [start, end) of batch x outH rows. */
export function imageTransform(a: ImageTransformArgs, start: i32, end: i32, scratch: usize): void {
  const g = a.image;
  const inH = g.inH, inW = g.inW, c = g.channels, outH = g.outH, outW = g.outW;
  const mode = a.fillMode, nearest = a.interpolation == Interpolation.Nearest;
  const fill = a.fillValue;
  const lenW = <f64>inW, lenH = <f64>inH;
  for (let r = start; r < end; r++) {
    const b = r / outH, oy = r - b * outH;
    const t = a.transforms + (<usize>(b * 8) << 2);
    const image = a.x + (<usize>(b * inH * inW * c) << 2);
    let out = a.out + (<usize>(r * outW * c) << 2);
    const y = <f64>oy;
    const t0 = <f64>load<f32>(t), t3 = <f64>load<f32>(t, 12), t6 = <f64>load<f32>(t, 24);
    const kx0 = <f64>load<f32>(t, 4) * y + <f64>load<f32>(t, 8);
    const ky0 = <f64>load<f32>(t, 16) * y + <f64>load<f32>(t, 20);
    const kk0 = <f64>load<f32>(t, 28) * y + 1;
    for (let ox = 0; ox < outW; ox++, out += <usize>c << 2) {
      const x = <f64>ox;
      const k = t6 * x + kk0;
      if (k == 0) {
        for (let ch = 0; ch < c; ch++) store<f32>(out + (<usize>ch << 2), fill);
        continue;
      }
      const inX = mapCoordinate((t0 * x + kx0) / k, lenW, mode);
      const inY = mapCoordinate((t3 * x + ky0) / k, lenH, mode);
      if (nearest) {
        const yy = roundHalfAway(inY), xx = roundHalfAway(inX);
        for (let ch = 0; ch < c; ch++) store<f32>(out + (<usize>ch << 2), readPixel(image, inH, inW, c, yy, xx, ch, fill));
        continue;
      }
      const fy = Math.floor(inY), fx = Math.floor(inX);
      const y0 = <i32>fy, x0 = <i32>fx;
      const wy = <f32>(inY - fy), wx = <f32>(inX - fx);
      const one: f32 = 1;
      const w00 = (one - wy) * (one - wx), w01 = (one - wy) * wx, w10 = wy * (one - wx), w11 = wy * wx;
      if (y0 >= 0 && y0 + 1 < inH && x0 >= 0 && x0 + 1 < inW) {
        const p = image + (<usize>((y0 * inW + x0) * c) << 2);
        const q = p + (<usize>(inW * c) << 2);
        const right = <usize>c << 2;
        for (let ch = 0; ch < c; ch++) {
          const o = <usize>ch << 2;
          store<f32>(out + o, w00 * load<f32>(p + o) + w01 * load<f32>(p + right + o) + w10 * load<f32>(q + o) + w11 * load<f32>(q + right + o));
        }
      } else {
        for (let ch = 0; ch < c; ch++) {
          const v = w00 * readPixel(image, inH, inW, c, y0, x0, ch, fill) + w01 * readPixel(image, inH, inW, c, y0, x0 + 1, ch, fill)
            + w10 * readPixel(image, inH, inW, c, y0 + 1, x0, ch, fill) + w11 * readPixel(image, inH, inW, c, y0 + 1, x0 + 1, ch, fill);
          store<f32>(out + (<usize>ch << 2), v);
        }
      }
    }
  }
}
