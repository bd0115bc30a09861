/**
 * 2-D convolution (NHWC, [kH, kW, inC, outC] filters) with the fused bias + activation epilogue, and its
 * two gradients, in WGSL. Each thread computes one element of its output by gathering what contributes
 * to it, so no two threads write the same address and nothing needs atomics: conv2d sums over the taps
 * of its output pixel, the input gradient over the output pixels and filters that read its pixel, the
 * filter gradient over the batch and the output pixels for its tap.
 */
import type { ConvInfo } from '../../../util/conv-geometry.js';
import type { Params } from '../recorder.js';
import type { GpuKernels } from '../kernel.js';
import { MATH, declarations, entry, groups, shader } from '../wgsl.js';
import { epilogueCode, writeEpilogue } from './epilogue.js';

const FIELDS = ['batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'dilationH', 'dilationW', 'padTop', 'padLeft'] as const;
const EPILOGUE = 16, COUNT = 20;

/** The geometry as parameter words 0..14, and WGSL `let`s naming them. */
function writeConv(p: Params, c: ConvInfo): void {
  FIELDS.forEach((f, k) => p.i32(k, c[f]));
}
const GEOMETRY = FIELDS.map((f, k) => `  let ${f} = I(${k}u);`).join('\n');

function decl(names: readonly [string, 'read' | 'write'][]): string {
  return declarations(names.map(([name, access]) => ({ name, type: 'f32', access })));
}

export const convKernels: GpuKernels = {
  conv2d: {
    run(gpu, { x, filter, out, bias, conv: c, activation, alpha }) {
      const s = shader('conv2d', ['read', 'read', 'read', 'write'], () =>
        `${decl([['x', 'read'], ['weights', 'read'], ['bias', 'read'], ['out', 'write']])}\n${MATH}\n${epilogueCode(EPILOGUE)}\n${entry(
          `P(${COUNT}u)`,
          `${GEOMETRY}
  let idx = i32(i);
  let co = idx % outC;
  let ox = (idx / outC) % outW;
  let oy = (idx / (outC * outW)) % outH;
  let b = idx / (outC * outW * outH);
  var acc = 0.0;
  for (var ky = 0; ky < kH; ky++) {
    let iy = oy * strideH - padTop + ky * dilationH;
    if (iy < 0 || iy >= inH) { continue; }
    for (var kx = 0; kx < kW; kx++) {
      let ix = ox * strideW - padLeft + kx * dilationW;
      if (ix < 0 || ix >= inW) { continue; }
      let xi = ((b * inH + iy) * inW + ix) * inC;
      let wi = (ky * kW + kx) * inC * outC + co;
      for (var ci = 0; ci < inC; ci++) { acc = fma(x[xi + ci], weights[wi + ci * outC], acc); }
    }
  }
  out[i] = epilogue(acc, u32(co));`,
        )}`,
      );
      gpu.dispatch(s, [x, filter, bias, out], (p) => {
        writeConv(p, c);
        writeEpilogue(p, EPILOGUE, bias !== null, activation, alpha);
        p.u32(COUNT, out.length);
      }, groups(out.length));
    },
  },
  conv2dBackpropInput: {
    run(gpu, { dy, filter, dx, conv: c }) {
      const s = shader('conv2dBackpropInput', ['read', 'read', 'write'], () =>
        `${decl([['dy', 'read'], ['weights', 'read'], ['dx', 'write']])}\n${entry(
          `P(${COUNT}u)`,
          `${GEOMETRY}
  let idx = i32(i);
  let ci = idx % inC;
  let ix = (idx / inC) % inW;
  let iy = (idx / (inC * inW)) % inH;
  let b = idx / (inC * inW * inH);
  var acc = 0.0;
  for (var ky = 0; ky < kH; ky++) {
    // Output rows whose tap ky reads row iy: oy * strideH = iy + padTop - ky * dilationH.
    let ty = iy + padTop - ky * dilationH;
    if (ty < 0 || ty % strideH != 0) { continue; }
    let oy = ty / strideH;
    if (oy >= outH) { continue; }
    for (var kx = 0; kx < kW; kx++) {
      let tx = ix + padLeft - kx * dilationW;
      if (tx < 0 || tx % strideW != 0) { continue; }
      let ox = tx / strideW;
      if (ox >= outW) { continue; }
      let o = ((b * outH + oy) * outW + ox) * outC;
      let wi = ((ky * kW + kx) * inC + ci) * outC;
      for (var co = 0; co < outC; co++) { acc = fma(dy[o + co], weights[wi + co], acc); }
    }
  }
  dx[i] = acc;`,
        )}`,
      );
      gpu.dispatch(s, [dy, filter, dx], (p) => {
        writeConv(p, c);
        p.u32(COUNT, dx.length);
      }, groups(dx.length));
    },
  },
  conv2dBackpropFilter: {
    run(gpu, { x, dy, dFilter, conv: c }) {
      const s = shader('conv2dBackpropFilter', ['read', 'read', 'write'], () =>
        `${decl([['x', 'read'], ['dy', 'read'], ['dFilter', 'write']])}\n${entry(
          `P(${COUNT}u)`,
          `${GEOMETRY}
  let idx = i32(i);
  let co = idx % outC;
  let ci = (idx / outC) % inC;
  let kx = (idx / (outC * inC)) % kW;
  let ky = idx / (outC * inC * kW);
  var acc = 0.0;
  for (var b = 0; b < batch; b++) {
    for (var oy = 0; oy < outH; oy++) {
      let iy = oy * strideH - padTop + ky * dilationH;
      if (iy < 0 || iy >= inH) { continue; }
      for (var ox = 0; ox < outW; ox++) {
        let ix = ox * strideW - padLeft + kx * dilationW;
        if (ix < 0 || ix >= inW) { continue; }
        acc = fma(x[((b * inH + iy) * inW + ix) * inC + ci], dy[((b * outH + oy) * outW + ox) * outC + co], acc);
      }
    }
  }
  dFilter[i] = acc;`,
        )}`,
      );
      gpu.dispatch(s, [x, dy, dFilter], (p) => {
        writeConv(p, c);
        p.u32(COUNT, dFilter.length);
      }, groups(dFilter.length));
    },
  },
};
