/**
 * fit, evaluate and predict on a Dataset: the numbers equal the same data given as tensors (same seed,
 * no shuffling), elements in every accepted form, stepsPerEpoch over a stream that goes on across
 * epochs, a validation Dataset, the progress line's share of time waiting for data, exact resume from
 * the middle of an epoch, and the mistakes a user makes with datasets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { Dataset } from '../data/index.js';
import { BatchNormalization, Concatenate, Dense, Dropout, Input } from '../layers/index.js';
import { randomNormal } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import type { Callback } from './callbacks/callback.js';
import { ProgressBar } from './callbacks/progress-bar.js';
import { progressLine } from './callbacks/progress-line.js';
import { Model } from './model.js';
import { fileHandler } from './saving/files.js';
import { openPathsWith } from './saving/io.js';
import { ModelCheckpoint } from './saving/model-checkpoint.js';
import { Sequential } from './sequential.js';

openPathsWith(fileHandler);
const root = mkdtempSync(join(tmpdir(), 'layerwise-dataset-fit-'));
after(() => rmSync(root, { recursive: true, force: true }));

function regressor(seed = 3): Sequential {
  setSeed(seed);
  const model = new Sequential([new Dense({ units: 6, activation: 'tanh', inputShape: [4] }), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

function data(n = 50): { x: Tensor; y: Tensor } {
  setSeed(9);
  return { x: randomNormal([n, 4]), y: randomNormal([n, 1]) };
}

const weights = (m: Model): number[][] => m.getWeights().map((w) => Array.from(w.data()));

describe('a Dataset in fit, evaluate and predict', () => {
  test('the same numbers as the same data in tensors', async () => {
    const { x, y } = data();
    const a = regressor();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, validationData: [x, y] });
    const b = regressor();
    const ds = Dataset.fromTensors({ x, y }).batch(8);
    const hb = await b.fit(ds, { epochs: 3, verbose: 0, validationData: ds });
    assert.deepEqual(hb.history, ha.history);
    assert.deepEqual(weights(b), weights(a), 'bit-identical weights');
    assert.deepEqual(await b.evaluate(ds, { verbose: 0 }), await a.evaluate(x, y, { batchSize: 8, verbose: 0 }));
    assert.deepEqual((await b.predict(Dataset.fromTensors(x).batch(8))).toArray(), (await a.predict(x)).toArray());
    assert.deepEqual((await b.predict(ds, { steps: 2 })).shape, [16, 1], 'steps limits the batches');
  });

  test('elements as [x, y, sampleWeight] tuples, and records keyed by the inputs\' and outputs\' names', async () => {
    const { x, y } = data(24);
    const w = randomNormal([24]).abs();
    const a = regressor();
    await a.fit(x, y, { batchSize: 6, shuffle: false, verbose: 0, sampleWeight: w });
    const b = regressor();
    await b.fit(Dataset.fromTensors([x, y, w]).batch(6), { verbose: 0 });
    assert.deepEqual(weights(b), weights(a));

    const twoInputs = (): Model => {
      setSeed(5);
      const left = Input({ shape: [2], name: 'left' });
      const right = Input({ shape: [2], name: 'right' });
      const out = new Dense({ units: 1, name: 'score' }).apply(new Concatenate().apply([left, right]));
      const model = new Model({ inputs: [left, right], outputs: out });
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      return model;
    };
    const left = x.slice([0, 0], [24, 2]), right = x.slice([0, 2], [24, 2]);
    const c = twoInputs();
    await c.fit({ left, right }, y, { batchSize: 6, shuffle: false, verbose: 0 });
    const d = twoInputs();
    await d.fit(Dataset.fromTensors({ left, right, score: y }).batch(6), { verbose: 0 });
    assert.deepEqual(weights(d), weights(c), 'a flat record of inputs and outputs');
    const e = twoInputs();
    await e.fit(Dataset.fromTensors({ x: [left, right], y: { score: y } }).batch(6), { verbose: 0 });
    assert.deepEqual(weights(e), weights(c), '{ x, y } with x in input order and y by name');
  });

  test('stepsPerEpoch reads one stream across epochs, starting a new pass when one ends', async () => {
    const { x, y } = data(20);
    const seen: number[] = [];
    const ds = Dataset.fromTensors({ x, y, i: Array.from({ length: 20 }, (_, i) => i) }).batch(5).map(({ x, y, i }) => {
      seen.push(i.data()[0]!);
      return { x, y };
    });
    const model = regressor();
    const history = await model.fit(ds, { epochs: 3, stepsPerEpoch: 3, verbose: 0 });
    assert.equal(history.history['loss']!.length, 3);
    assert.deepEqual(seen, [0, 5, 10, 15, 0, 5, 10, 15, 0], 'every batch in turn, the dataset read again after its end');
    assert.equal(history.params!.steps, 3);
    await assert.rejects(model.fit(ds.repeat(), { verbose: 0 }), /fit: the dataset never ends \(it repeats\): give 'stepsPerEpoch'/);
    const endless = await model.fit(ds.repeat(), { stepsPerEpoch: 2, epochs: 2, verbose: 0 });
    assert.equal(endless.history['loss']!.length, 2);
  });

  test('a validation Dataset, validationSteps, and a dataset of unknown size', async () => {
    const { x, y } = data(30);
    const model = regressor();
    const generator = Dataset.from(function* () {
      for (let i = 0; i < 30; i += 10) yield [x.slice([i, 0], [10, 4]), y.slice([i, 0], [10, 1])] as const;
    });
    assert.equal(generator.size, null);
    const history = await model.fit(generator, { epochs: 2, verbose: 0, validationData: Dataset.fromTensors({ x, y }).batch(10), validationSteps: 1 });
    assert.equal(history.params!.steps, 3, 'counted in the first epoch');
    const firstTen = await model.evaluate(x.slice([0, 0], [10, 4]), y.slice([0, 0], [10, 1]), { verbose: 0 });
    assert.equal(history.history['val_loss']![1], firstTen[0], 'one validation batch');
  });

  test('the progress line says when a share of the time went to waiting for data', async () => {
    assert.equal(
      progressLine({ step: 5, steps: 10, elapsed: 1, waited: 0.4, logs: { loss: 1 }, color: false }),
      ` 5/10 ${'━'.repeat(20)} ETA 1s 200ms/step (data 40%) - loss: 1.0000`,
    );
    assert.doesNotMatch(progressLine({ step: 5, steps: 10, elapsed: 1, waited: 0.05, logs: {}, color: false }), /data/, 'not when it is small');
    assert.match(progressLine({ step: 7, steps: null, elapsed: 1, logs: {}, color: false }), /^7\/Unknown/);
    const { x, y } = data(12);
    const slow = Dataset.fromTensors({ x, y }).batch(4).map(async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return batch;
    });
    let out = '';
    const bar = new ProgressBar(new Writable({ write(chunk, _encoding, done) { out += String(chunk); done(); } }));
    const setContext = bar.setContext.bind(bar);
    bar.setContext = (model, params) => setContext(model, { ...params, verbose: 2 });
    await regressor().fit(slow, { verbose: 0, callbacks: [bar] });
    const share = Number(/\(data (\d+)%\)/.exec(out)?.[1]);
    assert.ok(share > 50, `waiting for a 30 ms map is most of the epoch: ${out}`);
  });

  test('mistakes with datasets are named', async () => {
    const { x, y } = data(8);
    const model = regressor();
    await assert.rejects(model.fit(Dataset.fromTensors({ x, y }), { verbose: 0 }),
      /fit \(dataset batch 1\): the dataset yields single samples \(input of shape \[4\], where the model takes batches of rank 2\): batch them with dataset.batch\(32\)/);
    await assert.rejects(model.fit(Dataset.fromTensors(x).batch(4), { verbose: 0 }), /the element holds no labels: yield \{ x, y \} or \[x, y\]/);
    await assert.rejects(model.fit(Dataset.fromTensors({ x, y }).batch(4), { verbose: 0, validationSplit: 0.2 }), /fit: option 'validationSplit' applies to arrays/);
    await assert.rejects(model.fit(x, y, { verbose: 0, stepsPerEpoch: 2 }), /fit: option 'stepsPerEpoch' applies to a Dataset/);
    await assert.rejects(model.fit(Dataset.fromTensors({ x, z: y }).batch(4), { verbose: 0 }), /the element has a field 'z': expected \{ x, y \} or \{ x, y, sampleWeight \}/);
    await assert.rejects(model.evaluate(Dataset.fromTensors({ x, y }).take(0).batch(4), { verbose: 0 }), /the dataset is empty/);
  });
});

describe('resuming from the middle of an epoch', () => {
  for (const source of ['arrays', 'a shuffled Dataset'] as const) {
    test(`with ${source}, a run interrupted mid-epoch and resumed from its checkpoint ends with the weights of an uninterrupted run`, async () => {
      const run = (): { model: Sequential; fit: (options: object) => Promise<unknown> } => {
        setSeed(11);
        const x = randomNormal([70, 6]), y = randomNormal([70, 2]);
        const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [6] }), new BatchNormalization(), new Dropout({ rate: 0.3 }), new Dense({ units: 2 })]);
        model.compile({ optimizer: 'adam', loss: 'mse' });
        const ds = Dataset.fromTensors({ x, y }).shuffle(100).batch(8);
        return { model, fit: (o) => (source === 'arrays' ? model.fit(x, y, { batchSize: 8, verbose: 0, ...o }) : model.fit(ds, { verbose: 0, ...o })) };
      };
      const whole = run();
      await whole.fit({ epochs: 3 });

      const path = join(root, source.replace(/ /g, '-'));
      const interrupted = run();
      let epoch = 0;
      const crash: Callback = {
        onEpochBegin: (e) => void (epoch = e),
        onBatchEnd: (batch) => {
          if (epoch === 1 && batch === 5) throw new Error('power cut');
        },
      };
      // 9 batches per epoch, a checkpoint every 4: the last before the cut is at epoch 1, batch 3.
      await assert.rejects(interrupted.fit({ epochs: 3, callbacks: [new ModelCheckpoint({ path, saveFreq: 4 }), crash] }), /power cut/);
      const resumed = run();
      await resumed.fit({ epochs: 3, resumeFrom: path });
      assert.deepEqual(weights(resumed.model), weights(whole.model), 'identical weights, bit for bit');
      assert.equal(resumed.model.optimizer!.iterations, whole.model.optimizer!.iterations);
    });
  }
});
