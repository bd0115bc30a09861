/**
 * TensorFlow.js on the sequence benchmark (see sequence-common.ts):
 *   node dist/bench/peers/sequence-tfjs.js --backend cpu|wasm [--windows 3 --seconds 10 --warmup 1]
 * Its LSTM runs every timestep as separate ops, so a batch takes seconds: use few windows.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { SHAPE, TokenBatches, measure, runArgs } from './sequence-common.js';
import { patchMissingWasmKernels } from './tfjs-wasm-gradients.js';

const run = runArgs(['backend']);
const backend = String(run.args['backend'] ?? 'cpu');
if (backend !== 'cpu' && backend !== 'wasm') throw new Error(`sequence-tfjs: --backend expected cpu or wasm, received ${backend}`);
if (backend === 'wasm') setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
await tf.ready();
if (backend === 'wasm') patchMissingWasmKernels('cpu-kernels');

const model = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: SHAPE.vocab, outputDim: SHAPE.embedding, inputLength: SHAPE.steps }),
    // Keras's defaults, which TensorFlow.js's LSTM does not share (hard sigmoid gates, no unit forget bias).
    tf.layers.lstm({ units: SHAPE.units, recurrentActivation: 'sigmoid', unitForgetBias: true }),
    tf.layers.dense({ units: 1, activation: 'sigmoid' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });
const data = new TokenBatches();

await measure(`TensorFlow.js ${tf.version.tfjs}`, backend, async () => {
  data.next();
  const x = tf.tensor2d(data.tokens, [SHAPE.batch, SHAPE.steps], 'int32');
  const y = tf.tensor2d(data.labels, [SHAPE.batch, 1]);
  await model.trainOnBatch(x, y);
  tf.dispose([x, y]);
}, run);
