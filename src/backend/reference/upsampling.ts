/**
 * Upsampling by whole factors, NHWC, and its adjoint. Nearest: output pixel (oy, ox) is source pixel
 * (oy / fh, ox / fw) rounded down. Bilinear, with half-pixel centers (Keras, tf.image.resize, PyTorch's
 * align_corners=False): along each axis the source position is (o + 0.5) / f - 0.5, between the pixels
 * below and above it (clamped to the edges) by its fraction.
 */
import type { Kernels, UpSamplingInfo } from '../kernels.js';

/** The source pixels and the weight of the upper one, for every output index of an axis of `n` pixels upsampled `factor` times. */
function bilinearTaps(n: number, factor: number): { lower: Int32Array; upper: Int32Array; weight: Float64Array } {
  const size = n * factor;
  const lower = new Int32Array(size), upper = new Int32Array(size), weight = new Float64Array(size);
  for (let o = 0; o < size; o++) {
    const source = (o + 0.5) / factor - 0.5;
    const below = Math.floor(source);
    lower[o] = Math.max(below, 0);
    upper[o] = Math.min(Math.ceil(source), n - 1);
    weight[o] = source - below;
  }
  return { lower, upper, weight };
}

/** Calls visit(outIndex, inIndex, weight) for every (output pixel, source pixel) pair, channel 0 of each. */
function forEachSource(u: UpSamplingInfo, bilinear: boolean, visit: (o: number, i: number, w: number) => void): void {
  const outH = u.inH * u.factorH, outW = u.inW * u.factorW, c = u.channels;
  const rows = bilinearTaps(u.inH, u.factorH), cols = bilinearTaps(u.inW, u.factorW);
  for (let b = 0; b < u.batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * c;
        const at = (y: number, x: number) => ((b * u.inH + y) * u.inW + x) * c;
        if (!bilinear) {
          visit(o, at(Math.floor(oy / u.factorH), Math.floor(ox / u.factorW)), 1);
          continue;
        }
        const wy = rows.weight[oy]!, wx = cols.weight[ox]!;
        visit(o, at(rows.lower[oy]!, cols.lower[ox]!), (1 - wy) * (1 - wx));
        visit(o, at(rows.lower[oy]!, cols.upper[ox]!), (1 - wy) * wx);
        visit(o, at(rows.upper[oy]!, cols.lower[ox]!), wy * (1 - wx));
        visit(o, at(rows.upper[oy]!, cols.upper[ox]!), wy * wx);
      }
    }
  }
}

export const upSamplingKernels: Pick<Kernels, 'upSampling2d' | 'upSampling2dGrad'> = {
  upSampling2d({ x, out, upSampling: u, interpolation }) {
    const acc = new Float64Array(out.length);
    forEachSource(u, interpolation === 'bilinear', (o, i, w) => {
      for (let ch = 0; ch < u.channels; ch++) acc[o + ch]! += w * x[i + ch]!;
    });
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]!;
  },
  upSampling2dGrad({ dy, dx, upSampling: u, interpolation }) {
    const acc = new Float64Array(dx.length);
    forEachSource(u, interpolation === 'bilinear', (o, i, w) => {
      for (let ch = 0; ch < u.channels; ch++) acc[i + ch]! += w * dy[o + ch]!;
    });
    for (let i = 0; i < acc.length; i++) dx[i] = acc[i]!;
  },
};
