/**
 * Elementwise kernels in WGSL: unary functions and their gradients, binary arithmetic, comparisons and
 * `where` with NumPy broadcasting, clip, cast and fill. One thread per output element. Broadcasting reads
 * each operand through strides over the output's shape (up to MAX_RANK dimensions); operands of the
 * output's size, and single numbers, take shorter paths.
 */
import { MAX_RANK } from '../../kernel-table.js';
import type { Broadcast } from '../../kernels.js';
import type { GpuKernels, GpuTensor } from '../kernel.js';
import { dtypeOfArray } from '../kernel.js';
import type { Params } from '../recorder.js';
import { MATH, bind, declarations, derivativeExpression, entry, groups, shader, unaryExpression, wgslType } from '../wgsl.js';

// Parameter words of broadcast kernels.
const SIZE = 0, RANK = 1, SHAPE = 8, STRIDES = [16, 24, 32] as const;

/** How an operand is read: elementwise at i, as one number, or through strides. */
type Read = 'same' | 'one' | 'strided';

function readOf(t: GpuTensor, bc: Broadcast): Read {
  // An operand as large as the output is not broadcast along any axis: it is read at the output's index.
  if (t.length === bc.size) return 'same';
  return t.length === 1 ? 'one' : 'strided';
}

function writeBroadcast(p: Params, shape: readonly number[], size: number, strides: readonly (readonly number[])[]): void {
  p.u32(SIZE, size);
  p.u32(RANK, shape.length);
  p.u32s(SHAPE, shape, MAX_RANK, 1);
  strides.forEach((s, k) => p.u32s(STRIDES[k]!, s, MAX_RANK, 0));
}

/** WGSL computing the offset of operand `k` for output index i (when it is read through strides). */
function offsetCode(reads: readonly Read[]): string {
  if (!reads.includes('strided')) return '';
  const lines = ['  var rem = i;'];
  reads.forEach((r, k) => r === 'strided' && lines.push(`  var o${k} = 0u;`));
  lines.push('  for (var d = i32(P(1u)) - 1; d >= 0; d--) {', '    let s = P(8u + u32(d));', '    let c = rem % s;', '    rem = rem / s;');
  reads.forEach((r, k) => r === 'strided' && lines.push(`    o${k} += c * P(${STRIDES[k]}u + u32(d));`));
  lines.push('  }');
  return lines.join('\n');
}

function at(read: Read, k: number): string {
  return read === 'same' ? 'i' : read === 'one' ? '0u' : `o${k}`;
}

const BINARY_F32: Readonly<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `div_f(${a}, ${b})`,
  pow: (a, b) => `pow_f(${a}, ${b})`,
  maximum: (a, b) => `max_f(${a}, ${b})`,
  minimum: (a, b) => `min_f(${a}, ${b})`,
};
/** int32 arithmetic wraps on the device as int32 storage does on the CPU. */
const BINARY_I32: Readonly<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  maximum: (a, b) => `max(${a}, ${b})`,
  minimum: (a, b) => `min(${a}, ${b})`,
};

function compareCode(op: string, type: 'f32' | 'i32' | 'u32', a: string, b: string): string {
  const f = type === 'f32';
  const ordered = f ? `!is_nan(${a}) && !is_nan(${b}) && ` : '';
  const zero = f ? '0.0' : type === 'i32' ? '0' : '0u';
  const nonzero = (v: string) => (f ? `(is_nan(${v}) || ${v} != ${zero})` : `(${v} != ${zero})`);
  switch (op) {
    case 'equal': return `${ordered}${a} == ${b}`;
    case 'notEqual': return f ? `is_nan(${a}) || is_nan(${b}) || ${a} != ${b}` : `${a} != ${b}`;
    case 'less': return `${ordered}${a} < ${b}`;
    case 'lessEqual': return `${ordered}${a} <= ${b}`;
    case 'greater': return `${ordered}${a} > ${b}`;
    case 'greaterEqual': return `${ordered}${a} >= ${b}`;
    case 'logicalAnd': return `${nonzero(a)} && ${nonzero(b)}`;
    case 'logicalOr': return `${nonzero(a)} || ${nonzero(b)}`;
    default: throw new Error(`webgpu: unknown comparison ${op}`);
  }
}

/** WGSL converting `v` of type `from` to `to` as the reference's cast does. */
function convert(v: string, from: 'f32' | 'i32' | 'u32', to: 'f32' | 'i32' | 'u32'): string {
  if (from === to) return v;
  if (to === 'u32') return from === 'f32' ? `select(0u, 1u, is_nan(${v}) || ${v} != 0.0)` : `select(0u, 1u, ${v} != 0)`;
  if (to === 'f32') return `f32(${v})`;
  return from === 'f32' ? `select(i32(${v}), 0, is_nan(${v}))` : `i32(${v})`;
}

export const elementwiseKernels: GpuKernels = {
  unary: {
    accepts: (a) => dtypeOfArray(a.x) === 'float32' && dtypeOfArray(a.out) === 'float32',
    run(gpu, { x, out, op, alpha }) {
      const s = shader(`unary:${op}`, ['read', 'write'], () =>
        [declarations(bind(['x', 'out'], [x, out], ['read', 'write'])), MATH, entry('P(0u)', `  out[i] = ${unaryExpression(op, 'x[i]', 'F(1u)')};`)].join('\n'),
      );
      gpu.dispatch(s, [x, out], (p) => {
        p.u32(0, out.length);
        p.f32(1, alpha);
      }, groups(out.length));
    },
  },
  unaryGrad: {
    run(gpu, { x, y, dy, out, op, alpha }) {
      const s = shader(`unaryGrad:${op}`, ['read', 'read', 'read', 'write'], () =>
        [
          declarations(bind(['x', 'y', 'dy', 'out'], [x, y, dy, out], ['read', 'read', 'read', 'write'])),
          MATH,
          entry('P(0u)', `  let xv = x[i];\n  let yv = y[i];\n  out[i] = dy[i] * (${derivativeExpression(op, 'xv', 'yv', 'F(1u)')});`),
        ].join('\n'),
      );
      gpu.dispatch(s, [x, y, dy, out], (p) => {
        p.u32(0, out.length);
        p.f32(1, alpha);
      }, groups(out.length));
    },
  },
  binary: {
    accepts(a) {
      if (a.broadcast.shape.length > MAX_RANK) return false;
      const dtype = dtypeOfArray(a.out);
      if (dtypeOfArray(a.a) !== dtype || dtypeOfArray(a.b) !== dtype) return false;
      return dtype === 'float32' || (dtype === 'int32' && a.op in BINARY_I32);
    },
    run(gpu, { a, b, out, op, broadcast: bc }) {
      const type = wgslType(out.dtype);
      const reads = [readOf(a, bc), readOf(b, bc)] as const;
      const f = (type === 'f32' ? BINARY_F32 : BINARY_I32)[op]!;
      const s = shader(`binary:${op}:${type}:${reads.join(',')}`, ['read', 'read', 'write'], () =>
        [
          declarations(bind(['a', 'b', 'out'], [a, b, out], ['read', 'read', 'write'])),
          MATH,
          entry('P(0u)', `${offsetCode(reads)}\n  out[i] = ${f(`a[${at(reads[0], 0)}]`, `b[${at(reads[1], 1)}]`)};`),
        ].join('\n'),
      );
      gpu.dispatch(s, [a, b, out], (p) => writeBroadcast(p, bc.shape, bc.size, [bc.aStrides, bc.bStrides]), groups(bc.size));
    },
  },
  compare: {
    accepts: (a) => a.broadcast.shape.length <= MAX_RANK && dtypeOfArray(a.a) !== 'float64' && dtypeOfArray(a.a) === dtypeOfArray(a.b),
    run(gpu, { a, b, out, op, broadcast: bc }) {
      const type = wgslType(a.dtype);
      const reads = [readOf(a, bc), readOf(b, bc)] as const;
      const s = shader(`compare:${op}:${type}:${reads.join(',')}`, ['read', 'read', 'write'], () =>
        [
          declarations(bind(['a', 'b', 'out'], [a, b, out], ['read', 'read', 'write'])),
          MATH,
          entry('P(0u)', `${offsetCode(reads)}\n  let av = a[${at(reads[0], 0)}];\n  let bv = b[${at(reads[1], 1)}];\n  out[i] = select(0u, 1u, ${compareCode(op, type, 'av', 'bv')});`),
        ].join('\n'),
      );
      gpu.dispatch(s, [a, b, out], (p) => writeBroadcast(p, bc.shape, bc.size, [bc.aStrides, bc.bStrides]), groups(bc.size));
    },
  },
  where: {
    accepts: (a) =>
      a.broadcast.shape.length <= MAX_RANK && dtypeOfArray(a.a) === dtypeOfArray(a.out) && dtypeOfArray(a.b) === dtypeOfArray(a.out) && dtypeOfArray(a.out) !== 'float64',
    run(gpu, { cond, a, b, out, broadcast: bc, condStrides }) {
      const type = wgslType(out.dtype);
      const reads = [readOf(cond, bc), readOf(a, bc), readOf(b, bc)] as const;
      const s = shader(`where:${type}:${reads.join(',')}`, ['read', 'read', 'read', 'write'], () =>
        [
          declarations(bind(['cond', 'a', 'b', 'out'], [cond, a, b, out], ['read', 'read', 'read', 'write'])),
          entry('P(0u)', `${offsetCode(reads)}\n  out[i] = select(b[${at(reads[2], 2)}], a[${at(reads[1], 1)}], cond[${at(reads[0], 0)}] != 0u);`),
        ].join('\n'),
      );
      gpu.dispatch(s, [cond, a, b, out], (p) => writeBroadcast(p, bc.shape, bc.size, [condStrides, bc.aStrides, bc.bStrides]), groups(bc.size));
    },
  },
  clip: {
    accepts: (a) => dtypeOfArray(a.x) === 'float32',
    run(gpu, { x, out, low, high }) {
      const s = shader('clip', ['read', 'write'], () =>
        [declarations(bind(['x', 'out'], [x, out], ['read', 'write'])), entry('P(0u)', '  let v = x[i];\n  out[i] = select(select(v, F(2u), v > F(2u)), F(1u), v < F(1u));')].join('\n'),
      );
      gpu.dispatch(s, [x, out], (p) => {
        p.u32(0, out.length);
        p.f32(1, low);
        p.f32(2, high);
      }, groups(out.length));
    },
  },
  cast: {
    accepts: (a) => dtypeOfArray(a.x) !== 'float64' && dtypeOfArray(a.out) !== 'float64',
    run(gpu, { x, out }) {
      if (x.dtype === out.dtype) {
        gpu.copy(x, 0, out, 0, out.length * 4);
        return;
      }
      const from = wgslType(x.dtype), to = wgslType(out.dtype);
      const s = shader(`cast:${from}:${to}`, ['read', 'write'], () =>
        [declarations(bind(['x', 'out'], [x, out], ['read', 'write'])), MATH, entry('P(0u)', `  out[i] = ${convert('x[i]', from, to)};`)].join('\n'),
      );
      gpu.dispatch(s, [x, out], (p) => p.u32(0, out.length), groups(out.length));
    },
  },
  fill: {
    accepts: (a) => dtypeOfArray(a.out) !== 'float64',
    run(gpu, { out, value }) {
      const type = wgslType(out.dtype);
      const s = shader(`fill:${type}`, ['write'], () =>
        [declarations(bind(['out'], [out], ['write'])), entry('P(0u)', `  out[i] = bitcast<${type}>(P(1u));`)].join('\n'),
      );
      gpu.dispatch(s, [out], (p) => {
        p.u32(0, out.length);
        if (type === 'f32') p.f32(1, value);
        else if (type === 'i32') p.i32(1, value);
        else p.u32(1, value !== 0 ? 1 : 0);
      }, groups(out.length));
    },
  },
};
