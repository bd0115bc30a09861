/**
 * A step's memory goes back when the step ends (src/models/step-memory.ts): on the native backend the
 * activations of a prediction and of a training step return to the addon's block cache before any
 * collection could run, while what outlives the step (outputs, weights, optimizer slots, a stateful
 * layer's states) stays readable and gives the same numbers as the reference backend.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lw from '../src/index.js';
import { loadAddon } from '../src/backend/native/addon.js';
import { skip } from '../src/backend/native/testing.js';

const BATCH = 64;
/** The convolution's output, the largest activation: 64 x 26 x 26 x 16 float32. */
const ACTIVATION_BYTES = BATCH * 26 * 26 * 16 * 4;

function build(): lw.Sequential {
  lw.setSeed(7);
  const model = new lw.Sequential();
  model.add(new lw.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(new lw.Flatten());
  model.add(new lw.Dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy' });
  return model;
}

function data(): { x: lw.Tensor; y: lw.Tensor } {
  const x = lw.tensor(Float32Array.from({ length: BATCH * 784 }, (_, i) => ((i * 37) % 256) / 255), { shape: [BATCH, 28, 28, 1] });
  const y = lw.tensor(Int32Array.from({ length: BATCH }, (_, i) => i % 10), { shape: [BATCH] });
  return { x, y };
}

/** Losses of three steps and the predictions after them, on one backend; `fresh` counts new native blocks. */
function run(backend: 'native' | 'reference', fresh?: () => number): { losses: number[]; predictions: Float32Array; newBlocks: number } {
  lw.setBackend(backend);
  const model = build();
  const { x, y } = data();
  // Warm-up: the first step creates the weights and slots, the first prediction its own sizes.
  const losses = [model.trainOnBatch(x, y)[0]!];
  model.predictOnBatch(x);
  const before = fresh?.() ?? 0;
  for (let step = 0; step < 2; step++) losses.push(model.trainOnBatch(x, y)[0]!);
  model.predictOnBatch(x);
  const predictions = model.predictOnBatch(x).data() as Float32Array;
  return { losses, predictions, newBlocks: (fresh?.() ?? 0) - before };
}

test('native: steps and predictions give their activations back at once, and keep what outlives them', { skip }, () => {
  const addon = loadAddon();
  assert.ok(!('error' in addon));
  const previous = lw.backend() as 'native';
  try {
    // Synchronous calls with no turn of the event loop: without the release, every call would need new
    // blocks, as the collector's finalizers could not have returned the old ones.
    const native = run('native', () => addon.cacheStats().freshBlocks);
    assert.equal(native.newBlocks, 0, 'steps after the first reuse the blocks of the one before');
    const reference = run('reference');
    native.losses.forEach((loss, i) => assert.ok(Math.abs(loss - reference.losses[i]!) < 1e-4, `step ${i}: ${loss} against ${reference.losses[i]}`));
    assert.equal(native.predictions.length, BATCH * 10);
    native.predictions.forEach((p, i) => assert.ok(Math.abs(p - reference.predictions[i]!) < 1e-4, `prediction ${i}`));
  } finally {
    lw.setBackend(previous);
  }
});

test('a stateful LSTM carries its states across predictions whose memory is given back', () => {
  lw.setSeed(3);
  const x = lw.tensor(Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), { shape: [2, 5, 3] });
  const make = (stateful: boolean) => {
    lw.setSeed(3);
    const model = new lw.Sequential();
    model.add(new lw.LSTM({ units: 4, stateful, inputShape: [stateful ? 5 : 10, 3] }));
    return model;
  };
  const stateful = make(true);
  assert.ok(lw.backend() === 'native' || lw.backend() === 'wasm' || lw.backend() === 'reference');
  stateful.predictOnBatch(x);
  const second = stateful.predictOnBatch(x).data();
  // The same weights over the two halves at once.
  const plain = make(false);
  plain.setWeights(stateful.getWeights());
  const whole = plain.predictOnBatch(lw.concat([x, x], 1)).data();
  second.forEach((v, i) => assert.ok(Math.abs(v - whole[i]!) < 1e-5, `state ${i}: ${v} against ${whole[i]}`));
});
