import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { matmul } from '../ops/index.js';
import { setSeed } from '../util/random.js';
import type { Distribution, FanMode } from './initializers.js';
import { Identity, Orthogonal, VarianceScaling, getInitializer, initializerFromConfig, serializeInitializer } from './initializers.js';

function assertIdentity(m: ReturnType<typeof matmul>, scale: number, what: string): void {
  const rows = m.toArray() as number[][];
  rows.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? scale : 0)) < 1e-5, `${what}[${i}][${j}] = ${v}`)));
}

describe('Orthogonal and Identity', () => {
  test('Orthogonal: orthonormal columns when tall, orthonormal rows when wide, times the gain', () => {
    setSeed(1);
    const tall = new Orthogonal().init([30, 8], 'float64');
    assertIdentity(matmul(tall, tall, { transposeA: true }), 1, 'QᵀQ');
    const wide = new Orthogonal({ gain: 2 }).init([5, 12], 'float64');
    assertIdentity(matmul(wide, wide, { transposeB: true }), 4, 'QQᵀ with gain 2');
    const conv = new Orthogonal().init([3, 3, 4, 16], 'float32');
    const flat = conv.reshape([36, 16]);
    assertIdentity(matmul(flat, flat, { transposeA: true }), 1, 'a conv kernel flattened to [kH * kW * in, out]');
    setSeed(2);
    const other = new Orthogonal().init([30, 8], 'float64');
    assert.ok(other.sub(tall).abs().max().item() > 0.1, 'draws depend on the seed');
    assert.throws(() => new Orthogonal().init([4], 'float32'), /Orthogonal: expected a shape of rank 2 or more/);
  });

  test('Identity: the gain on the main diagonal, also for non-square shapes', () => {
    assert.deepEqual(new Identity({ gain: 3 }).init([2, 3], 'float32').toArray(), [[3, 0, 0], [0, 3, 0]]);
    assert.deepEqual(getInitializer('identity').init([2, 2], 'float32').toArray(), [[1, 0], [0, 1]]);
    assert.throws(() => new Identity().init([2, 2, 2], 'float32'), /Identity: expected a 2-D shape/);
  });
});

describe('VarianceScaling: every mode and distribution', () => {
  const shape = [3, 3, 40, 60]; // fanIn 360, fanOut 540, fanAvg 450
  const fans: Record<FanMode, number> = { fanIn: 360, fanOut: 540, fanAvg: 450 };
  for (const mode of ['fanIn', 'fanOut', 'fanAvg'] as const) {
    for (const distribution of ['truncatedNormal', 'untruncatedNormal', 'uniform'] as const satisfies readonly Distribution[]) {
      test(`${mode}, ${distribution}: variance scale / fan`, () => {
        setSeed(3);
        const w = new VarianceScaling({ scale: 2, mode, distribution }).init(shape, 'float64');
        const expected = 2 / fans[mode];
        const variance = w.square().mean().item();
        assert.ok(Math.abs(variance / expected - 1) < 0.03, `variance ${variance}, expected ${expected}`);
        const largest = w.abs().max().item();
        const bound = distribution === 'uniform' ? Math.sqrt(3 * expected) : distribution === 'truncatedNormal' ? (2 * Math.sqrt(expected)) / 0.8796256610342398 : Infinity;
        assert.ok(largest <= bound, `largest |w| ${largest} within ${bound}`);
        if (distribution === 'untruncatedNormal') assert.ok(largest > 3 * Math.sqrt(expected), 'an untruncated normal reaches beyond two deviations');
      });
    }
  }

  test('modes and distributions in Keras spelling too; anything else is refused', () => {
    const v = new VarianceScaling({ mode: 'fan_out' as FanMode, distribution: 'untruncated_normal' as Distribution });
    assert.deepEqual([v.mode, v.distribution], ['fanOut', 'untruncatedNormal']);
    assert.throws(() => new VarianceScaling({ mode: 'fanin' as FanMode }), /VarianceScaling: option 'mode' expected one of "fanIn", "fanOut", "fanAvg".*did you mean "fanIn"/);
    assert.throws(() => new VarianceScaling({ scale: 0 }), /option 'scale' expected a positive number/);
  });
});

test('saved forms round-trip, in Keras 2, Keras 3 and TensorFlow.js class names', () => {
  for (const init of [new Orthogonal({ gain: 1.5 }), new Identity({ gain: 0.5 }), new VarianceScaling({ scale: 3, mode: 'fanAvg', distribution: 'untruncatedNormal' })]) {
    const saved = serializeInitializer(init, 'test', 'kernelInitializer');
    assert.deepEqual(serializeInitializer(initializerFromConfig(saved, 'test')!, 'test', 'kernelInitializer'), saved);
  }
  assert.ok(initializerFromConfig({ class_name: 'OrthogonalInitializer', config: { gain: 2, seed: null } }, 'k') instanceof Orthogonal, 'Keras 3');
  assert.ok(initializerFromConfig({ class_name: 'IdentityInitializer', config: { gain: 2 } }, 'k') instanceof Identity, 'Keras 3');
  const tfjs = initializerFromConfig({ class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'normal', seed: null } }, 'k') as VarianceScaling;
  assert.equal(tfjs.distribution, 'truncatedNormal', "TensorFlow.js writes 'normal' for the truncated normal");
});
