import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Dense } from '../layers/index.js';
import { ProgressBar } from './callbacks/progress-bar.js';
import { formatDuration, formatLogs, formatPerStep, progressLine } from './callbacks/progress-line.js';
import { Sequential } from './sequential.js';

test('the Keras progress line: steps, bar, ETA, time per step, metrics', () => {
  const mid = progressLine({ step: 235, steps: 938, elapsed: 3.05, logs: { loss: 0.48623, accuracy: 0.85741 }, color: false });
  assert.equal(mid, `235/938 ${'━'.repeat(20)} ETA 9s 13ms/step - loss: 0.4862 - accuracy: 0.8574`);
  const end = progressLine({ step: 938, steps: 938, elapsed: 12.2, logs: { loss: 0.2, accuracy: 0.9, val_loss: 0.1, val_accuracy: 0.97 }, color: false });
  assert.equal(end, `938/938 ${'━'.repeat(20)} 12s 13ms/step - loss: 0.2000 - accuracy: 0.9000 - val_loss: 0.1000 - val_accuracy: 0.9700`);
  assert.ok(progressLine({ step: 5, steps: 10, elapsed: 1, logs: {}, color: true }).includes('\x1b[2m'), 'the unfinished part is dim on a terminal');
  assert.equal(progressLine({ step: 0, steps: 10, elapsed: 0, logs: {}, color: false }), ` 0/10 ${'━'.repeat(20)}`, 'no times before the first step');
});

test('durations, times per step and values', () => {
  assert.deepEqual([formatDuration(9.4), formatDuration(125), formatDuration(3723)], ['9s', '2m 05s', '1h 02m 03s']);
  assert.deepEqual([formatPerStep(0.0132), formatPerStep(2.5), formatPerStep(0.00085)], ['13ms/step', '2.5s/step', '850us/step']);
  assert.equal(formatLogs({ accuracy: 1e-5, loss: 12345.6 }), 'loss: 1.2346e+4 - accuracy: 1.0000e-5');
});

test('off a terminal, fit prints "Epoch i/n" and one line per epoch', async () => {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  model.compile({ loss: 'mse', metrics: [] });
  await model.fit([[0, 1], [1, 0], [1, 1]], [[1], [1], [2]], { epochs: 2, batchSize: 2, verbose: 0, callbacks: [withParams(new ProgressBar(sink), 1)] });
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'Epoch 1/2');
  assert.match(lines[1]!, /^2\/2 ━{20} \d+s \d+(us|ms)\/step - loss: \d\.\d{4}$/);
  assert.equal(lines[2], 'Epoch 2/2');
});

test('without the Node entry (as in browsers), a terminal gets one line per epoch, nothing drawn in place', async () => {
  let out = '';
  const terminal = Object.assign(new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }), { isTTY: true });
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  model.compile({ loss: 'mse', metrics: [] });
  await model.fit([[0, 1], [1, 0], [1, 1]], [[1], [1], [2]], { epochs: 1, batchSize: 2, verbose: 0, callbacks: [withParams(new ProgressBar(terminal), 1)] });
  assert.doesNotMatch(out, /\x1b\[/);
  assert.match(out, /^Epoch 1\/1\n2\/2 ━{20} \d+s \d+(us|ms)\/step - loss: \d\.\d{4}\n$/);
});

/** fit gives callbacks its own verbose; this test drives a progress bar as verbose 1 inside a silent fit. */
function withParams(bar: ProgressBar, verbose: 1 | 2): ProgressBar {
  const setContext = bar.setContext.bind(bar);
  bar.setContext = (model, params) => setContext(model, { ...params, verbose });
  return bar;
}
