/**
 * Direct depthwise convolution and its two gradients, NHWC input, [kH, kW, inC, m] filters (m = outC /
 * inC): input channel ci and filter[:, :, ci, j] make output channel ci * m + j. Sums in float64.
 */
import type { Kernels } from '../kernels.js';
import { forEachTap } from './conv.js';
import { applyEpilogue } from './linalg.js';

export const depthwiseKernels: Pick<Kernels, 'depthwiseConv2d' | 'depthwiseConv2dBackpropInput' | 'depthwiseConv2dBackpropFilter'> = {
  depthwiseConv2d({ x, filter, out, bias, conv: c, activation, alpha }) {
    const m = c.inC === 0 ? 0 : c.outC / c.inC;
    const acc = new Float64Array(out.length);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        for (let j = 0; j < m; j++) acc[o + ci * m + j]! += x[xi + ci]! * filter[wi + ci * m + j]!;
      }
    });
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]!;
    applyEpilogue(out, c.outC, bias, activation, alpha);
  },
  depthwiseConv2dBackpropInput({ dy, filter, dx, conv: c }) {
    const m = c.inC === 0 ? 0 : c.outC / c.inC;
    const acc = new Float64Array(dx.length);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        for (let j = 0; j < m; j++) acc[xi + ci]! += dy[o + ci * m + j]! * filter[wi + ci * m + j]!;
      }
    });
    for (let i = 0; i < acc.length; i++) dx[i] = acc[i]!;
  },
  depthwiseConv2dBackpropFilter({ x, dy, dFilter, conv: c }) {
    const m = c.inC === 0 ? 0 : c.outC / c.inC;
    const acc = new Float64Array(dFilter.length);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        for (let j = 0; j < m; j++) acc[wi + ci * m + j]! += x[xi + ci]! * dy[o + ci * m + j]!;
      }
    });
    for (let i = 0; i < acc.length; i++) dFilter[i] = acc[i]!;
  },
};
