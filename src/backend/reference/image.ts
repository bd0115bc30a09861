/**
 * Image warps (NHWC): every output pixel reads the input where its image's projective transform sends
 * it, as TensorFlow's ImageProjectiveTransformV3 does. A sampler lists, for one output pixel, the input
 * pixels it reads and their weights (reads outside the image take the fill value), so the warp and its
 * gradient walk the same reads.
 */
import type { FillMode, ImageTransformInfo, Interpolation } from '../kernel-table.js';
import type { Kernels } from '../kernels.js';

/** Maps a coordinate outside [0, len - 1] back into it, as TensorFlow's fill modes do (constant leaves it). */
export function mapCoordinate(c: number, len: number, mode: FillMode): number {
  switch (mode) {
    case 'constant':
      return c;
    case 'nearest':
      return Math.min(Math.max(c, 0), len - 1);
    case 'reflect': {
      // dcba|abcd|dcba: reflected about the outer edge of the last pixel.
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
      return Math.min(Math.max(c, 0), len - 1);
    }
    case 'wrap': {
      // abcd|abcd|abcd, with TensorFlow's period arithmetic.
      if (c < 0) {
        if (len <= 1) c = 0;
        else c += len * (Math.trunc(-c / (len - 1)) + 1);
      } else if (c > len - 1) {
        if (len <= 1) c = 0;
        else c -= len * Math.trunc(c / (len - 1));
      }
      return Math.min(Math.max(c, 0), len - 1);
    }
  }
  return mode satisfies never;
}

/** Rounds half away from zero (C's round), as TensorFlow's nearest interpolation does. */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * Calls read(pixelIndex, weight) for each input pixel output pixel (x, y) of image b reads, and returns
 * the weight that goes to the fill value (reads outside the image).
 */
function sample(
  g: ImageTransformInfo, t: ArrayLike<number>, b: number, x: number, y: number, interpolation: Interpolation, fillMode: FillMode,
  read: (pixel: number, weight: number) => void,
): number {
  const o = b * 8;
  const k = t[o + 6]! * x + t[o + 7]! * y + 1;
  if (k === 0) return 1;
  const inX = mapCoordinate((t[o]! * x + t[o + 1]! * y + t[o + 2]!) / k, g.inW, fillMode);
  const inY = mapCoordinate((t[o + 3]! * x + t[o + 4]! * y + t[o + 5]!) / k, g.inH, fillMode);
  let outside = 0;
  const at = (yy: number, xx: number, w: number): void => {
    if (yy >= 0 && yy < g.inH && xx >= 0 && xx < g.inW) read((b * g.inH + yy) * g.inW + xx, w);
    else outside += w;
  };
  if (interpolation === 'nearest') {
    at(roundHalfAway(inY), roundHalfAway(inX), 1);
    return outside;
  }
  const y0 = Math.floor(inY), x0 = Math.floor(inX);
  const wy = inY - y0, wx = inX - x0;
  at(y0, x0, (1 - wy) * (1 - wx));
  at(y0, x0 + 1, (1 - wy) * wx);
  at(y0 + 1, x0, wy * (1 - wx));
  at(y0 + 1, x0 + 1, wy * wx);
  return outside;
}

export const imageKernels: Pick<Kernels, 'imageTransform' | 'imageTransformGrad'> = {
  imageTransform({ x, transforms, out, image: g, interpolation, fillMode, fillValue }) {
    const C = g.channels;
    const acc = new Float64Array(C);
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          acc.fill(0);
          const outside = sample(g, transforms, b, ox, oy, interpolation, fillMode, (p, w) => {
            for (let c = 0; c < C; c++) acc[c]! += w * x[p * C + c]!;
          });
          const o = ((b * g.outH + oy) * g.outW + ox) * C;
          for (let c = 0; c < C; c++) out[o + c] = outside === 0 ? acc[c]! : acc[c]! + outside * fillValue;
        }
      }
    }
  },
  imageTransformGrad({ dy, transforms, dx, image: g, interpolation, fillMode }) {
    const C = g.channels;
    dx.fill(0);
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          const o = ((b * g.outH + oy) * g.outW + ox) * C;
          sample(g, transforms, b, ox, oy, interpolation, fillMode, (p, w) => {
            for (let c = 0; c < C; c++) dx[p * C + c]! += w * dy[o + c]!;
          });
        }
      }
    }
  },
};
