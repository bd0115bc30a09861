/**
 * Child process of checkpoint-folder.test.ts: trains a small model with a checkpoint after every batch to
 * the folder given, printing 'writing' after the first checkpoint, and then 'done' or the error as JSON.
 */
import * as lw from '../src/index.js';

const [folder, epochs] = process.argv.slice(2) as [string, string];
lw.setSeed(1);
const model = new lw.Sequential([new lw.Dense({ units: 8, inputShape: [4], activation: 'relu' }), new lw.Dense({ units: 1 })]);
model.compile({ optimizer: 'adam', loss: 'mse' });
let first = true;
const announce = new lw.LambdaCallback({ onBatchEnd: () => void (first && console.log('writing'), (first = false)) });
try {
  await model.fit(lw.randomUniform([256, 4]), lw.randomUniform([256, 1]), {
    epochs: Number(epochs), batchSize: 8, verbose: 0, callbacks: [new lw.ModelCheckpoint({ path: folder, saveFreq: 1 }), announce],
  });
  console.log(JSON.stringify({ done: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e instanceof Error ? e.constructor.name : typeof e, message: e instanceof Error ? e.message : String(e) }));
}
