/**
 * TensorFlow.js peer:
 *   node dist/bench/peers/tfjs.js --plan '<Plan JSON>' --backend cpu
 *   node dist/bench/peers/tfjs.js --plan '<Plan JSON>' --backend wasm --patch cpu-kernels|wasm-ops
 * (`--patch`: how the training kernels the wasm backend lacks are supplied; see tfjs-wasm-gradients.ts).
 * Ops run eagerly and synchronously on both backends, so a call has finished when it returns.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { GemmShape } from '../protocol.js';
import { type BenchModel, type NodePeer, runNodePeer } from './harness.js';
import { type PatchedKernels, type WasmPatch, WASM_PATCHES, patchMissingWasmKernels } from './tfjs-wasm-gradients.js';

const BACKENDS = ['cpu', 'wasm'] as const;
type TfjsBackend = (typeof BACKENDS)[number];

function oneOf<T extends string>(arg: string, allowed: readonly T[], value: unknown): T {
  const found = allowed.find((name) => name === value);
  if (found === undefined) throw new Error(`tfjs peer: argument '--${arg}' expected one of ${allowed.join(', ')}, received ${String(value)}`);
  return found;
}

async function selectBackend(backend: TfjsBackend, patch: WasmPatch | null): Promise<PatchedKernels | null> {
  if (backend === 'wasm') {
    // The .wasm binaries ship in the package's dist/ folder; pointing there keeps everything local.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${dirname(entry)}/`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
  await tf.ready();
  return patch === null ? null : patchMissingWasmKernels(patch);
}

/** Keras's Sequential convnet from the seed; tfjs's defaults are Keras's (glorot-uniform kernels, zero biases). */
function seedConvnet(seed: number): tf.Sequential {
  const kernelInitializer = (layer: number) => tf.initializers.glorotUniform({ seed: seed + layer });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], kernelInitializer: kernelInitializer(0) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: kernelInitializer(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: kernelInitializer(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: kernelInitializer(3) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: kernelInitializer(4) }),
    ],
  });
  // Keras's RMSprop defaults; tfjs, like Keras, adds epsilon inside the square root.
  model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7), loss: 'categoricalCrossentropy' });
  return model;
}

function benchModel(model: tf.Sequential): BenchModel {
  return {
    async trainBatch(images, oneHotLabels, batch) {
      const x = tf.tensor4d(images, [batch, 28, 28, 1]);
      const y = tf.tensor2d(oneHotLabels, [batch, 10]);
      await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
    },
    async predict(images, batch) {
      const probabilities = tf.tidy(() => model.predict(tf.tensor4d(images, [batch, 28, 28, 1])) as tf.Tensor);
      const values = await probabilities.data<'float32'>();
      probabilities.dispose();
      return values;
    },
  };
}

const { values: args } = parseArgs({ options: { backend: { type: 'string' }, patch: { type: 'string' } }, strict: false });
const backend = oneOf('backend', BACKENDS, args.backend);
const patch = backend === 'wasm' ? oneOf('patch', WASM_PATCHES, args.patch) : null;
const patched = await selectBackend(backend, patch);
const PATCH_SETTING: Record<WasmPatch, string> = {
  'cpu-kernels': 'missing gradient kernels from the cpu backend',
  'wasm-ops': 'Conv2DBackpropFilter as a wasm conv2d, other missing kernels from cpu',
};

function flag(name: string): string {
  return tf.env().features[name] === true ? 'yes' : 'no';
}

const peer: NodePeer = {
  framework: 'TensorFlow.js',
  setting: patch === null ? 'cpu backend (plain JavaScript)' : `wasm backend (SIMD), ${PATCH_SETTING[patch]}`,
  async createModel(seed) {
    return benchModel(seedConvnet(seed));
  },
  prepareGemm({ m, k, n }: GemmShape) {
    const a = tf.randomUniform([m, k]);
    const b = tf.randomUniform([k, n]);
    return () => tf.matMul(a, b).dispose();
  },
  versions() {
    return { tfjs: tf.version.tfjs };
  },
  notes() {
    if (patched === null) return ['single-threaded: the cpu backend runs plain JavaScript on the main thread'];
    const fromCpu = [...patched.registered].filter(([, how]) => how === 'cpu kernel').map(([name]) => name);
    const fromWasm = [...patched.registered].filter(([, how]) => how === 'wasm ops').map(([name]) => name);
    const ran = [...patched.calls].map(([name, count]) => `${name} (${count} calls)`);
    return [
      `stock, the wasm backend cannot train this model (Kernel 'Conv2DBackpropFilter' not registered); ` +
        `${patched.registered.size} missing kernels were registered for it`,
      `from the cpu backend's implementations (inputs copied to the cpu backend, results copied back): ${fromCpu.join(', ')}`,
      ...(fromWasm.length > 0 ? [`written with the wasm backend's own ops (checked against the definition at start-up): ${fromWasm.join(', ')}`] : []),
      `patched kernels that ran while measuring: ${ran.length > 0 ? ran.join(', ') : 'none'}`,
      `wasm SIMD: ${flag('WASM_HAS_SIMD_SUPPORT')}; wasm multithreading: ${flag('WASM_HAS_MULTITHREAD_SUPPORT')} (single-threaded in Node.js)`,
    ];
  },
};

await runNodePeer(peer);
