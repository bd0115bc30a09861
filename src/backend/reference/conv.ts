/** Direct 2-D convolution and its two gradients, NHWC input, [kH, kW, inC, outC] filters. */
import type { ConvInfo } from '../../util/conv-geometry.js';
import type { Kernels } from '../kernels.js';
import { applyEpilogue } from './linalg.js';

/** Calls visit(b, oy, ox, iy, ix, ky, kx) for every in-bounds (output pixel, filter tap) pair. */
function forEachTap(
  c: ConvInfo,
  visit: (b: number, oy: number, ox: number, iy: number, ix: number, ky: number, kx: number) => void,
): void {
  for (let b = 0; b < c.batch; b++) {
    for (let oy = 0; oy < c.outH; oy++) {
      for (let ox = 0; ox < c.outW; ox++) {
        for (let ky = 0; ky < c.kH; ky++) {
          const iy = oy * c.strideH - c.padTop + ky * c.dilationH;
          if (iy < 0 || iy >= c.inH) continue;
          for (let kx = 0; kx < c.kW; kx++) {
            const ix = ox * c.strideW - c.padLeft + kx * c.dilationW;
            if (ix < 0 || ix >= c.inW) continue;
            visit(b, oy, ox, iy, ix, ky, kx);
          }
        }
      }
    }
  }
}

export const convKernels: Pick<Kernels, 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter'> = {
  conv2d({ x, filter, out, conv: c, bias, activation, alpha }) {
    const acc = new Float64Array(c.batch * c.outH * c.outW * c.outC);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.inC * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        const xv = x[xi + ci]!;
        const wr = wi + ci * c.outC;
        for (let co = 0; co < c.outC; co++) acc[o + co]! += xv * filter[wr + co]!;
      }
    });
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]!;
    applyEpilogue(out, c.outC, bias, activation, alpha);
  },
  conv2dBackpropInput({ dy, filter, dx, conv: c }) {
    const acc = new Float64Array(c.batch * c.inH * c.inW * c.inC);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.inC * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        let s = 0;
        const wr = wi + ci * c.outC;
        for (let co = 0; co < c.outC; co++) s += dy[o + co]! * filter[wr + co]!;
        acc[xi + ci]! += s;
      }
    });
    for (let i = 0; i < acc.length; i++) dx[i] = acc[i]!;
  },
  conv2dBackpropFilter({ x, dy, dFilter, conv: c }) {
    const acc = new Float64Array(c.kH * c.kW * c.inC * c.outC);
    forEachTap(c, (b, oy, ox, iy, ix, ky, kx) => {
      const o = ((b * c.outH + oy) * c.outW + ox) * c.outC;
      const xi = ((b * c.inH + iy) * c.inW + ix) * c.inC;
      const wi = (ky * c.kW + kx) * c.inC * c.outC;
      for (let ci = 0; ci < c.inC; ci++) {
        const xv = x[xi + ci]!;
        const wr = wi + ci * c.outC;
        for (let co = 0; co < c.outC; co++) acc[wr + co]! += xv * dy[o + co]!;
      }
    });
    for (let i = 0; i < acc.length; i++) dFilter[i] = acc[i]!;
  },
};
