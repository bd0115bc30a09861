/**
 * layerwise on the transformer of the sequence benchmark (transformer-common.ts), timed as the text model
 * is (sequence-common.ts):
 *   node dist/bench/peers/transformer-layerwise.js --backend native|wasm|reference [--windows 5 --seconds 4]
 */
import * as lw from '../../src/index.js';
import { encoderClassifier } from '../../examples/transformer.js';
import { measure, runArgs } from './sequence-common.js';
import { TRANSFORMER } from './transformer-common.js';

const run = runArgs(['backend']);
const backend = String(run.args['backend'] ?? 'native');
if (!['native', 'wasm', 'reference'].includes(backend)) throw new Error(`transformer-layerwise: --backend expected native, wasm or reference, received ${backend}`);
lw.setBackend(backend as 'native' | 'wasm' | 'reference');

lw.setSeed(TRANSFORMER.seed);
const model = encoderClassifier(TRANSFORMER);
model.compile({ optimizer: new lw.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
const x = lw.randomNormal([TRANSFORMER.batch, TRANSFORMER.steps, TRANSFORMER.features]);
const y = lw.tensor(Array.from({ length: TRANSFORMER.batch }, (_, i) => i % TRANSFORMER.classes));
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

await measure('layerwise', lw.backendInfo(), async () => {
  model.trainOnBatch(x, y);
  await nextTurn();
}, run, TRANSFORMER.batch);
