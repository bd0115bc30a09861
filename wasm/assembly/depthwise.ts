/**
 * Depthwise 2-D convolution (NHWC input, [kH, kW, C, m] filters: output channel ci * m + j comes from input
 * channel ci and filter[:, :, ci, j]) and its two gradients, vectorised over groups of four output
 * channels (a tail channel goes through one lane). The forward pass splits output rows, the input gradient
 * input rows, and the filter gradient groups of output channels, each summed over every pixel in order.
 */
import { DepthwiseConv2dArgs, DepthwiseConv2dBackpropFilterArgs, DepthwiseConv2dBackpropInputArgs } from '../generated/kernels';
import { activate } from './activation';
import { ld, st } from './lanes';

/** The input values of output channels co.. of one pixel: x[co / m] per lane (one lane when not `full`). */
@inline function inputLanes(px: usize, co: i32, m: i32, full: bool): v128 {
  if (!full) return v128.load32_splat(px + <usize>(co / m) * 4);
  if (m == 1) return v128.load(px + <usize>co * 4);
  let v = f32x4.splat(load<f32>(px + <usize>(co / m) * 4));
  v = f32x4.replace_lane(v, 1, load<f32>(px + <usize>((co + 1) / m) * 4));
  v = f32x4.replace_lane(v, 2, load<f32>(px + <usize>((co + 2) / m) * 4));
  return f32x4.replace_lane(v, 3, load<f32>(px + <usize>((co + 3) / m) * 4));
}

/** Adds v to x[co / m] of one pixel for each lane (one lane when not `full`). */
@inline function addToInputs(px: usize, co: i32, m: i32, v: v128, full: bool): void {
  if (!full) {
    const p = px + <usize>(co / m) * 4;
    store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 0));
  } else if (m == 1) {
    v128.store(px + <usize>co * 4, f32x4.add(v128.load(px + <usize>co * 4), v));
  } else {
    let p = px + <usize>(co / m) * 4;
    store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 0));
    p = px + <usize>((co + 1) / m) * 4;
    store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 1));
    p = px + <usize>((co + 2) / m) * 4;
    store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 2));
    p = px + <usize>((co + 3) / m) * 4;
    store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 3));
  }
}

/** One output pixel's channels co.. (four, or one when not `full`): act(sum over taps + bias). */
@inline function forwardStep(a: DepthwiseConv2dArgs, b: i32, oy: i32, ox: i32, co: i32, m: i32, full: bool): void {
  const c = a.conv;
  let acc = a.bias != 0 ? ld(a.bias + <usize>co * 4, full) : f32x4.splat(0);
  for (let ky = 0; ky < c.kH; ky++) {
    const iy = oy * c.strideH - c.padTop + ky * c.dilationH;
    if (iy < 0 || iy >= c.inH) continue;
    for (let kx = 0; kx < c.kW; kx++) {
      const ix = ox * c.strideW - c.padLeft + kx * c.dilationW;
      if (ix < 0 || ix >= c.inW) continue;
      const px = a.x + <usize>(((b * c.inH + iy) * c.inW + ix) * c.inC) * 4;
      acc = f32x4.add(acc, f32x4.mul(inputLanes(px, co, m, full), ld(a.filter + <usize>((ky * c.kW + kx) * c.outC + co) * 4, full)));
    }
  }
  st(a.out + <usize>(((b * c.outH + oy) * c.outW + ox) * c.outC + co) * 4, activate(acc, a.activation, a.alpha), full);
}

/** Output rows [start, end) of batch x outH. */
export function depthwiseConv2d(a: DepthwiseConv2dArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  if (c.inC == 0) return;
  const m = c.outC / c.inC, cv = c.outC & ~3;
  for (let r = start; r < end; r++) {
    const b = r / c.outH, oy = r - b * c.outH;
    for (let ox = 0; ox < c.outW; ox++) {
      for (let co = 0; co < cv; co += 4) forwardStep(a, b, oy, ox, co, m, true);
      for (let co = cv; co < c.outC; co++) forwardStep(a, b, oy, ox, co, m, false);
    }
  }
}

/** Input rows [start, end) of batch x inH: each input pixel gathers the output gradients of the windows it is in. */
export function depthwiseConv2dBackpropInput(a: DepthwiseConv2dBackpropInputArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  const m = c.inC == 0 ? 1 : c.outC / c.inC, cv = c.outC & ~3;
  const rowBytes = <usize>(c.inW * c.inC) * 4;
  for (let r = start; r < end; r++) {
    const b = r / c.inH, iy = r - b * c.inH;
    const dxRow = a.dx + <usize>r * rowBytes;
    memory.fill(dxRow, 0, rowBytes);
    for (let ky = 0; ky < c.kH; ky++) {
      const ty = iy + c.padTop - ky * c.dilationH;
      if (ty < 0 || ty % c.strideH != 0 || ty / c.strideH >= c.outH) continue;
      const dyRow = a.dy + <usize>((b * c.outH + ty / c.strideH) * c.outW * c.outC) * 4;
      for (let kx = 0; kx < c.kW; kx++) {
        const w = a.filter + <usize>((ky * c.kW + kx) * c.outC) * 4;
        for (let ix = 0; ix < c.inW; ix++) {
          const tx = ix + c.padLeft - kx * c.dilationW;
          if (tx < 0 || tx % c.strideW != 0 || tx / c.strideW >= c.outW) continue;
          const g = dyRow + <usize>((tx / c.strideW) * c.outC) * 4;
          const px = dxRow + <usize>(ix * c.inC) * 4;
          for (let co = 0; co < cv; co += 4) addToInputs(px, co, m, f32x4.mul(v128.load(g + <usize>co * 4), v128.load(w + <usize>co * 4)), true);
          for (let co = cv; co < c.outC; co++) addToInputs(px, co, m, f32x4.mul(ld(g + <usize>co * 4, false), ld(w + <usize>co * 4, false)), false);
        }
      }
    }
  }
}

/** dFilter[:, :, co..] (four channels, or one when not `full`): the sum over every pixel, in order. */
@inline function filterGradStep(a: DepthwiseConv2dBackpropFilterArgs, co: i32, m: i32, full: bool): void {
  const c = a.conv;
  for (let t = 0; t < c.kH * c.kW; t++) st(a.dFilter + <usize>(t * c.outC + co) * 4, f32x4.splat(0), full);
  for (let b = 0; b < c.batch; b++) {
    for (let oy = 0; oy < c.outH; oy++) {
      for (let ox = 0; ox < c.outW; ox++) {
        const g = ld(a.dy + <usize>(((b * c.outH + oy) * c.outW + ox) * c.outC + co) * 4, full);
        for (let ky = 0; ky < c.kH; ky++) {
          const iy = oy * c.strideH - c.padTop + ky * c.dilationH;
          if (iy < 0 || iy >= c.inH) continue;
          for (let kx = 0; kx < c.kW; kx++) {
            const ix = ox * c.strideW - c.padLeft + kx * c.dilationW;
            if (ix < 0 || ix >= c.inW) continue;
            const px = a.x + <usize>(((b * c.inH + iy) * c.inW + ix) * c.inC) * 4;
            const p = a.dFilter + <usize>((ky * c.kW + kx) * c.outC + co) * 4;
            st(p, f32x4.add(ld(p, full), f32x4.mul(inputLanes(px, co, m, full), g)), full);
          }
        }
      }
    }
  }
}

/** Groups [start, end) of four output channels (the last may hold fewer). */
export function depthwiseConv2dBackpropFilter(a: DepthwiseConv2dBackpropFilterArgs, start: i32, end: i32, scratch: usize): void {
  const c = a.conv;
  const m = c.inC == 0 ? 1 : c.outC / c.inC;
  for (let group = start; group < end; group++) {
    const co = group * 4;
    if (co + 4 <= c.outC) filterGradStep(a, co, m, true);
    else for (let ch = co; ch < c.outC; ch++) filterGradStep(a, ch, m, false);
  }
}
