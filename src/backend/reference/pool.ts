/** Max and average pooling and their gradients, NHWC. */
import type { PoolInfo } from '../../util/conv-geometry.js';
import type { Kernels } from '../kernels.js';

/** Calls visit(outIndex, b, oy, ox, y0, y1, x0, x1) with the window clipped to the input. */
function forEachWindow(
  p: PoolInfo,
  visit: (outPixel: number, b: number, y0: number, y1: number, x0: number, x1: number) => void,
): void {
  for (let b = 0; b < p.batch; b++) {
    for (let oy = 0; oy < p.outH; oy++) {
      const ys = oy * p.strideH - p.padTop;
      const y0 = Math.max(ys, 0), y1 = Math.min(ys + p.kH, p.inH);
      for (let ox = 0; ox < p.outW; ox++) {
        const xs = ox * p.strideW - p.padLeft;
        const x0 = Math.max(xs, 0), x1 = Math.min(xs + p.kW, p.inW);
        visit((b * p.outH + oy) * p.outW + ox, b, y0, y1, x0, x1);
      }
    }
  }
}

export const poolKernels: Pick<Kernels, 'maxPool2d' | 'maxPool2dGrad' | 'avgPool2d' | 'avgPool2dGrad'> = {
  maxPool2d({ x, out, pool: p }) {
    const C = p.channels;
    forEachWindow(p, (o, b, y0, y1, x0, x1) => {
      for (let ch = 0; ch < C; ch++) {
        let best = -Infinity;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const v = x[((b * p.inH + y) * p.inW + xx) * C + ch]!;
            if (v > best || Number.isNaN(v)) best = v;
          }
        }
        out[o * C + ch] = best;
      }
    });
  },
  maxPool2dGrad({ x, dy, dx, pool: p }) {
    const C = p.channels;
    dx.fill(0);
    forEachWindow(p, (o, b, y0, y1, x0, x1) => {
      for (let ch = 0; ch < C; ch++) {
        let best = -Infinity, at = -1;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const i = ((b * p.inH + y) * p.inW + xx) * C + ch;
            if (at < 0 || x[i]! > best) {
              best = x[i]!;
              at = i;
            }
          }
        }
        if (at >= 0) dx[at]! += dy[o * C + ch]!;
      }
    });
  },
  avgPool2d({ x, out, pool: p }) {
    const C = p.channels;
    forEachWindow(p, (o, b, y0, y1, x0, x1) => {
      const count = (y1 - y0) * (x1 - x0);
      for (let ch = 0; ch < C; ch++) {
        let s = 0;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) s += x[((b * p.inH + y) * p.inW + xx) * C + ch]!;
        }
        out[o * C + ch] = count > 0 ? s / count : 0;
      }
    });
  },
  avgPool2dGrad({ dy, dx, pool: p }) {
    const C = p.channels;
    dx.fill(0);
    forEachWindow(p, (o, b, y0, y1, x0, x1) => {
      const count = (y1 - y0) * (x1 - x0);
      if (count === 0) return;
      for (let ch = 0; ch < C; ch++) {
        const g = dy[o * C + ch]! / count;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) dx[((b * p.inH + y) * p.inW + xx) * C + ch]! += g;
        }
      }
    });
  },
};
