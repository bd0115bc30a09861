import { before, describe, test } from 'node:test';
import { Rng } from '../../util/random.js';
import type { ReduceInfo } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { REDUCE_OPS } from './codes.js';
import { assertClose, eachSetting, garbage, placed, skip, sumTolerance, uniform, wasmKernel, workersReady } from './testing.js';

const REDUCTIONS: ReduceInfo[] = [
  { outer: 1, size: 1037, inner: 1 },
  { outer: 13, size: 7, inner: 1 },
  { outer: 1, size: 300, inner: 32 },
  { outer: 5, size: 9, inner: 7 },
  { outer: 3, size: 4, inner: 5 },
  { outer: 4, size: 0, inner: 3 },
  { outer: 0, size: 5, inner: 2 },
];

describe('wasm reductions, softmax and optimizer updates match the reference', { skip }, () => {
  before(workersReady);

  test('reduce: sum, max, min, prod over [outer, size, inner] views', () => {
    const rng = new Rng(50);
    eachSetting(({ name, backend }) => {
      for (const op of REDUCE_OPS) {
        for (const r of REDUCTIONS) {
          // Products stay near 1 so they neither vanish nor overflow.
          const x = op === 'prod' ? uniform(rng, r.outer * r.size * r.inner, 0.9, 1.1) : uniform(rng, r.outer * r.size * r.inner);
          if (op === 'max' && x.length > 3) x[3] = NaN;
          const expected = new Float32Array(r.outer * r.inner);
          ref.reduce(op, x, expected, r);
          const out = garbage(backend, expected.length);
          wasmKernel(backend, 'reduce')(op, placed(backend, x), out, r);
          const tolerance = op === 'sum' ? sumTolerance(r.size) : { rtol: 1e-6, atol: 1e-6 };
          assertClose(out, expected, `${name}: ${op} ${JSON.stringify(r)}`, tolerance);
        }
      }
    });
  });

  test('softmax and logSoftmax, stable for large inputs', () => {
    const rng = new Rng(51);
    eachSetting(({ name, backend }) => {
      for (const [rows, cols] of [[7, 10], [3, 1], [5, 33], [2, 1000]] as const) {
        for (const scale of [1, 1000]) {
          const x = uniform(rng, rows * cols, -scale, scale);
          for (const kernel of ['softmax', 'logSoftmax'] as const) {
            const expected = new Float32Array(x.length);
            ref[kernel](x, expected, rows, cols);
            const out = garbage(backend, x.length);
            wasmKernel(backend, kernel)(placed(backend, x), out, rows, cols);
            assertClose(out, expected, `${name}: ${kernel} ${rows}x${cols} scale ${scale}`, { rtol: 1e-5, atol: 1e-6 });
          }
        }
      }
    });
  });

  test('optimizer updates, with and without their optional slots', () => {
    const rng = new Rng(52);
    const n = 1031;
    eachSetting(({ name, backend }) => {
      const fresh = () => uniform(rng, n);
      const positive = () => uniform(rng, n, 0, 1);
      /** Runs `update` on a reference copy and a wasm copy of the same arrays; compares every array. */
      const check = (label: string, arrays: Float32Array[], update: (k: typeof ref, a: Float32Array[]) => void) => {
        const expected = arrays.map((a) => a.slice());
        update(ref, expected);
        const actual = arrays.map((a) => placed(backend, a));
        update({ ...ref, ...backend.kernels }, actual);
        actual.forEach((a, i) => assertClose(a, expected[i]!, `${name}: ${label} array ${i}`, { rtol: 1e-5, atol: 1e-6 }));
      };
      for (const nesterov of [false, true]) {
        check(`sgd momentum nesterov=${nesterov}`, [fresh(), fresh(), fresh()], (k, [p, g, v]) => k.sgdUpdate(p!, g!, v!, 0.1, 0.9, nesterov));
      }
      check('sgd plain', [fresh(), fresh()], (k, [p, g]) => k.sgdUpdate(p!, g!, null, 0.1, 0, false));
      check('rmsprop', [fresh(), fresh(), positive()], (k, [p, g, ms]) => k.rmspropUpdate(p!, g!, ms!, null, null, 0.01, 0.9, 0, 1e-7));
      check('rmsprop momentum centered', [fresh(), fresh(), positive(), fresh(), uniform(rng, n, -0.1, 0.1)],
        (k, [p, g, ms, mom, mg]) => k.rmspropUpdate(p!, g!, ms!, mom!, mg!, 0.01, 0.9, 0.5, 1e-7));
      check('adam', [fresh(), fresh(), fresh(), positive()], (k, [p, g, m, v]) => k.adamUpdate(p!, g!, m!, v!, null, 0.001, 0.9, 0.999, 1e-7));
      check('amsgrad', [fresh(), fresh(), fresh(), positive(), positive()],
        (k, [p, g, m, v, vMax]) => k.adamUpdate(p!, g!, m!, v!, vMax!, 0.001, 0.9, 0.999, 1e-7));
      check('adagrad', [fresh(), fresh(), positive()], (k, [p, g, acc]) => k.adagradUpdate(p!, g!, acc!, 0.01, 1e-7));
      check('scaleInPlace', [fresh()], (k, [p]) => k.scaleInPlace(p!, 0.99));
    });
  });
});
