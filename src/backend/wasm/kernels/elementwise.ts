/** Elementwise kernels (wasm/assembly/elementwise.ts): unary maps and their gradients, broadcasting binary ops. */
import type { Broadcast, Kernels } from '../../kernels.js';
import type { KernelExport } from '../codes.js';
import { BINARY_OPS, UNARY_OPS, codeOf } from '../codes.js';
import { staged } from '../staging.js';
import { splitRange } from '../threads.js';
import type { WasmContext } from './context.js';

/** The kernels' strided binary op takes at most this many dimensions after collapsing. */
const STRIDED_RANK = 4;

interface Collapsed {
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

/**
 * The broadcast with size-1 dimensions dropped and neighbours merged where both operands step through
 * them contiguously (or both stay put), so most broadcasts become one or two dimensions.
 */
export function collapse(bc: Broadcast): Collapsed {
  const out: Collapsed = { shape: [], aStrides: [], bStrides: [] };
  bc.shape.forEach((n, d) => {
    if (n === 1) return;
    const sa = bc.aStrides[d]!, sb = bc.bStrides[d]!;
    const last = out.shape.length - 1;
    if (last >= 0 && out.aStrides[last] === sa * n && out.bStrides[last] === sb * n) {
      out.shape[last]! *= n;
      out.aStrides[last] = sa;
      out.bStrides[last] = sb;
      return;
    }
    out.shape.push(n);
    out.aStrides.push(sa);
    out.bStrides.push(sb);
  });
  return out;
}

/** Pads a collapsed broadcast to four dimensions by inserting size-1 dimensions after the first. */
function toFourDims(c: Collapsed): Collapsed {
  const pad = STRIDED_RANK - c.shape.length;
  const at = Math.min(1, c.shape.length);
  const insert = (list: number[], value: number) => [...list.slice(0, at), ...Array<number>(pad).fill(value), ...list.slice(at)];
  return { shape: insert(c.shape, 1), aStrides: insert(c.aStrides, 0), bStrides: insert(c.bStrides, 0) };
}

export function elementwiseKernels({ wasm, heap, pool, reference, minChunk }: WasmContext): Pick<
  Kernels, 'unary' | 'unaryGrad' | 'binary' | 'clip' | 'fill'
> {
  /** Runs an elementwise kernel over [0, n), whose range comes last in `args`. */
  const over = (kernel: KernelExport, n: number, args: number[]) =>
    pool.run(kernel, { args: [...args, 0, 0], rangeAt: args.length, chunks: splitRange(n, pool.chunksFor(n, minChunk.elements), 4) });

  return {
    unary(op, x, out, alpha) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), po = s.output(out);
        if (!s.ok) return false;
        over('unary', out.length, [codeOf(UNARY_OPS, op), px, po, alpha]);
        return true;
      }, () => reference.unary(op, x, out, alpha));
    },

    unaryGrad(op, x, y, dy, out, alpha) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), py = s.input(y), pdy = s.input(dy), po = s.output(out);
        if (!s.ok) return false;
        over('unaryGrad', out.length, [codeOf(UNARY_OPS, op), px, py, pdy, po, alpha]);
        return true;
      }, () => reference.unaryGrad(op, x, y, dy, out, alpha));
    },

    binary(op, a, b, out, bc) {
      if (bc.size === 0) return;
      const c = collapse(bc);
      if (c.shape.length > STRIDED_RANK) {
        reference.binary(op, a, b, out, bc);
        return;
      }
      const code = codeOf(BINARY_OPS, op);
      staged(heap, (s) => {
        const pa = s.input(a), pb = s.input(b), po = s.output(out);
        if (!s.ok) return false;
        if (c.shape.length <= 1) {
          // Same shapes, or a scalar operand: one flat run.
          const aStep = c.aStrides[0] ?? 1, bStep = c.bStrides[0] ?? 1;
          over('binaryFlat', bc.size, [code, pa, pb, po, aStep, bStep]);
          return true;
        }
        const f = toFourDims(c);
        const [d0, d1, d2, d3] = f.shape as [number, number, number, number];
        const args = [code, pa, pb, po, d1, d2, d3, ...f.aStrides, ...f.bStrides, 0, 0];
        pool.run('binaryStrided', { args, rangeAt: args.length - 2, chunks: splitRange(d0, pool.chunksFor(bc.size, minChunk.elements)) });
        return true;
      }, () => reference.binary(op, a, b, out, bc));
    },

    clip(x, out, low, high) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const px = s.input(x), po = s.output(out);
        if (!s.ok) return false;
        over('clip', out.length, [px, po, low, high]);
        return true;
      }, () => reference.clip(x, out, low, high));
    },

    fill(out, value) {
      if (out.length === 0) return;
      staged(heap, (s) => {
        const po = s.output(out);
        if (!s.ok) return false;
        wasm.fill(po, value, 0, out.length);
        return true;
      }, () => reference.fill(out, value));
    },
  };
}
