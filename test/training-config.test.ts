/**
 * The saved training config carries the new losses and schedules: a loss with options and a cosine
 * schedule come back from a file as they were, and TensorFlow.js 4.22 loads the files of the losses it
 * shares, compiles with them and evaluates the same loss values as layerwise.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { IOHandler, ModelArtifacts } from '../src/index.js';
import { Adam, CosineDecay, Dense, Sequential, loadModel, losses, randomNormal, randomUniform, setSeed } from '../src/index.js';

function memory(): IOHandler & { artifacts: ModelArtifacts | null } {
  const h = {
    artifacts: null as ModelArtifacts | null,
    async save(a: ModelArtifacts) {
      // Through JSON text, as a file holds it.
      h.artifacts = { ...a, modelTopology: JSON.parse(JSON.stringify(a.modelTopology)), trainingConfig: JSON.parse(JSON.stringify(a.trainingConfig ?? null)) ?? undefined };
    },
    async load() {
      return h.artifacts!;
    },
  };
  return h;
}

describe('the training config', () => {
  test('a focal loss with options and Adam on a warmed-up cosine schedule come back from the file', async () => {
    setSeed(1);
    const model = new Sequential([new Dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
    const schedule = new CosineDecay({ initialLearningRate: 0, decaySteps: 50, warmupTarget: 0.01, warmupSteps: 5, alpha: 0.1 });
    model.compile({ optimizer: new Adam({ learningRate: schedule }), loss: new losses.BinaryFocalCrossentropy({ gamma: 3, labelSmoothing: 0.1 }), metrics: ['accuracy'] });
    const x = randomNormal([16, 3]);
    const y = randomUniform([16, 1]).greater(0.5).cast('float32');
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const h = memory();
    await model.save(h, { includeTrainingState: true });
    const config = h.artifacts!.trainingConfig!;
    assert.deepEqual(config.loss, {
      class_name: 'BinaryFocalCrossentropy',
      config: { name: 'binary_focal_crossentropy', reduction: 'sum_over_batch_size', gamma: 3, from_logits: false, label_smoothing: 0.1, apply_class_balancing: false, alpha: 0.25 },
    });
    assert.equal((config.optimizer_config.config['learning_rate'] as { class_name: string }).class_name, 'CosineDecay');
    const loaded = await loadModel(h);
    const loss = loaded.loss;
    assert.ok(loss instanceof losses.BinaryFocalCrossentropy);
    assert.deepEqual(loss.options, { gamma: 3, fromLogits: false, labelSmoothing: 0.1, applyClassBalancing: false, alpha: 0.25 });
    const restored = loaded.optimizer!;
    assert.equal(restored.iterations, 8);
    for (const step of [0, 3, 5, 20, 60]) assert.equal(restored.schedule!.at(step), schedule.at(step));
    assert.equal(restored.learningRate, schedule.at(8));
    const [a] = await model.evaluate(x, y, { verbose: 0 });
    const [b] = await loaded.evaluate(x, y, { verbose: 0 });
    assert.equal(b, a);
  });
});

describe('TensorFlow.js 4.22 reads the losses it shares', () => {
  setSeed(2);
  const x = randomNormal([12, 4]);
  const positive = randomUniform([12, 3], { minval: 0.1, maxval: 2 });
  const distribution = positive.div(positive.sum(-1, { keepDims: true }));
  const signs = randomUniform([12, 3]).greater(0.5).cast('float32').mul(2).sub(1);
  const oneHot = tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0, 2, 2, 0, 1, 0, 1, 2], 'int32'), 3).arraySync() as number[][];
  const cases: [string, string, 'linear' | 'softmax' | 'softplus', () => number[][]][] = [
    ['kld', 'kullback_leibler_divergence', 'softmax', () => distribution.toArray() as number[][]],
    ['log_cosh', 'logcosh', 'linear', () => positive.toArray() as number[][]],
    ['cosine_similarity', 'cosine_proximity', 'linear', () => signs.toArray() as number[][]],
    ['mape', 'mean_absolute_percentage_error', 'linear', () => positive.toArray() as number[][]],
    ['msle', 'mean_squared_logarithmic_error', 'softplus', () => positive.toArray() as number[][]],
    ['poisson', 'poisson', 'softplus', () => positive.mul(3).round().toArray() as number[][]],
    ['hinge', 'hinge', 'linear', () => signs.toArray() as number[][]],
    ['squared_hinge', 'squared_hinge', 'linear', () => signs.toArray() as number[][]],
    ['categorical_hinge', 'categorical_hinge', 'linear', () => oneHot],
  ];
  for (const [name, saved, activation, labels] of cases) {
    test(`${name}: saved as '${saved}', compiled by TensorFlow.js, the same loss value`, async () => {
      const model = new Sequential([new Dense({ units: 3, activation, inputShape: [4] })]);
      model.compile({ optimizer: 'sgd', loss: name });
      const h = memory();
      await model.save(h);
      assert.equal(h.artifacts!.trainingConfig!.loss, saved);
      const tfModel = await tf.loadLayersModel(tf.io.fromMemory(h.artifacts as tf.io.ModelArtifacts));
      const y = labels();
      const [ours] = await model.evaluate(x, y, { verbose: 0, batchSize: 12 });
      const theirs = (tfModel.evaluate(tf.tensor(x.toArray() as number[][]), tf.tensor(y), { batchSize: 12 }) as tf.Scalar).dataSync()[0]!;
      assert.ok(Math.abs(ours! - theirs) <= 1e-5 * Math.max(1, Math.abs(theirs)), `layerwise ${ours}, TensorFlow.js ${theirs}`);
    });
  }
});
