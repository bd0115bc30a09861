/**
 * The seed's convnet, made small, trains on the webgpu backend with the losses and weights the CPU
 * backend gives. Where no WebGPU adapter can be had (no Vulkan loader, no SwiftShader driver), the test
 * skips and says why.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, setBackend, setBackendAsync } from '../src/backend/index.js';
import { prepare } from '../src/backend/webgpu/testing.js';
import { webgpuStats } from '../src/backend/webgpu/index.js';
import {
  Conv2D, Dense, Flatten, MaxPooling2D, Sequential, datasets, setSeed, toCategorical,
} from '../src/index.js';
import type { Tensor } from '../src/index.js';

const why = await prepare();

const IMAGES = 48;
const { train } = datasets.mnist.loadData();
// Real digits (Uint8Array pixels scaled to [0, 1]), cropped to 20 x 20 so that a step stays cheap on a software adapter.
const x = train.x.slice([0, 4, 4], [IMAGES, 20, 20]).reshape([IMAGES, 20, 20, 1]).div(255);
const y = toCategorical(train.y.slice([0], [IMAGES]), 10);

async function trainOn(name: 'webgpu' | 'reference'): Promise<{ losses: number[]; weights: Float32Array[]; accuracy: number[] }> {
  if (name === 'webgpu') await setBackendAsync('webgpu');
  else setBackend(name);
  setSeed(7);
  const model = new Sequential();
  model.add(new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [20, 20, 1] }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: 2 }));
  model.add(new Flatten());
  model.add(new Dense({ units: 16, activation: 'relu' }));
  model.add(new Dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const losses: number[] = [];
  const history = await model.fit(x, y, {
    epochs: 2, batchSize: 16, shuffle: false, verbose: 0,
    callbacks: [{ onBatchEnd: (_step: number, logs?: Record<string, number>) => void losses.push(logs!['loss']!) }],
  });
  const weights = await Promise.all(model.getWeights().map(async (w: Tensor) => (await w.dataAsync()) as Float32Array));
  return { losses, weights, accuracy: history.history['accuracy'] as number[] };
}

test('the small convnet trains on webgpu with the losses and weights of the reference backend', { skip: why === false ? false : `no WebGPU here: ${why}` }, async () => {
  const before = backend();
  try {
    const cpu = await trainOn('reference');
    const gpu = await trainOn('webgpu');
    assert.equal(backend(), 'webgpu');
    assert.equal(gpu.losses.length, 6);
    for (const [i, l] of cpu.losses.entries()) {
      assert.ok(Math.abs(gpu.losses[i]! - l) <= 1e-4 * Math.max(1, Math.abs(l)), `step ${i + 1}: loss ${gpu.losses[i]} on webgpu, ${l} on reference`);
    }
    // The losses moved: the model trained (not a run of no-ops that agree).
    assert.ok(cpu.losses[cpu.losses.length - 1]! < cpu.losses[0]!, `losses ${cpu.losses.join(', ')}`);
    assert.deepEqual(gpu.accuracy, cpu.accuracy);
    for (const [k, w] of cpu.weights.entries()) {
      const g = gpu.weights[k]!;
      let worst = 0;
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!));
      assert.ok(worst <= 1e-3, `weight ${k}: largest difference ${worst}`);
    }
    // The step's kernels ran on the GPU: the convolutions, matmuls, pooling, softmax and the optimizer.
    const stats = webgpuStats()!;
    assert.ok(stats.dispatches > 0);
    for (const kernel of ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'matmul', 'maxPool2d', 'maxPool2dGrad', 'expression']) {
      assert.equal(stats.fallbacks[kernel] ?? 0, 0, `${kernel} fell back to the CPU: ${JSON.stringify(stats.fallbacks)}`);
    }
    console.log(`webgpu training: ${JSON.stringify({ fallbacks: stats.fallbacks, submits: stats.submits, dispatches: stats.dispatches, downloads: stats.downloads })}`);
  } finally {
    setBackend(before as 'reference');
  }
});
