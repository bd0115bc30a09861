/**
 * One training step of the sequence benchmark's text model (bench/peers/sequence-common.ts), timed step
 * by step: the median and quartiles of `--steps` steps after `--warmup`, in milliseconds.
 *
 *   node dist/bench/recurrent-step.js --backend native|wasm [--steps 30] [--reference-recurrence]
 *
 * `--reference-recurrence` runs lstmSequence and its gradient on the reference kernels (the loops in
 * plain TypeScript), everything else on the backend: the fused kernels' gain, measured in one process.
 */
import { parseArgs } from 'node:util';
import { loadBackend } from '../src/backend/index.js';
import * as lw from '../src/index.js';
import { SHAPE, TokenBatches } from './peers/sequence-common.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    steps: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    'reference-recurrence': { type: 'boolean', default: false },
  },
});
const backend = values.backend as 'native' | 'wasm';
if (values['reference-recurrence']) {
  const loaded = loadBackend(backend);
  if ('error' in loaded) throw new Error(`recurrent-step: the ${backend} backend does not load (${loaded.error})`);
  const kernels = loaded.backend.kernels as Record<string, unknown>;
  for (const name of ['lstmSequence', 'lstmSequenceGrad', 'gruSequence', 'gruSequenceGrad']) delete kernels[name];
}
lw.setBackend(backend);
lw.setSeed(1);
const model = new lw.Sequential([
  new lw.Embedding({ inputDim: SHAPE.vocab, outputDim: SHAPE.embedding, inputLength: SHAPE.steps }),
  new lw.LSTM({ units: SHAPE.units }),
  new lw.Dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
const data = new TokenBatches();
const times: number[] = [];
const total = Number(values.warmup) + Number(values.steps);
for (let i = 0; i < total; i++) {
  data.next();
  const t0 = performance.now();
  model.trainOnBatch(lw.tensor(data.tokens, [SHAPE.batch, SHAPE.steps]), lw.tensor(data.labels, [SHAPE.batch, 1]));
  if (i >= Number(values.warmup)) times.push(performance.now() - t0);
  // Let finalizers hand memory back, as fit does between batches.
  await new Promise((resolve) => setImmediate(resolve));
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
console.log(
  `${lw.backendInfo()}${values['reference-recurrence'] ? ', recurrence on the reference kernels' : ''}: ` +
    `median ${at(0.5)} ms per step (quartiles ${at(0.25)}-${at(0.75)}, ${times.length} steps, ${(SHAPE.batch / (Number(at(0.5)) / 1000)).toFixed(0)} samples/s)`,
);
