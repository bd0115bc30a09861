/**
 * The native backend's kernels: each one hands float32 arrays to the addon, in place, and sends anything
 * else (float64, int32, bool, shapes beyond the addon's limits) to the reference kernel of the same name.
 */
import type { ConvInfo, PoolInfo } from '../../util/conv-geometry.js';
import type { TypedArray } from '../../util/dtype.js';
import type { Epilogue, Kernels } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import type { NativeAddon } from './addon.js';

/** The addon's broadcast parameters hold at most this many dimensions (kMaxRank in the C++ sources). */
const MAX_RANK = 8;

function f32(a: TypedArray | null): a is Float32Array {
  return a instanceof Float32Array;
}

/** Maps op names to the addon's codes; an op the addon lacks maps to undefined and falls back. */
function codes(names: readonly string[]): Map<string, number> {
  return new Map(names.map((name, i) => [name, i]));
}

export function nativeKernels(addon: NativeAddon): Partial<Kernels> {
  const p = addon.params;
  const unaryCodes = codes(addon.unaryOps);
  const binaryCodes = codes(addon.binaryOps);
  const reduceCodes = codes(addon.reduceOps);
  const activationCodes = codes(addon.activations);

  /** Writes the epilogue at params[at], [at + 1]; returns its bias, or false when it cannot run natively. */
  function epilogueAt(at: number, epilogue: Epilogue | null): Float32Array | null | false {
    if (epilogue === null) {
      p[at] = -1;
      return null;
    }
    const code = activationCodes.get(epilogue.activation);
    if (code === undefined || (epilogue.bias !== null && !f32(epilogue.bias))) return false;
    p[at] = code;
    p[at + 1] = epilogue.alpha;
    return epilogue.bias;
  }

  function writeConv(c: ConvInfo): void {
    p[0] = c.batch; p[1] = c.inH; p[2] = c.inW; p[3] = c.inC; p[4] = c.outH; p[5] = c.outW; p[6] = c.outC;
    p[7] = c.kH; p[8] = c.kW; p[9] = c.strideH; p[10] = c.strideW; p[11] = c.dilationH; p[12] = c.dilationW;
    p[13] = c.padTop; p[14] = c.padLeft;
  }

  function writePool(q: PoolInfo): void {
    p[0] = q.batch; p[1] = q.inH; p[2] = q.inW; p[3] = q.channels; p[4] = q.outH; p[5] = q.outW;
    p[6] = q.kH; p[7] = q.kW; p[8] = q.strideH; p[9] = q.strideW; p[10] = q.padTop; p[11] = q.padLeft;
  }

  return {
    unary(op, x, out, alpha) {
      const code = unaryCodes.get(op);
      if (code !== undefined && f32(x) && f32(out)) addon.unary(code, x, out, alpha);
      else ref.unary(op, x, out, alpha);
    },
    unaryGrad(op, x, y, dy, out, alpha) {
      const code = unaryCodes.get(op);
      if (code !== undefined && f32(x) && f32(y) && f32(dy) && f32(out)) addon.unaryGrad(code, x, y, dy, out, alpha);
      else ref.unaryGrad(op, x, y, dy, out, alpha);
    },
    binary(op, a, b, out, bc) {
      const code = binaryCodes.get(op);
      const rank = bc.shape.length;
      if (code === undefined || !f32(a) || !f32(b) || !f32(out) || rank > MAX_RANK) {
        ref.binary(op, a, b, out, bc);
        return;
      }
      p[0] = rank;
      for (let d = 0; d < rank; d++) {
        p[1 + d] = bc.shape[d]!;
        p[1 + rank + d] = bc.aStrides[d]!;
        p[1 + 2 * rank + d] = bc.bStrides[d]!;
      }
      addon.binary(code, a, b, out);
    },
    reduce(op, x, out, r) {
      const code = reduceCodes.get(op);
      if (code !== undefined && f32(x) && f32(out)) addon.reduce(code, x, out, r.outer, r.size, r.inner);
      else ref.reduce(op, x, out, r);
    },
    matmul(a, b, out, m, epilogue) {
      if (f32(a) && f32(b) && f32(out)) {
        const bias = epilogueAt(8, epilogue);
        if (bias !== false) {
          p[0] = m.batch; p[1] = m.m; p[2] = m.n; p[3] = m.k; p[4] = m.transA ? 1 : 0; p[5] = m.transB ? 1 : 0;
          p[6] = m.aBatchStride; p[7] = m.bBatchStride;
          addon.matmul(a, b, out, bias);
          return;
        }
      }
      ref.matmul(a, b, out, m, epilogue);
    },
    conv2d(x, filter, out, c, epilogue) {
      if (f32(x) && f32(filter) && f32(out)) {
        const bias = epilogueAt(15, epilogue);
        if (bias !== false) {
          writeConv(c);
          addon.conv2d(x, filter, out, bias);
          return;
        }
      }
      ref.conv2d(x, filter, out, c, epilogue);
    },
    conv2dBackpropInput(dy, filter, dx, c) {
      if (!f32(dy) || !f32(filter) || !f32(dx)) return ref.conv2dBackpropInput(dy, filter, dx, c);
      writeConv(c);
      addon.conv2dBackpropInput(dy, filter, dx);
    },
    conv2dBackpropFilter(x, dy, dFilter, c) {
      if (!f32(x) || !f32(dy) || !f32(dFilter)) return ref.conv2dBackpropFilter(x, dy, dFilter, c);
      writeConv(c);
      addon.conv2dBackpropFilter(x, dy, dFilter);
    },
    maxPool2d(x, out, q) {
      if (!f32(x) || !f32(out)) return ref.maxPool2d(x, out, q);
      writePool(q);
      addon.maxPool2d(x, out);
    },
    maxPool2dGrad(x, dy, dx, q) {
      if (!f32(x) || !f32(dy) || !f32(dx)) return ref.maxPool2dGrad(x, dy, dx, q);
      writePool(q);
      addon.maxPool2dGrad(x, dy, dx);
    },
    avgPool2d(x, out, q) {
      if (!f32(x) || !f32(out)) return ref.avgPool2d(x, out, q);
      writePool(q);
      addon.avgPool2d(x, out);
    },
    avgPool2dGrad(dy, dx, q) {
      if (!f32(dy) || !f32(dx)) return ref.avgPool2dGrad(dy, dx, q);
      writePool(q);
      addon.avgPool2dGrad(dy, dx);
    },
    softmax(x, out, rows, cols) {
      if (f32(x) && f32(out)) addon.softmax(x, out, rows, cols, 0);
      else ref.softmax(x, out, rows, cols);
    },
    logSoftmax(x, out, rows, cols) {
      if (f32(x) && f32(out)) addon.softmax(x, out, rows, cols, 1);
      else ref.logSoftmax(x, out, rows, cols);
    },
    sgdUpdate(param, grad, velocity, lr, momentum, nesterov) {
      if (f32(param) && f32(grad) && (velocity === null || f32(velocity))) {
        addon.sgdUpdate(param, grad, velocity, lr, momentum, nesterov ? 1 : 0);
      } else {
        ref.sgdUpdate(param, grad, velocity, lr, momentum, nesterov);
      }
    },
    rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon) {
      if (f32(param) && f32(grad) && f32(ms) && (mom === null || f32(mom)) && (mg === null || f32(mg))) {
        addon.rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon);
      } else {
        ref.rmspropUpdate(param, grad, ms, mom, mg, lr, rho, momentum, epsilon);
      }
    },
    adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon) {
      if (f32(param) && f32(grad) && f32(m) && f32(v) && (vMax === null || f32(vMax))) {
        addon.adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon);
      } else {
        ref.adamUpdate(param, grad, m, v, vMax, stepSize, beta1, beta2, epsilon);
      }
    },
    adagradUpdate(param, grad, acc, lr, epsilon) {
      if (f32(param) && f32(grad) && f32(acc)) addon.adagradUpdate(param, grad, acc, lr, epsilon);
      else ref.adagradUpdate(param, grad, acc, lr, epsilon);
    },
    scaleInPlace(param, factor) {
      if (f32(param)) addon.scaleInPlace(param, factor);
      else ref.scaleInPlace(param, factor);
    },
  };
}
