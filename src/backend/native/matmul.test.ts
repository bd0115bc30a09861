import { describe, test } from 'node:test';
import { Rng } from '../../util/random.js';
import type { Epilogue, FusableActivation, MatmulInfo } from '../kernels.js';
import { referenceKernels as ref } from '../reference/index.js';
import { assertClose, eachSetting, nativeKernel, skip, uniform } from './testing.js';

/** Float32 dot products of length k with terms in [-1, 1] are off by about sqrt(k) roundings. */
function tolerance(k: number): { rtol: number; atol: number } {
  return { rtol: 1e-5, atol: 2e-6 * Math.sqrt(k + 1) };
}

function check(rng: Rng, info: MatmulInfo, epilogue: Epilogue | null, label: string): void {
  const { batch, m, n, k, transA, transB } = info;
  const aSize = (batch - 1) * info.aBatchStride + m * k, bSize = (batch - 1) * info.bBatchStride + k * n;
  const a = uniform(rng, Math.max(aSize, 0)), b = uniform(rng, Math.max(bSize, 0));
  const expected = new Float32Array(batch * m * n);
  ref.matmul(a, b, expected, info, epilogue);
  eachSetting((s) => {
    const out = new Float32Array(batch * m * n).fill(NaN);
    nativeKernel('matmul')(a, b, out, info, epilogue);
    assertClose(out, expected, `${label} ${m}x${n}x${k} transA=${transA} transB=${transB} batch=${batch} (${s})`, tolerance(k));
  });
}

function single(m: number, n: number, k: number, transA: boolean, transB: boolean): MatmulInfo {
  return { batch: 1, m, n, k, transA, transB, aBatchStride: m * k, bBatchStride: k * n };
}

describe('native matmul matches the reference', { skip }, () => {
  const SHAPES: [number, number, number][] = [
    [1, 1, 1], [3, 5, 7], [12, 32, 1], [13, 33, 17], [64, 64, 64], [100, 70, 300], [129, 65, 257], [7, 200, 9],
    [0, 5, 3], [5, 0, 3], [5, 3, 0], [160, 160, 160],
  ];
  test('every transpose combination, sizes off the register blocking', () => {
    const rng = new Rng(10);
    for (const [m, n, k] of SHAPES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) check(rng, single(m, n, k, transA, transB), null, 'plain');
      }
    }
  });

  test('large products split across threads and cache blocks', () => {
    const rng = new Rng(11);
    check(rng, single(300, 530, 600, false, false), null, 'large');
    check(rng, single(257, 1100, 40, true, true), null, 'wide');
  });

  test('batches, including a broadcast (stride 0) operand', () => {
    const rng = new Rng(12);
    check(rng, { batch: 3, m: 17, n: 20, k: 9, transA: false, transB: false, aBatchStride: 17 * 9, bBatchStride: 9 * 20 }, null, 'batched');
    check(rng, { batch: 4, m: 33, n: 5, k: 40, transA: true, transB: false, aBatchStride: 33 * 40, bBatchStride: 0 }, null, 'broadcast b');
    check(rng, { batch: 5, m: 64, n: 64, k: 64, transA: false, transB: true, aBatchStride: 0, bBatchStride: 64 * 64 }, null, 'broadcast a');
    check(rng, { batch: 0, m: 3, n: 3, k: 3, transA: false, transB: false, aBatchStride: 9, bBatchStride: 9 }, null, 'empty batch');
  });

  test('fused bias and every activation', () => {
    const rng = new Rng(13);
    const activations: FusableActivation[] = ['linear', 'relu', 'leakyRelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus'];
    for (const activation of activations) {
      // The last shape has K longer than one cache block: the epilogue follows the final accumulation.
      for (const [m, n, k] of [[13, 37, 20], [70, 64, 90], [4, 3, 0], [40, 96, 700]] as const) {
        const bias = uniform(rng, n);
        check(rng, single(m, n, k, false, false), { bias, activation, alpha: 0.2 }, `bias+${activation}`);
        check(rng, single(m, n, k, true, false), { bias: null, activation, alpha: 0.7 }, activation);
      }
    }
  });
});
