/**
 * Training keeps memory flat: after a forced garbage collection at the end of every epoch, the memory
 * retained by the last epochs of 20 does not exceed what the first 2 retain (the tape frees each step's graph, the
 * optimizer updates in place, and batches are fresh copies that die young). Tensor data lives in
 * ArrayBuffers, which must not grow at all; the JavaScript heap may grow a little while V8 compiles and
 * collects type feedback, but a retained graph (tens of kilobytes per step here) would be megabytes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const INDEX = new URL('../index.js', import.meta.url).href;

const CHILD = `
import { Sequential, Dense, Dropout, BatchNormalization, Adam, randomNormal, randomUniform, setSeed } from '${INDEX}';
setSeed(1);
const x = randomNormal([512, 32]);
const y = randomUniform([512, 4]).softmax();
const model = new Sequential([
  new Dense({ units: 64, activation: 'relu', inputShape: [32] }),
  new BatchNormalization(),
  new Dropout({ rate: 0.2 }),
  new Dense({ units: 4, activation: 'softmax' }),
]);
model.compile({ optimizer: new Adam(), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const retained = [];
// Finalizers that recycle tensor memory run on the event loop, so let it turn between collections.
const settle = () => new Promise((resolve) => setImmediate(resolve));
const probe = { async onEpochEnd() { for (let i = 0; i < 4; i++) { globalThis.gc(); await settle(); } const m = process.memoryUsage(); retained.push([m.arrayBuffers, m.heapUsed]); } };
await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0, validationSplit: 0.25, callbacks: [probe] });
console.log(JSON.stringify(retained));
`;

test('memory retained after 20 epochs is no more than after 2', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], { encoding: 'utf8' });
  const retained = JSON.parse(out.trim().split('\n').pop()!) as [number, number][];
  assert.equal(retained.length, 20);
  const peakOfFirst2 = (which: 0 | 1): number => Math.max(...retained.slice(0, 2).map((r) => r[which]));
  // A leak grows every epoch, so it lifts even the smallest of the last epochs; a finalizer that has not run
  // yet at one probe only makes a spike. Compare the floor of the last five epochs, not their peak.
  const floorOfLast5 = (which: 0 | 1): number => Math.min(...retained.slice(-5).map((r) => r[which]));
  const report = retained.map(([buffers, heap]) => `${(buffers / 1024).toFixed(0)}K+${(heap / 1024).toFixed(0)}K`).join(', ');
  assert.ok(floorOfLast5(0) <= peakOfFirst2(0) + 64 * 1024, `tensor data (ArrayBuffers) retained per epoch: ${report}`);
  assert.ok(floorOfLast5(1) <= peakOfFirst2(1) + 1024 * 1024, `JavaScript heap retained per epoch: ${report}`);
});

// Predict keeps the memory of one batch's activations, not of all of them: 800 batches whose hidden
// layer takes 1 MiB each would hold 800 MiB if none came back before predict returned.
const PREDICT_CHILD = `
import { Sequential, Dense, randomNormal, setSeed } from '${INDEX}';
setSeed(1);
const x = randomNormal([25600, 64]);
const model = new Sequential([new Dense({ units: 8192, activation: 'relu', inputShape: [64] }), new Dense({ units: 1 })]);
await model.predict(x.slice([0, 0], [64, 64]));
const before = process.resourceUsage().maxRSS;
const y = await model.predict(x, { batchSize: 32 });
console.log(JSON.stringify({ grew: (process.resourceUsage().maxRSS - before) / 1024, rows: y.shape[0] }));
`;

test('predict holds the memory of a batch, not of the whole input', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', PREDICT_CHILD], { encoding: 'utf8' });
  const { grew, rows } = JSON.parse(out.trim().split('\n').pop()!) as { grew: number; rows: number };
  assert.equal(rows, 25600);
  assert.ok(grew < 200, `peak memory grew by ${grew.toFixed(0)} MiB during predict over 800 batches of 1 MiB activations`);
});
