/**
 * Max and average pooling and their gradients, NHWC, vectorised over channels. Forward passes split
 * output rows between threads; gradients split whole images, since overlapping windows scatter-add.
 */
import { AvgPool2dArgs, AvgPool2dGradArgs, MaxPool2dArgs, MaxPool2dGradArgs } from '../generated/kernels';

/** Channel groups of 4 go through f32x4; this is the first channel left to the scalar tail. */
@inline function vectorChannels(c: i32): i32 {
  return c & ~3;
}

/** Output rows [r0, r1) of batch x outH rows (row r is image r / outH, output row r % outH). */
function maxPool2dRange(
  x: usize, out: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32,
): void {
  const cv = vectorChannels(c);
  for (let r = r0; r < r1; r++) {
    const b = r / outH, oy = r - b * outH;
    const ys = oy * strideH - padTop;
    const y0 = max(ys, 0), y1 = min(ys + kH, inH);
    for (let ox = 0; ox < outW; ox++) {
      const xs = ox * strideW - padLeft;
      const x0 = max(xs, 0), x1 = min(xs + kW, inW);
      const o = out + <usize>((r * outW + ox) * c) * 4;
      for (let ch = 0; ch < cv; ch += 4) {
        let best = f32x4.splat(-Infinity);
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            // f32x4.max propagates NaN, as the reference does.
            best = f32x4.max(best, v128.load(x + <usize>(((b * inH + y) * inW + xx) * c + ch) * 4));
          }
        }
        v128.store(o + <usize>ch * 4, best);
      }
      for (let ch = cv; ch < c; ch++) {
        let best: f32 = -Infinity;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const v = load<f32>(x + <usize>(((b * inH + y) * inW + xx) * c + ch) * 4);
            if (v > best || v != v) best = v;
          }
        }
        store<f32>(o + <usize>ch * 4, best);
      }
    }
  }
}

/** Images [b0, b1): each output gradient goes to the first maximum of its window. */
function maxPool2dGradRange(
  x: usize, dy: usize, dx: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, b0: i32, b1: i32,
): void {
  const image = <usize>(inH * inW * c) * 4;
  if (strideH >= kH && strideW >= kW) {
    // Windows do not overlap: every input pixel gets at most one gradient, written directly. Only
    // pixels no window covers need zeros beforehand.
    const tiled = padTop == 0 && padLeft == 0 && outH * strideH == inH && outW * strideW == inW;
    if (!tiled) memory.fill(dx + <usize>b0 * image, 0, <usize>(b1 - b0) * image);
    disjointMaxPoolGrad(x, dy, dx, inH, inW, c, outH, outW, kH, kW, strideH, strideW, padTop, padLeft, b0, b1);
    return;
  }
  memory.fill(dx + <usize>b0 * image, 0, <usize>(b1 - b0) * image);
  const cv = vectorChannels(c);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const ys = oy * strideH - padTop;
      const y0 = max(ys, 0), y1 = min(ys + kH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const xs = ox * strideW - padLeft;
        const x0 = max(xs, 0), x1 = min(xs + kW, inW);
        if (y0 >= y1 || x0 >= x1) continue;
        const g = dy + <usize>(((b * outH + oy) * outW + ox) * c) * 4;
        for (let ch = 0; ch < cv; ch += 4) {
          // Per lane: the best value so far and the element offset where it was first seen.
          let at = i32x4.add(i32x4.splat(((b * inH + y0) * inW + x0) * c + ch), i32x4(0, 1, 2, 3));
          let best = v128.load(x + <usize>i32x4.extract_lane(at, 0) * 4);
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              const e = ((b * inH + y) * inW + xx) * c + ch;
              const v = v128.load(x + <usize>e * 4);
              const better = f32x4.gt(v, best);
              best = v128.bitselect(v, best, better);
              at = v128.bitselect(i32x4.add(i32x4.splat(e), i32x4(0, 1, 2, 3)), at, better);
            }
          }
          const gv = g + <usize>ch * 4;
          addAt(dx, i32x4.extract_lane(at, 0), load<f32>(gv));
          addAt(dx, i32x4.extract_lane(at, 1), load<f32>(gv, 4));
          addAt(dx, i32x4.extract_lane(at, 2), load<f32>(gv, 8));
          addAt(dx, i32x4.extract_lane(at, 3), load<f32>(gv, 12));
        }
        for (let ch = cv; ch < c; ch++) {
          let at = -1;
          let best: f32 = 0;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              const e = ((b * inH + y) * inW + xx) * c + ch;
              const v = load<f32>(x + <usize>e * 4);
              if (at < 0 || v > best) {
                best = v;
                at = e;
              }
            }
          }
          addAt(dx, at, load<f32>(g + <usize>ch * 4));
        }
      }
    }
  }
}

@inline function addAt(base: usize, element: i32, v: f32): void {
  const p = base + <usize>element * 4;
  store<f32>(p, load<f32>(p) + v);
}

/** Output rows [r0, r1): the mean over each window's valid (unpadded) pixels. */
function avgPool2dRange(
  x: usize, out: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32,
): void {
  const cv = vectorChannels(c);
  for (let r = r0; r < r1; r++) {
    const b = r / outH, oy = r - b * outH;
    const ys = oy * strideH - padTop;
    const y0 = max(ys, 0), y1 = min(ys + kH, inH);
    for (let ox = 0; ox < outW; ox++) {
      const xs = ox * strideW - padLeft;
      const x0 = max(xs, 0), x1 = min(xs + kW, inW);
      const count = (y1 - y0) * (x1 - x0);
      const scale: f32 = count > 0 ? <f32>1 / <f32>count : 0;
      const o = out + <usize>((r * outW + ox) * c) * 4;
      for (let ch = 0; ch < cv; ch += 4) {
        let s = f32x4.splat(0);
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) s = f32x4.add(s, v128.load(x + <usize>(((b * inH + y) * inW + xx) * c + ch) * 4));
        }
        v128.store(o + <usize>ch * 4, f32x4.mul(s, f32x4.splat(scale)));
      }
      for (let ch = cv; ch < c; ch++) {
        let s: f32 = 0;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) s += load<f32>(x + <usize>(((b * inH + y) * inW + xx) * c + ch) * 4);
        }
        store<f32>(o + <usize>ch * 4, s * scale);
      }
    }
  }
}

/** Images [b0, b1): each output gradient spread evenly over its window's valid pixels. */
function avgPool2dGradRange(
  dy: usize, dx: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, b0: i32, b1: i32,
): void {
  const image = <usize>(inH * inW * c) * 4;
  memory.fill(dx + <usize>b0 * image, 0, <usize>(b1 - b0) * image);
  const cv = vectorChannels(c);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const ys = oy * strideH - padTop;
      const y0 = max(ys, 0), y1 = min(ys + kH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const xs = ox * strideW - padLeft;
        const x0 = max(xs, 0), x1 = min(xs + kW, inW);
        const count = (y1 - y0) * (x1 - x0);
        if (count == 0) continue;
        const scale = f32x4.splat(<f32>1 / <f32>count);
        const g = dy + <usize>(((b * outH + oy) * outW + ox) * c) * 4;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const d = dx + <usize>(((b * inH + y) * inW + xx) * c) * 4;
            for (let ch = 0; ch < cv; ch += 4) {
              const o = <usize>ch * 4;
              v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.mul(v128.load(g + o), scale)));
            }
            for (let ch = cv; ch < c; ch++) {
              const o = <usize>ch * 4;
              store<f32>(d + o, load<f32>(d + o) + load<f32>(g + o) * f32x4.extract_lane(scale, 0));
            }
          }
        }
      }
    }
  }
}

/** maxPool2dGrad for windows that do not overlap: per window, dx = dy at the first maximum, 0 elsewhere. */
function disjointMaxPoolGrad(
  x: usize, dy: usize, dx: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, b0: i32, b1: i32,
): void {
  const cv = vectorChannels(c);
  const rowBytes = <usize>(inW * c) * 4, pixelBytes = <usize>c * 4;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const ys = oy * strideH - padTop;
      const y0 = max(ys, 0), y1 = min(ys + kH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const xs = ox * strideW - padLeft;
        const x0 = max(xs, 0), x1 = min(xs + kW, inW);
        if (y0 >= y1 || x0 >= x1) continue;
        const corner = <usize>(((b * inH + y0) * inW + x0) * c) * 4;
        const g = dy + <usize>(((b * outH + oy) * outW + ox) * c) * 4;
        for (let ch = 0; ch < cv; ch += 4) {
          const at = corner + <usize>ch * 4;
          // Per lane: the best value so far and the window position where it was first seen.
          let best = v128.load(x + at);
          let where = i32x4.splat(0);
          let i = 0;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              const v = v128.load(x + at + <usize>(y - y0) * rowBytes + <usize>(xx - x0) * pixelBytes);
              const better = f32x4.gt(v, best);
              best = v128.bitselect(v, best, better);
              where = v128.bitselect(i32x4.splat(i), where, better);
              i++;
            }
          }
          const gv = v128.load(g + <usize>ch * 4);
          i = 0;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              v128.store(dx + at + <usize>(y - y0) * rowBytes + <usize>(xx - x0) * pixelBytes, v128.and(gv, i32x4.eq(where, i32x4.splat(i))));
              i++;
            }
          }
        }
        for (let ch = cv; ch < c; ch++) {
          const at = corner + <usize>ch * 4;
          let best = load<f32>(x + at);
          let where = 0, i = 0;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              const v = load<f32>(x + at + <usize>(y - y0) * rowBytes + <usize>(xx - x0) * pixelBytes);
              if (v > best) {
                best = v;
                where = i;
              }
              i++;
            }
          }
          const gs = load<f32>(g + <usize>ch * 4);
          i = 0;
          for (let y = y0; y < y1; y++) {
            for (let xx = x0; xx < x1; xx++) {
              store<f32>(dx + at + <usize>(y - y0) * rowBytes + <usize>(xx - x0) * pixelBytes, i == where ? gs : 0);
              i++;
            }
          }
        }
      }
    }
  }
}

/** Output rows [start, end) of batch x outH rows. */
export function maxPool2d(a: MaxPool2dArgs, start: i32, end: i32, scratch: usize): void {
  const p = a.pool;
  maxPool2dRange(a.x, a.out, p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft, start, end);
}

/** Images [start, end). */
export function maxPool2dGrad(a: MaxPool2dGradArgs, start: i32, end: i32, scratch: usize): void {
  const p = a.pool;
  maxPool2dGradRange(a.x, a.dy, a.dx, p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft, start, end);
}

/** Output rows [start, end) of batch x outH rows. */
export function avgPool2d(a: AvgPool2dArgs, start: i32, end: i32, scratch: usize): void {
  const p = a.pool;
  avgPool2dRange(a.x, a.out, p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft, start, end);
}

/** Images [start, end). */
export function avgPool2dGrad(a: AvgPool2dGradArgs, start: i32, end: i32, scratch: usize): void {
  const p = a.pool;
  avgPool2dGradRange(a.dy, a.dx, p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft, start, end);
}
