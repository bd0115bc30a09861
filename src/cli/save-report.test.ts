import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadModel, tensor } from '../index.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'layerwise-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('mnist --save --report --plot leaves a model TensorFlow.js loads, a report and a terminal chart', async () => {
  const out = join(dir, 'out');
  const r = spawnSync(process.execPath, [MAIN, 'mnist', '--limit', '96', '--epochs', '2', '--batch-size', '32', '--seed', '1', '--save', out, '--report', join(out, 'report.html'), '--plot'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Validation: the last 10% of the training images/);
  assert.match(r.stdout, /val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}/);
  assert.match(r.stdout, /┤.*\n[\s\S]*── loss {3}── val_loss {3}best epoch [12] \(val_loss \d/);
  assert.match(r.stdout, new RegExp(`Saved the model to ${out}`));
  assert.match(r.stdout, /Wrote the report to .*report\.html/);

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<title>MNIST convnet<\/title>/);
  assert.equal(html.match(/<figure class="chart"/g)?.length, 2, 'a loss chart and an accuracy chart');
  assert.match(html, /Total params: 93,322/);
  assert.ok(!/<script|<link|src="http/.test(html), 'self-contained: no scripts, no external resources');

  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  assert.ok(existsSync(join(out, 'weights.bin')));
  const theirs = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: new Uint8Array(readFileSync(join(out, 'weights.bin'))).buffer,
  }));
  const ours = await loadModel(out);
  const x = Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 29) / 29);
  const a = (theirs.predict(tf.tensor(x, [2, 28, 28, 1])) as tf.Tensor).dataSync();
  const b = (await ours.predict(tensor(new Float32Array(x), { shape: [2, 28, 28, 1] }))).data();
  assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-5), 'TensorFlow.js and layerwise predict the same from the saved files');
});

test('--validation-split is checked', () => {
  const r = spawnSync(process.execPath, [MAIN, 'mnist', '--validation-split', '1.5'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--validation-split <fraction>' argument '1.5' is invalid\. expected a number between 0 and 1/);
});
