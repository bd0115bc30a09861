/**
 * One seed, one result on the wasm backend with threads, as on the native one: a convnet trained twice on
 * two threads ends with bit-identical weights, and the same as on one thread. The filter gradient of a
 * convolution is the threaded reduction: each chunk of output pixels sums into a partial of its own and the
 * partials are added in chunk order, whichever thread ran which chunk (it used to be one partial per
 * thread, so results followed the race between threads: 3 different results in 4 runs).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as lw from '../src/index.js';

const skip = lw.availableBackends().includes('wasm') ? false : 'the wasm backend is not available';
const previous = lw.backend() as lw.BackendName;

before(() => {
  if (!skip) lw.setBackend('wasm');
});
after(() => lw.setBackend(previous));

async function threads(n: number): Promise<void> {
  lw.setThreads(n);
  const deadline = Date.now() + 20_000;
  while (!lw.backendInfo().includes(`${n} of `) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(lw.backendInfo(), new RegExp(`${n} of \\d+ thread`), 'the worker threads started');
}

/** The bytes of every weight after a short seeded training of a small convnet. */
async function train(): Promise<Uint8Array[]> {
  lw.setSeed(5);
  // The filter gradient of the first convolution is 2 * 64 * 14 * 14 * 16 * 27 = 10.8 MFLOP: split into chunks.
  const x = lw.randomUniform([64, 16, 16, 3]);
  const y = lw.toCategorical(lw.tensor(Array.from({ length: 64 }, (_, i) => i % 4)), 4);
  const model = new lw.Sequential([
    new lw.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [16, 16, 3] }),
    new lw.Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }),
    new lw.Flatten(),
    new lw.Dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
  return model.getWeights().map((w) => new Uint8Array(Float32Array.from(w.data()).buffer));
}

test('a convnet trained twice on two wasm threads has bit-identical weights, the same as on one thread', { skip }, async () => {
  await threads(2);
  const first = await train();
  const second = await train();
  const third = await train();
  await threads(1);
  const single = await train();
  for (const [name, run] of [['second', second], ['third', third], ['one-thread', single]] as const) {
    run.forEach((bytes, i) => assert.deepEqual(bytes, first[i], `weight ${i} of the ${name} run differs from the first`));
  }
});
