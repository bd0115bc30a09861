import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import { Dense, Dropout } from '../../layers/index.js';
import { randomNormal, randomUniform } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Rng, getRandomState, rng, setRandomState, setSeed } from '../../util/random.js';
import type { Callback } from '../callbacks/callback.js';
import { loadModel } from '../load-model.js';
import { Sequential } from '../sequential.js';
import { fileHandler } from './files.js';
import { openPathsWith } from './io.js';
import { ModelCheckpoint } from './model-checkpoint.js';

// Paths are Node's files, as the Node entry (src/index.ts) sets them up.
openPathsWith(fileHandler);

const root = mkdtempSync(join(tmpdir(), 'layerwise-checkpoint-'));
after(() => rmSync(root, { recursive: true, force: true }));

function data(): { x: Tensor; y: Tensor } {
  setSeed(21);
  return { x: randomNormal([40, 5]), y: randomUniform([40, 2]) };
}

function net(): Sequential {
  const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [5] }), new Dropout({ rate: 0.25 }), new Dense({ units: 2 })]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

function state(dir: string): { epoch: number; history: { logs: Record<string, number[]> } } {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.layerwise.trainingState;
}

/** Replays a fixed sequence of validation losses, whatever the model does. */
function scriptedValLoss(values: number[]): Callback {
  return { onEpochEnd: (epoch, logs) => void (logs['val_loss'] = values[epoch]!) };
}

describe('ModelCheckpoint', () => {
  test('every epoch: one loadable checkpoint, replaced each time, with the training state', async () => {
    const { x, y } = data();
    const dir = join(root, 'every');
    const model = net();
    const saved: number[] = [];
    await model.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, callbacks: [new ModelCheckpoint({ path: dir }), { onEpochEnd: () => void saved.push(state(dir).epoch) }] });
    assert.deepEqual(saved, [0, 1, 2]);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights-3.bin'], 'the older weights are removed once model.json names the new ones');
    const loaded = await loadModel(dir);
    assert.deepEqual(loaded.getWeights().map((w) => w.toArray()), model.getWeights().map((w) => w.toArray()));
    assert.equal(loaded.optimizer!.iterations, 12);
    assert.equal(state(dir).history.logs['loss']!.length, 3);
  });

  test('saveBestOnly keeps the epoch with the best monitored value, and a resumed run remembers it', async () => {
    const { x, y } = data();
    const dir = join(root, 'best');
    const values = [0.9, 0.5, 0.7, 0.6, 0.4];
    const checkpoint = () => new ModelCheckpoint({ path: dir, saveBestOnly: true, monitor: 'val_loss' });
    await net().fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, callbacks: [scriptedValLoss(values), checkpoint()] });
    assert.equal(state(dir).epoch, 1, 'epoch 2 (val_loss 0.5) is the best of three');

    // A resumed run continues from the best checkpoint; epoch 4 (0.6) does not beat 0.5, epoch 5 (0.4) does.
    const model = net();
    const seen: number[] = [];
    await model.fit(x, y, { epochs: 5, batchSize: 10, verbose: 0, resumeFrom: dir, callbacks: [scriptedValLoss(values), checkpoint(), { onEpochEnd: (e) => void seen.push(e) }] });
    assert.deepEqual(seen, [2, 3, 4]);
    assert.equal(state(dir).epoch, 4);
    assert.deepEqual(model.history!.history['val_loss'], [0.9, 0.5, 0.7, 0.6, 0.4], 'the history continues the checkpoint\'s');
  });

  test('a monitored value missing from the logs is reported, not saved on', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const { x, y } = data();
    const dir = join(root, 'missing');
    await net().fit(x, y, { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint({ path: dir, saveBestOnly: true })] });
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /ModelCheckpoint: 'val_loss' is not in the logs/);
    assert.throws(() => readdirSync(dir));
    assert.throws(() => new ModelCheckpoint({ path: '' }), /ModelCheckpoint: expected options with a 'path'/);
  });
});

describe('resuming', () => {
  test('resumeFrom a damaged checkpoint fails before touching the model', async () => {
    const { x, y } = data();
    const dir = join(root, 'damaged');
    await net().fit(x, y, { epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint({ path: dir })] });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const slot = json.weightsManifest[0].weights.findIndex((w: { name: string }) => w.name.endsWith('/m'));
    json.weightsManifest[0].weights[slot].name = 'elsewhere/kernel/m';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));

    const model = net();
    const before = model.getWeights().map((w) => w.toArray());
    const random = getRandomState();
    await assert.rejects(model.fit(x, y, { epochs: 2, verbose: 0, resumeFrom: dir }), /fit \(resumeFrom\): the Adam state of '.*' lacks '.*\/m'/);
    assert.deepEqual(model.getWeights().map((w) => w.toArray()), before, 'weights unchanged');
    assert.equal(model.optimizer!.iterations, 0);
    assert.deepEqual(getRandomState(), random, 'the random generator unchanged');
  });

  test('saved from a callback at an epoch\'s end, the training state counts that epoch with its final logs', async () => {
    const { x, y } = data();
    const model = net();
    const seen: { epoch: number; history: Record<string, number[]> }[] = [];
    const edits: Callback = { onEpochEnd: (_epoch, logs) => void (logs['note'] = 7) };
    const saver: Callback = {
      onEpochEnd: () => {
        const metadata = model.toArtifacts({ includeTrainingState: true }).userDefinedMetadata as { layerwise: { trainingState: { epoch: number; history: { logs: Record<string, number[]> } } } };
        seen.push({ epoch: metadata.layerwise.trainingState.epoch, history: metadata.layerwise.trainingState.history.logs });
      },
    };
    const history = await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, callbacks: [edits, saver] });
    assert.deepEqual(seen.map((s) => s.epoch), [0, 1]);
    assert.deepEqual(seen[1]!.history, { loss: history.history['loss'], note: [7, 7] }, 'the epoch being ended is in, with the logs as callbacks left them');
    assert.equal(history.ending, null, 'nothing is left pending after fit');
  });

  test('resumeFrom needs training state; initialEpoch and resumeFrom exclude each other', async () => {
    const { x, y } = data();
    const dir = join(root, 'plain');
    const model = net();
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await model.save(dir);
    await assert.rejects(net().fit(x, y, { resumeFrom: dir, verbose: 0 }), /has no training state to resume from; write checkpoints with ModelCheckpoint/);
    await assert.rejects(net().fit(x, y, { resumeFrom: dir, initialEpoch: 1 }), /give either 'resumeFrom' or 'initialEpoch'/);
  });
});

describe('the random generator state', () => {
  test('setRandomState continues a sequence exactly, the spare normal draw included', () => {
    setSeed(3);
    rng().normal();
    const saved = getRandomState();
    const expected = [rng().normal(), rng().next(), rng().nextUint32()];
    rng().next();
    setRandomState(saved);
    assert.deepEqual([rng().normal(), rng().next(), rng().nextUint32()], expected);
    const copy = new Rng(0);
    copy.setState(JSON.parse(JSON.stringify(saved)));
    assert.equal(copy.normal(), expected[0]);
    assert.throws(() => setRandomState({ words: [0, 0, 0, 0], spare: null }), /setRandomState: expected \{ words: four 32-bit unsigned integers \(not all 0\)/);
    assert.throws(() => setRandomState({ words: [1, 2, 3], spare: null } as never), /received an object/);
  });
});
