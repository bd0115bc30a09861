import { before, describe, test } from 'node:test';
import { Rng } from '../../util/random.js';
import type { Epilogue, FusableActivation, MatmulInfo } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { FUSABLE_ACTIVATIONS } from './codes.js';
import { assertClose, eachSetting, garbage, placed, skip, sumTolerance, uniform, wasmKernel, workersReady } from './testing.js';

interface Case {
  batch?: number;
  m: number;
  n: number;
  k: number;
  /** Broadcast one A (or B) matrix over the batch. */
  shareA?: boolean;
  shareB?: boolean;
}

const CASES: Case[] = [
  { m: 1, n: 1, k: 1 },
  { m: 5, n: 7, k: 3 },
  { m: 4, n: 8, k: 16 },
  { m: 67, n: 45, k: 33 },
  // Past one depth block (256), one row block (128) and one column block (512).
  { m: 131, n: 9, k: 257 },
  { m: 6, n: 523, k: 19 },
  { m: 64, n: 64, k: 576 },
  { batch: 3, m: 7, n: 5, k: 6 },
  { batch: 4, m: 9, n: 13, k: 11, shareA: true },
  { batch: 2, m: 3, n: 17, k: 10, shareB: true },
  // Empty results and an empty sum (k = 0: the output is act(bias)).
  { m: 0, n: 5, k: 3 },
  { m: 4, n: 0, k: 3 },
  { batch: 0, m: 4, n: 4, k: 4 },
  { m: 3, n: 6, k: 0 },
];

const ACTIVATION_ALPHA: Record<FusableActivation, number> = {
  linear: 0, relu: 0, leakyRelu: 0.2, elu: 0.7, selu: 0, sigmoid: 0, tanh: 0, softplus: 0,
};

describe('wasm matmul matches the reference', { skip }, () => {
  before(workersReady);

  test('every shape, transposes and batch broadcast, with and without an epilogue', () => {
    const rng = new Rng(1);
    eachSetting(({ name, backend }) => {
      const matmul = wasmKernel(backend, 'matmul');
      for (const c of CASES) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const batch = c.batch ?? 1;
            const info: MatmulInfo = {
              batch, m: c.m, n: c.n, k: c.k, transA, transB,
              aBatchStride: c.shareA ? 0 : c.m * c.k, bBatchStride: c.shareB ? 0 : c.k * c.n,
            };
            const a = uniform(rng, (c.shareA ? 1 : batch) * c.m * c.k), b = uniform(rng, (c.shareB ? 1 : batch) * c.k * c.n);
            const epilogues: (Epilogue | null)[] = [null, { bias: uniform(rng, c.n), activation: 'relu', alpha: 0 }];
            for (const epilogue of epilogues) {
              const label = `${name}: ${JSON.stringify(c)} transA ${transA} transB ${transB} ${epilogue ? 'bias+relu' : 'plain'}`;
              const expected = new Float32Array(batch * c.m * c.n);
              ref.matmul(a, b, expected, info, epilogue);
              const out = garbage(backend, expected.length);
              const bias = epilogue?.bias ? placed(backend, epilogue.bias) : null;
              matmul(placed(backend, a), placed(backend, b), out, info, epilogue && { ...epilogue, bias });
              assertClose(out, expected, label, sumTolerance(c.k));
            }
          }
        }
      }
    });
  });

  test('every fused activation, with and without bias, at edge tiles', () => {
    const rng = new Rng(2);
    eachSetting(({ name, backend }) => {
      const matmul = wasmKernel(backend, 'matmul');
      const m = 13, n = 11, k = 21;
      const info: MatmulInfo = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      const a = uniform(rng, m * k, -2, 2), b = uniform(rng, k * n, -2, 2);
      for (const activation of FUSABLE_ACTIVATIONS) {
        for (const bias of [null, uniform(rng, n)]) {
          const epilogue: Epilogue = { bias, activation, alpha: ACTIVATION_ALPHA[activation] };
          const expected = new Float32Array(m * n);
          ref.matmul(a, b, expected, info, epilogue);
          const out = garbage(backend, m * n);
          matmul(placed(backend, a), placed(backend, b), out, info, { ...epilogue, bias: bias && placed(backend, bias) });
          assertClose(out, expected, `${name}: ${activation} ${bias ? 'with' : 'without'} bias`, { rtol: 2e-5, atol: 2e-5 });
        }
      }
    });
  });
});
