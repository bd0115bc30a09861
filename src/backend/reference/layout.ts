/** Data movement: transpose, slice, pad, concat, gather and its adjoint, one-hot. */
import { stridesOf } from '../../util/shape.js';
import type { Kernels } from '../kernels.js';
import { forEachBroadcast } from './elementwise.js';

/**
 * The first axis from which a block of `inner` (a part of `outer`, axis by axis) is contiguous in both:
 * every later axis is whole. -1 for rank 0.
 */
function contiguousFrom(inner: readonly number[], outer: readonly number[]): number {
  let d = inner.length - 1;
  while (d > 0 && inner[d] === outer[d]) d--;
  return d;
}

export const layoutKernels: Pick<Kernels, 'transpose' | 'slice' | 'pad' | 'concat' | 'gather' | 'scatterAdd' | 'oneHot'> = {
  transpose({ x, out, shape, perm }) {
    const inStrides = stridesOf(shape);
    const outShape = perm.map((p) => shape[p]!);
    const readStrides = perm.map((p) => inStrides[p]!);
    const rank = outShape.length;
    if (rank === 0) {
      if (out.length > 0) out[0] = x[0]!;
      return;
    }
    // Rows of the output's last axis, read with one stride (a contiguous copy when the last axis stays
    // last, as attention's head transposes keep it): per-element callbacks cost more than the copy.
    const width = outShape[rank - 1]!;
    const step = readStrides[rank - 1]!;
    const rows = width === 0 ? 0 : out.length / width;
    const counter = new Int32Array(Math.max(rank - 1, 0));
    let from = 0;
    for (let row = 0, to = 0; row < rows; row++, to += width) {
      if (step === 1) {
        for (let j = 0; j < width; j++) out[to + j] = x[from + j]!;
      } else {
        for (let j = 0, at = from; j < width; j++, at += step) out[to + j] = x[at]!;
      }
      for (let d = rank - 2; d >= 0; d--) {
        from += readStrides[d]!;
        if (++counter[d]! < outShape[d]!) break;
        from -= readStrides[d]! * outShape[d]!;
        counter[d] = 0;
      }
    }
  },
  slice({ x, out, shape, begin, size }) {
    const strides = stridesOf(shape);
    let start = 0;
    for (let d = 0; d < shape.length; d++) start += begin[d]! * strides[d]!;
    // Whole contiguous blocks move with one typed-array copy each (recurrent layers slice their states).
    const d = contiguousFrom(size, shape);
    const block = d < 0 ? 1 : size.slice(d).reduce((p, n) => p * n, 1);
    if (d < 0 || block < 16 || x.constructor !== out.constructor) {
      forEachBroadcast(size, [strides], (i, o) => {
        out[i] = x[start + o[0]!]!;
      });
      return;
    }
    forEachBroadcast(size.slice(0, d), [strides.slice(0, d)], (i, o) => {
      out.set(x.subarray(start + o[0]!, start + o[0]! + block), i * block);
    });
  },
  pad({ x, out, shape, before, after, value }) {
    const outShape = shape.map((d, i) => d + before[i]! + after[i]!);
    const outStrides = stridesOf(outShape);
    out.fill(value);
    let start = 0;
    for (let d = 0; d < shape.length; d++) start += before[d]! * outStrides[d]!;
    const d = contiguousFrom(shape, outShape);
    const block = d < 0 ? 1 : shape.slice(d).reduce((p, n) => p * n, 1);
    if (d < 0 || block < 16 || x.constructor !== out.constructor) {
      forEachBroadcast(shape, [outStrides], (i, o) => {
        out[start + o[0]!] = x[i]!;
      });
      return;
    }
    forEachBroadcast(shape.slice(0, d), [outStrides.slice(0, d)], (i, o) => {
      out.set(x.subarray(i * block, (i + 1) * block), start + o[0]!);
    });
  },
  concat({ inputs, out, outer, widths }) {
    const total = widths.reduce((a, b) => a + b, 0);
    let offset = 0;
    inputs.forEach((x, n) => {
      const w = widths[n]!;
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < w; j++) out[o * total + offset + j] = x[o * w + j]!;
      }
      offset += w;
    });
  },
  gather({ x, indices, out, gather: { outer, axisSize, inner } }) {
    const n = indices.length;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const src = (o * axisSize + indices[i]!) * inner;
        // Whole rows move with one typed-array copy (batches are gathered this way every step).
        if (x.constructor === out.constructor) out.set(x.subarray(src, src + inner), (o * n + i) * inner);
        else for (let j = 0; j < inner; j++) out[(o * n + i) * inner + j] = x[src + j]!;
      }
    }
  },
  scatterAdd({ updates, indices, out, gather: { outer, axisSize, inner } }) {
    out.fill(0);
    const n = indices.length;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const dst = (o * axisSize + indices[i]!) * inner;
        const src = (o * n + i) * inner;
        for (let j = 0; j < inner; j++) out[dst + j]! += updates[src + j]!;
      }
    }
  },
  oneHot({ indices, out, depth, onValue, offValue }) {
    out.fill(offValue);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i]!;
      if (k >= 0 && k < depth) out[i * depth + k] = onValue;
    }
  },
};
