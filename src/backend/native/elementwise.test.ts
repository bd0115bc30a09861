import { describe, test } from 'node:test';
import { stridesOf } from '../../util/shape.js';
import { Rng } from '../../util/random.js';
import type { BinaryOp, Broadcast, DifferentiableUnaryOp, ReduceOp, UnaryOp } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, nativeKernel, skip, uniform } from './testing.js';

const SIZES = [0, 1, 7, 16, 17, 33, 1000];
/** Big enough to be split over two threads. */
const BIG = 1_100_000;

/** Inputs inside each function's domain, away from where float32 rounding changes the answer's sign. */
function domain(op: UnaryOp): [number, number] {
  switch (op) {
    case 'sqrt': case 'rsqrt': case 'log': return [0.01, 4];
    case 'log1p': return [-0.9, 4];
    case 'exp': case 'softplus': case 'sigmoid': case 'tanh': case 'elu': case 'selu': return [-12, 12];
    default: return [-5, 5];
  }
}

const UNARY: UnaryOp[] = [
  'neg', 'abs', 'sign', 'sqrt', 'rsqrt', 'square', 'exp', 'log', 'log1p', 'reciprocal', 'relu', 'leakyRelu', 'elu',
  'selu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'floor', 'ceil', 'round',
];
const DIFFERENTIABLE = UNARY.filter((op): op is DifferentiableUnaryOp => !['sign', 'floor', 'ceil', 'round'].includes(op));

describe('native elementwise kernels match the reference', { skip }, () => {
  test('unary: every op, sizes around the SIMD width', () => {
    const rng = new Rng(1);
    for (const op of UNARY) {
      for (const n of [...SIZES, op === 'exp' || op === 'relu' ? BIG : 64]) {
        const [lo, hi] = domain(op);
        const x = uniform(rng, n, lo, hi);
        const expected = new Float32Array(n);
        ref.unary(op, x, expected, 0.3);
        eachSetting((s) => {
          const out = new Float32Array(n).fill(NaN);
          nativeKernel('unary')(op, x, out, 0.3);
          assertClose(out, expected, `${op} n=${n} (${s})`, { rtol: 4e-6, atol: 1e-7 });
        });
      }
    }
  });

  test('unary: special values and rounding ties', () => {
    const x = new Float32Array([0, -0, NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -0.5, -2.5, 100, -100, 1e-30, -1e-30, 89, -104]);
    for (const op of UNARY) {
      const expected = new Float32Array(x.length);
      ref.unary(op, x, expected, 0.2);
      eachSetting((s) => {
        const out = new Float32Array(x.length);
        nativeKernel('unary')(op, x, out, 0.2);
        assertClose(out, expected, `${op} specials (${s})`, { rtol: 4e-6, atol: 1e-37 });
      });
    }
  });

  test('unaryGrad: every differentiable op, from x and y = f(x)', () => {
    const rng = new Rng(2);
    for (const op of DIFFERENTIABLE) {
      for (const n of [0, 5, 16, 31, 257]) {
        const [lo, hi] = domain(op);
        const x = uniform(rng, n, lo, hi);
        const y = new Float32Array(n);
        ref.unary(op, x, y, 0.3);
        const dy = uniform(rng, n);
        const expected = new Float32Array(n);
        ref.unaryGrad(op, x, y, dy, expected, 0.3);
        eachSetting((s) => {
          const out = new Float32Array(n).fill(NaN);
          nativeKernel('unaryGrad')(op, x, y, dy, out, 0.3);
          assertClose(out, expected, `${op}' n=${n} (${s})`, { rtol: 1e-5, atol: 1e-6 });
        });
      }
    }
  });
});

/** Operands of `aShape` and `bShape` broadcast together (NumPy rules), with their strides. */
function broadcast(aShape: number[], bShape: number[]): Broadcast {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const a = pad(aShape), b = pad(bShape);
  const shape = a.map((d, i) => (d === 1 ? b[i]! : d));
  const as = stridesOf(a), bs = stridesOf(b);
  return {
    shape,
    size: shape.reduce((p, d) => p * d, 1),
    aStrides: a.map((d, i) => (d === 1 ? 0 : as[i]!)),
    bStrides: b.map((d, i) => (d === 1 ? 0 : bs[i]!)),
  };
}

const LAYOUTS: [number[], number[]][] = [
  [[3, 5, 7], [3, 5, 7]],
  [[3, 5, 7], []],
  [[], [4, 33]],
  [[4, 33], [33]],
  [[64, 10], [10]],
  [[4, 33], [4, 1]],
  [[2, 3, 17], [2, 1, 17]],
  [[3, 1], [1, 19]],
  [[1, 1], [1, 1]],
  [[0, 3], [3]],
  [[2, 1, 3, 1, 2, 1, 2, 1, 2], [1, 2, 1, 3, 1, 2, 1, 2, 1]],
  [[BIG], [BIG]],
  [[1000, 1100], [1100]],
];

describe('native binary kernel matches the reference', { skip }, () => {
  const OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];
  test('every op over same-shape, scalar, row, column and general broadcasts', () => {
    const rng = new Rng(3);
    for (const [aShape, bShape] of LAYOUTS) {
      const bc = broadcast(aShape, bShape);
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      for (const op of OPS) {
        if (op === 'pow' && bc.size > 100_000) continue;
        const a = uniform(rng, size(aShape), op === 'pow' ? 0.1 : -2, 2);
        const b = uniform(rng, size(bShape), op === 'div' ? 0.5 : -2, 2);
        const expected = new Float32Array(bc.size);
        ref.binary(op, a, b, expected, bc);
        eachSetting((s) => {
          const out = new Float32Array(bc.size).fill(NaN);
          nativeKernel('binary')(op, a, b, out, bc);
          assertClose(out, expected, `${op} [${aShape}] with [${bShape}] (${s})`, { rtol: 2e-6, atol: 0 });
        });
      }
    }
  });

  test('strides beyond broadcasting: an operand read transposed', () => {
    // The reference reads equal-sized operands contiguously, so this layout is checked directly.
    const rng = new Rng(4);
    const a = uniform(rng, 6 * 35), b = uniform(rng, 6 * 35);
    const bc: Broadcast = { shape: [6, 35], size: 210, aStrides: [1, 6], bStrides: [35, 1] };
    const expected = new Float32Array(210);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 35; j++) expected[i * 35 + j] = a[i + j * 6]! - b[i * 35 + j]!;
    eachSetting((s) => {
      const out = new Float32Array(210);
      nativeKernel('binary')('sub', a, b, out, bc);
      assertClose(out, expected, `strided sub (${s})`, { rtol: 0, atol: 0 });
    });
  });

  test('maximum, minimum and pow keep the reference semantics for NaN and negative bases', () => {
    const a = new Float32Array([NaN, 1, NaN, -2, -2, 0, -8, -1, 1, 0]);
    const b = new Float32Array([1, NaN, NaN, 3, 2, -1, 1 / 3, Infinity, -Infinity, 0]);
    const bc = broadcast([10], [10]);
    for (const op of ['maximum', 'minimum', 'pow'] as const) {
      const expected = new Float32Array(10);
      ref.binary(op, a, b, expected, bc);
      eachSetting((s) => {
        const out = new Float32Array(10);
        nativeKernel('binary')(op, a, b, out, bc);
        assertClose(out, expected, `${op} specials (${s})`, { rtol: 1e-7, atol: 0 });
      });
    }
  });
});

describe('native reduce kernel matches the reference', { skip }, () => {
  const OPS: ReduceOp[] = ['sum', 'max', 'min', 'prod'];
  const VIEWS: [number, number, number][] = [
    [1, 1, 1], [1, 17, 1], [5, 33, 1], [64, 10, 1], [1, 7744, 64], [1, 100, 3], [3, 50, 70], [4, 0, 3], [0, 5, 2],
    [2, 9, 1000], [1, 2_000_000, 1], [1, 100_000, 7], [1, 43_264, 32], [3000, 500, 1],
  ];
  test('horizontal, vertical and chunked reductions', () => {
    const rng = new Rng(5);
    for (const [outer, size, inner] of VIEWS) {
      for (const op of OPS) {
        const x = op === 'prod' ? uniform(rng, outer * size * inner, 0.999, 1.001) : uniform(rng, outer * size * inner);
        const expected = new Float32Array(outer * inner);
        ref.reduce(op, x, expected, { outer, size, inner });
        eachSetting((s) => {
          const out = new Float32Array(outer * inner).fill(NaN);
          nativeKernel('reduce')(op, x, out, { outer, size, inner });
          // Float32 sums and products of n terms drift by about sqrt(n) roundings (the reference uses float64).
          assertClose(out, expected, `${op} [${outer}, ${size}, ${inner}] (${s})`, {
            rtol: 1e-6 + 2e-7 * Math.sqrt(size),
            atol: op === 'sum' ? 2e-7 * size : 0,
          });
        });
      }
    }
  });

  test('max and min propagate NaN', () => {
    const x = new Float32Array(40).fill(1);
    x[21] = NaN;
    for (const op of ['max', 'min'] as const) {
      for (const [outer, size, inner] of [[1, 40, 1], [1, 20, 2], [2, 20, 1]] as const) {
        const expected = new Float32Array(outer * inner);
        ref.reduce(op, x, expected, { outer, size, inner });
        eachSetting((s) => {
          const out = new Float32Array(outer * inner);
          nativeKernel('reduce')(op, x, out, { outer, size, inner });
          assertClose(out, expected, `${op} NaN [${outer}, ${size}, ${inner}] (${s})`, { rtol: 0, atol: 0 });
        });
      }
    }
  });
});

describe('native softmax kernels match the reference', { skip }, () => {
  test('softmax and logSoftmax, including large logits', () => {
    const rng = new Rng(6);
    for (const [rows, cols] of [[0, 5], [3, 1], [7, 10], [64, 10], [5, 100], [20_000, 33]] as const) {
      for (const scale of [1, 60]) {
        const x = uniform(rng, rows * cols, -scale, scale);
        for (const kernel of ['softmax', 'logSoftmax'] as const) {
          const expected = new Float32Array(rows * cols);
          ref[kernel](x, expected, rows, cols);
          eachSetting((s) => {
            const out = new Float32Array(rows * cols).fill(NaN);
            nativeKernel(kernel)(x, out, rows, cols);
            assertClose(out, expected, `${kernel} ${rows}x${cols} scale ${scale} (${s})`, { rtol: 1e-5, atol: 1e-6 });
          });
        }
      }
    }
  });
});
