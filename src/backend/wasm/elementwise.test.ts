import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { broadcastShapes, broadcastStrides } from '../../util/shape.js';
import { Rng } from '../../util/random.js';
import type { BinaryOp, Broadcast, DifferentiableUnaryOp, UnaryOp } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { BINARY_OPS, UNARY_OPS } from './codes.js';
import { collapse } from './kernels/elementwise.js';
import { assertClose, eachSetting, garbage, placed, sizeOf, skip, uniform, wasmKernel, workersReady } from './testing.js';

/** Inputs inside each op's domain (and away from the kinks of its derivative). */
function domain(op: UnaryOp): [number, number] {
  switch (op) {
    case 'sqrt': case 'rsqrt': case 'log': return [0.01, 5];
    case 'log1p': return [-0.9, 5];
    case 'reciprocal': return [0.1, 4];
    case 'exp': case 'softplus': case 'elu': case 'selu': return [-20, 20];
    default: return [-6, 6];
  }
}

/** Values every op must treat like the reference: signed zeros, infinities, NaN, tiny and huge numbers. */
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 2.5, -2.5, 30, -30, 90, -90, 1e30, -1e30];

const DIFFERENTIABLE = UNARY_OPS.filter((op): op is DifferentiableUnaryOp => !['sign', 'floor', 'ceil', 'round'].includes(op));
const ALPHA: Partial<Record<UnaryOp, number>> = { leakyRelu: 0.2, elu: 0.7 };

function broadcast(aShape: number[], bShape: number[]): Broadcast {
  const shape = broadcastShapes('test', aShape, bShape);
  return { shape, size: sizeOf(shape), aStrides: broadcastStrides(aShape, shape), bStrides: broadcastStrides(bShape, shape) };
}

const BROADCASTS: [number[], number[]][] = [
  [[1037], [1037]],
  [[], []],
  [[], [5, 7]],
  [[5, 7], []],
  [[33, 10], [10]],
  [[33, 10], [33, 1]],
  [[4, 1, 6], [4, 5, 6]],
  [[3, 1, 5, 1], [1, 4, 1, 7]],
  [[2, 3, 1, 5, 2], [3, 4, 1, 2]],
  [[2, 1, 2, 1, 2, 1], [1, 2, 1, 2, 1, 2]],
  [[0, 3], [3]],
];

describe('wasm elementwise kernels match the reference', { skip }, () => {
  before(workersReady);

  test('unary: every op on random inputs of an odd length and on special values', () => {
    const rng = new Rng(40);
    eachSetting(({ name, backend }) => {
      const unary = wasmKernel(backend, 'unary');
      for (const op of UNARY_OPS) {
        const alpha = ALPHA[op] ?? 0;
        const [low, high] = domain(op);
        for (const x of [uniform(rng, 1037, low, high), Float32Array.from(SPECIALS)]) {
          const expected = new Float32Array(x.length);
          ref.unary(op, x, expected, alpha);
          const out = garbage(backend, x.length);
          unary(op, placed(backend, x), out, alpha);
          assertClose(out, expected, `${name}: ${op}`, { rtol: 4e-6, atol: 1e-6 });
        }
      }
    });
  });

  test('unaryGrad: every differentiable op', () => {
    const rng = new Rng(41);
    eachSetting(({ name, backend }) => {
      const unaryGrad = wasmKernel(backend, 'unaryGrad');
      for (const op of DIFFERENTIABLE) {
        const alpha = ALPHA[op] ?? 0;
        const [low, high] = domain(op);
        const x = uniform(rng, 515, low, high), dy = uniform(rng, 515);
        const y = new Float32Array(x.length);
        ref.unary(op, x, y, alpha);
        const expected = new Float32Array(x.length);
        ref.unaryGrad(op, x, y, dy, expected, alpha);
        const out = garbage(backend, x.length);
        unaryGrad(op, placed(backend, x), placed(backend, y), placed(backend, dy), out, alpha);
        assertClose(out, expected, `${name}: ${op}'`, { rtol: 1e-5, atol: 1e-6 });
      }
    });
  });

  test('binary: every op under every kind of broadcast', () => {
    const rng = new Rng(42);
    eachSetting(({ name, backend }) => {
      const binary = wasmKernel(backend, 'binary');
      for (const op of BINARY_OPS) {
        for (const [aShape, bShape] of BROADCASTS) {
          const bc = broadcast(aShape, bShape);
          const positive = op === 'pow';
          const a = uniform(rng, sizeOf(aShape), positive ? 0.1 : -3, 3), b = uniform(rng, sizeOf(bShape), positive ? -2 : -3, positive ? 2 : 3);
          const expected = new Float32Array(bc.size);
          ref.binary(op, a, b, expected, bc);
          const out = garbage(backend, bc.size);
          binary(op, placed(backend, a), placed(backend, b), out, bc);
          assertClose(out, expected, `${name}: ${op} [${aShape}] with [${bShape}]`, { rtol: 2e-6, atol: 1e-7 });
        }
      }
    });
  });

  test('binary: special values follow the reference (NaN in maximum, pow of 1 and Infinity)', () => {
    const values = [0, -0, 1, -1, 2, Infinity, -Infinity, NaN, 0.5];
    const a = Float32Array.from(values.flatMap((v) => values.map(() => v)));
    const b = Float32Array.from(values.flatMap(() => values));
    const bc = broadcast([a.length], [b.length]);
    eachSetting(({ name, backend }) => {
      for (const op of BINARY_OPS satisfies readonly BinaryOp[]) {
        const expected = new Float32Array(a.length);
        ref.binary(op, a, b, expected, bc);
        const out = garbage(backend, a.length);
        wasmKernel(backend, 'binary')(op, placed(backend, a), placed(backend, b), out, bc);
        assertClose(out, expected, `${name}: ${op} on special values`, { rtol: 1e-6, atol: 0 });
      }
    });
  });

  test('broadcasts collapse to few dimensions', () => {
    assert.deepEqual(collapse(broadcast([33, 10], [33, 10])), { shape: [330], aStrides: [1], bStrides: [1] });
    assert.deepEqual(collapse(broadcast([33, 10], [10])), { shape: [33, 10], aStrides: [10, 1], bStrides: [0, 1] });
    assert.deepEqual(collapse(broadcast([2, 3, 4], [])), { shape: [24], aStrides: [1], bStrides: [0] });
    assert.deepEqual(collapse(broadcast([4, 1, 6], [4, 5, 6])), { shape: [4, 5, 6], aStrides: [6, 0, 1], bStrides: [30, 6, 1] });
  });

  test('clip and fill', () => {
    const rng = new Rng(43);
    eachSetting(({ name, backend }) => {
      const x = Float32Array.from([...uniform(rng, 101, -3, 3), NaN, Infinity, -Infinity]);
      const expected = new Float32Array(x.length);
      ref.clip(x, expected, -1, 2);
      const out = garbage(backend, x.length);
      wasmKernel(backend, 'clip')(placed(backend, x), out, -1, 2);
      assertClose(out, expected, `${name}: clip`, { rtol: 0, atol: 0 });
      const filled = garbage(backend, 37);
      wasmKernel(backend, 'fill')(filled, 2.5);
      assert.ok(filled.every((v) => v === 2.5), `${name}: fill`);
    });
  });
});
