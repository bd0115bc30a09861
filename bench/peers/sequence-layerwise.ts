/**
 * layerwise on the sequence benchmark (see sequence-common.ts):
 *   node dist/bench/peers/sequence-layerwise.js --backend native|wasm|reference [--windows 5 --seconds 4]
 * `LAYERWISE_THREADS` sets the native backend's threads.
 */
import * as lw from '../../src/index.js';
import { SHAPE, TokenBatches, measure, runArgs } from './sequence-common.js';

const run = runArgs(['backend']);
const backend = String(run.args['backend'] ?? 'native');
if (!['native', 'wasm', 'reference'].includes(backend)) throw new Error(`sequence-layerwise: --backend expected native, wasm or reference, received ${backend}`);
lw.setBackend(backend as 'native' | 'wasm' | 'reference');

lw.setSeed(1);
const model = new lw.Sequential([
  new lw.Embedding({ inputDim: SHAPE.vocab, outputDim: SHAPE.embedding, inputLength: SHAPE.steps }),
  new lw.LSTM({ units: SHAPE.units }),
  new lw.Dense({ units: 1, activation: 'sigmoid' }),
]);
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
const data = new TokenBatches();
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

await measure('layerwise', lw.backendInfo(), async () => {
  data.next();
  model.trainOnBatch(lw.tensor(data.tokens, [SHAPE.batch, SHAPE.steps]), lw.tensor(data.labels, [SHAPE.batch, 1]));
  await nextTurn();
}, run);
