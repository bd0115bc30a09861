/**
 * Max and average pooling (NHWC) and their gradients in WGSL, one thread per element of the output.
 * The gradients gather instead of scattering: each input pixel sums over the windows that contain it,
 * and max pooling routes a window's gradient to the first maximum of the window, as the reference does.
 */
import type { PoolInfo } from '../../../util/conv-geometry.js';
import type { Params } from '../recorder.js';
import type { GpuKernels } from '../kernel.js';
import { MATH, declarations, entry, groups, shader } from '../wgsl.js';

const FIELDS = ['batch', 'inH', 'inW', 'channels', 'outH', 'outW', 'kH', 'kW', 'strideH', 'strideW', 'padTop', 'padLeft'] as const;
const COUNT = 16;

function writePool(p: Params, pool: PoolInfo, count: number): void {
  FIELDS.forEach((f, k) => p.i32(k, pool[f]));
  p.u32(COUNT, count);
}
const GEOMETRY = FIELDS.map((f, k) => `  let ${f} = I(${k}u);`).join('\n');

function decl(names: readonly [string, 'read' | 'write'][]): string {
  return declarations(names.map(([name, access]) => ({ name, type: 'f32', access })));
}

/** WGSL: the window of output pixel (oy, ox), clipped to the input: y0..y1, x0..x1. */
const WINDOW = `
    let ys = oy * strideH - padTop;
    let xs = ox * strideW - padLeft;
    let y0 = max(ys, 0);
    let y1 = min(ys + kH, inH);
    let x0 = max(xs, 0);
    let x1 = min(xs + kW, inW);`;

/** WGSL: the output pixel (b, oy, ox, ch) of element `i` of an output. */
const OUT_PIXEL = `
  let idx = i32(i);
  let ch = idx % channels;
  let ox = (idx / channels) % outW;
  let oy = (idx / (channels * outW)) % outH;
  let b = idx / (channels * outW * outH);`;

/** WGSL: the input pixel (b, iy, ix, ch) of element `i`, and the range of output pixels whose windows may contain it. */
const IN_PIXEL = `
  let idx = i32(i);
  let ch = idx % channels;
  let ix = (idx / channels) % inW;
  let iy = (idx / (channels * inW)) % inH;
  let b = idx / (channels * inW * inH);
  // Windows start at o * stride - pad and span k pixels: those with start <= i < start + k.
  let oy0 = max(0, (iy + padTop - kH + strideH) / strideH);
  let oy1 = min(outH - 1, (iy + padTop) / strideH);
  let ox0 = max(0, (ix + padLeft - kW + strideW) / strideW);
  let ox1 = min(outW - 1, (ix + padLeft) / strideW);`;

export const poolKernels: GpuKernels = {
  maxPool2d: {
    run(gpu, { x, out, pool }) {
      const s = shader('maxPool2d', ['read', 'write'], () =>
        `${decl([['x', 'read'], ['out', 'write']])}\n${MATH}\n${entry(`P(${COUNT}u)`, `${GEOMETRY}${OUT_PIXEL}${WINDOW}
  var best = inf_f(true);
  for (var y = y0; y < y1; y++) {
    for (var xx = x0; xx < x1; xx++) {
      let v = x[((b * inH + y) * inW + xx) * channels + ch];
      if (is_nan(v) || (!is_nan(best) && v > best)) { best = v; }
    }
  }
  out[i] = best;`)}`,
      );
      gpu.dispatch(s, [x, out], (p) => writePool(p, pool, out.length), groups(out.length));
    },
  },
  maxPool2dGrad: {
    run(gpu, { x, dy, dx, pool }) {
      const s = shader('maxPool2dGrad', ['read', 'read', 'write'], () =>
        `${decl([['x', 'read'], ['dy', 'read'], ['dx', 'write']])}\n${MATH}\n${entry(`P(${COUNT}u)`, `${GEOMETRY}${IN_PIXEL}
  let me = i32(i);
  var acc = 0.0;
  for (var oy = oy0; oy <= oy1; oy++) {
    for (var ox = ox0; ox <= ox1; ox++) {${WINDOW}
      // The window's first maximum (a NaN first wins; later NaNs never do), as the reference picks it.
      var at = -1;
      var best = 0.0;
      for (var y = y0; y < y1; y++) {
        for (var xx = x0; xx < x1; xx++) {
          let k = ((b * inH + y) * inW + xx) * channels + ch;
          let v = x[k];
          if (at < 0 || (!is_nan(v) && !is_nan(best) && v > best)) {
            best = v;
            at = k;
          }
        }
      }
      if (at == me) { acc = acc + dy[((b * outH + oy) * outW + ox) * channels + ch]; }
    }
  }
  dx[i] = acc;`)}`,
      );
      gpu.dispatch(s, [x, dy, dx], (p) => writePool(p, pool, dx.length), groups(dx.length));
    },
  },
  avgPool2d: {
    run(gpu, { x, out, pool }) {
      const s = shader('avgPool2d', ['read', 'write'], () =>
        `${decl([['x', 'read'], ['out', 'write']])}\n${entry(`P(${COUNT}u)`, `${GEOMETRY}${OUT_PIXEL}${WINDOW}
  var sum = 0.0;
  for (var y = y0; y < y1; y++) {
    for (var xx = x0; xx < x1; xx++) { sum = sum + x[((b * inH + y) * inW + xx) * channels + ch]; }
  }
  let count = (y1 - y0) * (x1 - x0);
  out[i] = select(0.0, sum / f32(count), count > 0);`)}`,
      );
      gpu.dispatch(s, [x, out], (p) => writePool(p, pool, out.length), groups(out.length));
    },
  },
  avgPool2dGrad: {
    run(gpu, { dy, dx, pool }) {
      const s = shader('avgPool2dGrad', ['read', 'write'], () =>
        `${decl([['dy', 'read'], ['dx', 'write']])}\n${entry(`P(${COUNT}u)`, `${GEOMETRY}${IN_PIXEL}
  var acc = 0.0;
  for (var oy = oy0; oy <= oy1; oy++) {
    for (var ox = ox0; ox <= ox1; ox++) {${WINDOW}
      let count = (y1 - y0) * (x1 - x0);
      if (count > 0) { acc = acc + dy[((b * outH + oy) * outW + ox) * channels + ch] / f32(count); }
    }
  }
  dx[i] = acc;`)}`,
      );
      gpu.dispatch(s, [dy, dx], (p) => writePool(p, pool, dx.length), groups(dx.length));
    },
  },
};
