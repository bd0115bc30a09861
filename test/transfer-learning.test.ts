/**
 * Transfer learning as examples/transfer-learning.ts does it, at a size that trains in a moment: a
 * MobileNetV2-style model saved in TensorFlow.js's format and loaded back, its base taken from an inner
 * layer's output and frozen under a new head, then its top block unfrozen with its BatchNormalization kept
 * frozen. Checks which weights each phase changes (exactly) and that a frozen BatchNormalization inside the
 * loaded base normalizes with its moving statistics while the model trains.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { SymbolicTensor, Tensor, Variable } from '../src/index.js';
import {
  Adam, Add, BatchNormalization, Conv2D, Dense, DepthwiseConv2D, GlobalAveragePooling2D, Input, Model, ReLU, ZeroPadding2D, loadModel,
  randomNormal, randomUniform, setSeed, tensor,
} from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'layerwise-transfer-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const apply = (x: SymbolicTensor, ...layers: { apply(x: SymbolicTensor): unknown }[]): SymbolicTensor =>
  layers.reduce((h, l) => l.apply(h) as SymbolicTensor, x);

/** Stem, one inverted residual block, a top block, 'features' and a classifier. */
function pretrained(): Model {
  const input = Input({ shape: [7, 7, 2] });
  const stem = apply(input, new ZeroPadding2D({ padding: [[0, 1], [0, 1]] }), new Conv2D({ filters: 4, kernelSize: 3, strides: 2, name: 'stem_conv' }),
    new BatchNormalization({ name: 'stem_bn' }), new ReLU({ maxValue: 6 }));
  const block = apply(stem, new DepthwiseConv2D({ kernelSize: 3, padding: 'same', name: 'block_depthwise' }), new BatchNormalization({ name: 'block_bn' }),
    new ReLU({ maxValue: 6 }), new Conv2D({ filters: 4, kernelSize: 1, name: 'block_project' }));
  const top = apply(new Add().apply([stem, block]) as SymbolicTensor, new Conv2D({ filters: 6, kernelSize: 1, name: 'top_conv' }),
    new BatchNormalization({ name: 'top_bn' }), new ReLU({ maxValue: 6 }));
  const features = apply(top, new GlobalAveragePooling2D({ name: 'features' }));
  return new Model({ inputs: input, outputs: apply(features, new Dense({ units: 3, activation: 'softmax', name: 'old_head' })) });
}

const snapshot = (vs: readonly Variable[]): number[][] => vs.map((v) => Array.from(v.data()));
const names = (vs: readonly Variable[]): string[] => vs.map((v) => v.name).sort();

function maxDifference(a: Tensor, b: Tensor): number {
  return a.sub(b).abs().max().item();
}

test('a loaded base, frozen under a new head and then partly unfrozen, trains exactly the weights it should', async () => {
  setSeed(16);
  const original = pretrained();
  // Moving statistics unlike a batch's own (so inference and training modes differ), with means near 0 so
  // that ReLU(6) after them stays active and gradients reach the layers below.
  for (const name of ['stem_bn', 'block_bn', 'top_bn']) {
    const [gamma, beta] = original.getLayer(name).getWeights() as [Tensor, Tensor];
    const n = gamma.shape[0]!;
    original.getLayer(name).setWeights([gamma, beta, randomUniform([n], { minval: -0.3, maxval: 0.3 }), randomUniform([n], { minval: 2, maxval: 3 })]);
  }
  const x = randomNormal([12, 7, 7, 2]);
  await original.save(join(scratch, 'pretrained'));
  const loaded = await loadModel(join(scratch, 'pretrained'), { compile: false });
  assert.ok(maxDifference(loaded.predictOnBatch(x), original.predictOnBatch(x)) < 1e-6, 'the TF.js-format file round-trips');

  const base = new Model({ inputs: loaded.inputs, outputs: loaded.getLayer('features').output, name: 'base' });
  base.trainable = false;
  const input = Input({ shape: [7, 7, 2] });
  const model = new Model({ inputs: input, outputs: new Dense({ units: 2, activation: 'softmax', name: 'new_head' }).apply(base.apply(input) as SymbolicTensor) as SymbolicTensor });
  const head = model.getLayer('new_head');
  assert.deepEqual(names(model.trainableWeights), names(head.trainableWeights), 'frozen: only the new head trains');
  assert.equal(model.nonTrainableWeights.length, base.weights.length);

  // Frozen BatchNormalization: training mode is inference mode (moving statistics), inside the nested base.
  assert.equal(maxDifference(model.callAll([x], { training: true })[0]!, model.predictOnBatch(x)), 0);
  const y = tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1], [12], 'int32');
  const baseBefore = snapshot(base.weights), headBefore = snapshot(head.weights);
  model.compile({ optimizer: new Adam({ learningRate: 1e-2 }), loss: 'sparse_categorical_crossentropy' });
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  assert.deepEqual(snapshot(base.weights), baseBefore, 'the frozen base, moving statistics included, did not move');
  assert.notDeepEqual(snapshot(head.weights), headBefore, 'the head trained');

  // Fine-tuning: the top block trains again, its BatchNormalization stays frozen (as Keras's guide advises).
  base.trainable = true;
  for (const layer of base.layers) layer.trainable = layer.name.startsWith('top_') && !(layer instanceof BatchNormalization);
  const topConv = base.getLayer('top_conv');
  assert.deepEqual(names(model.trainableWeights), names([...topConv.trainableWeights, ...head.trainableWeights]));
  assert.equal(maxDifference(model.callAll([x], { training: true })[0]!, model.predictOnBatch(x)), 0, 'every BatchNormalization still in inference mode');
  const frozenLayers = base.layers.filter((l) => l !== topConv);
  const frozenBefore = frozenLayers.map((l) => snapshot(l.weights)), topBefore = snapshot(topConv.weights);
  model.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  assert.deepEqual(frozenLayers.map((l) => snapshot(l.weights)), frozenBefore, 'the rest of the base did not move');
  assert.notDeepEqual(snapshot(topConv.weights), topBefore, 'the unfrozen top block trained');

  // Unfreezing the BatchNormalization too brings batch statistics back in training.
  base.getLayer('top_bn').trainable = true;
  assert.ok(maxDifference(model.callAll([x], { training: true })[0]!, model.predictOnBatch(x)) > 1e-4);
});
