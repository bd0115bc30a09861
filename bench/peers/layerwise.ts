/**
 * layerwise itself, through its public API, on one backend:
 *   node dist/bench/peers/layerwise.js --plan '<Plan JSON>' --backend native|wasm|webgpu|reference
 * (`LAYERWISE_THREADS` sets the native backend's threads). A training batch is `trainOnBatch` followed by
 * one turn of the event loop, which is what `fit` does after every batch: finalizers recycle the memory
 * of the step's tensors there. On webgpu, whose losses are read back asynchronously, a batch is `fit` for
 * one epoch of that batch (which waits for the step's loss), and predictions and products are read back
 * with `dataAsync`.
 */
import { parseArgs } from 'node:util';
import * as lw from '../../src/index.js';
import type { GemmShape } from '../protocol.js';
import { type BenchModel, type NodePeer, runNodePeer } from './harness.js';

const BACKENDS = ['native', 'wasm', 'webgpu', 'reference'] as const;
type Backend = (typeof BACKENDS)[number];

function backendArg(value: unknown): Backend {
  const found = BACKENDS.find((b) => b === value);
  if (!found) throw new Error(`layerwise peer: argument '--backend' expected one of ${BACKENDS.join(', ')}, received ${String(value)}`);
  return found;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The seed's convnet with the softmax fix, Keras defaults (glorot-uniform kernels, zero biases, RMSprop). */
function seedConvnet(seed: number): lw.Sequential {
  lw.setSeed(seed);
  const model = new lw.Sequential([
    new lw.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    new lw.MaxPooling2D({ poolSize: 2 }),
    new lw.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new lw.MaxPooling2D({ poolSize: 2 }),
    new lw.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new lw.Flatten(),
    new lw.Dense({ units: 64, activation: 'relu' }),
    new lw.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy' });
  return model;
}

function benchModel(model: lw.Sequential): BenchModel {
  if (backend === 'webgpu') {
    return {
      async trainBatch(images, oneHotLabels, batch) {
        const x = lw.tensor(images, { shape: [batch, 28, 28, 1] }), y = lw.tensor(oneHotLabels, { shape: [batch, 10] });
        await model.fit(x, y, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
      },
      async predict(images, batch) {
        return (await model.predictOnBatch(lw.tensor(images, { shape: [batch, 28, 28, 1] })).dataAsync()) as Float32Array;
      },
    };
  }
  return {
    async trainBatch(images, oneHotLabels, batch) {
      model.trainOnBatch(lw.tensor(images, { shape: [batch, 28, 28, 1] }), lw.tensor(oneHotLabels, { shape: [batch, 10] }));
      await nextTurn();
    },
    async predict(images, batch) {
      const probabilities = model.predictOnBatch(lw.tensor(images, { shape: [batch, 28, 28, 1] })).data();
      await nextTurn();
      return probabilities as Float32Array;
    },
  };
}

const { values: args } = parseArgs({ options: { backend: { type: 'string' } }, strict: false });
const backend = backendArg(args.backend);
await lw.setBackendAsync(backend);

const peer: NodePeer = {
  framework: 'layerwise',
  setting: lw.backendInfo(),
  async createModel(seed) {
    return benchModel(seedConvnet(seed));
  },
  prepareGemm({ m, k, n }: GemmShape) {
    const a = lw.randomUniform([m, k]);
    const b = lw.randomUniform([k, n]);
    if (backend === 'webgpu') {
      return async () => {
        await lw.matmul(a, b).dataAsync();
      };
    }
    return () => {
      lw.matmul(a, b);
    };
  },
  versions() {
    return { node: process.versions.node };
  },
  notes() {
    return [
      backend === 'webgpu'
        ? `webgpu: ${lw.backendInfo()}; a training batch is fit on that batch (waiting for its loss), a product includes reading it back`
        : 'a training batch is trainOnBatch plus one turn of the event loop (as fit does after every batch)',
      ...(backend === 'native' ? ['native: kernels in C++ with the SIMD level chosen at run time; threads from LAYERWISE_THREADS or every core'] : []),
    ];
  },
};

await runNodePeer(peer);
