/**
 * Peak memory of depthwise convolution in training, at MobileNetV2's first depthwise shape (224x224 input:
 * [batch, 112, 112, 32], 3x3, "same"; batch 32 unless a third argument says otherwise):
 *
 *   /usr/bin/time -v node dist/bench/depthwise-memory.js MODE [calls] [batch]
 *
 * MODE kernel: the op's value and gradients, on the kernels; composed: the same through
 * depthwiseConv2dComposed; step: training steps (trainOnBatch) of MobileNetV2's stem and first three blocks
 * (ZeroPadding2D, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU(6), Add) at 224x224.
 *
 * Prints the backend, seconds per call and, from inside the process, the peak RSS in MiB after each call
 * (it must stay flat from the second call on).
 */
import type { SymbolicTensor, Tensor } from '../src/index.js';
import {
  Add, BatchNormalization, Conv2D, DepthwiseConv2D, Input, Model, ReLU, ZeroPadding2D, backendInfo, depthwiseConv2d, depthwiseConv2dComposed,
  mul, randomUniform, setSeed, sum, valueAndGrad,
} from '../src/index.js';

const mode = process.argv[2] ?? 'kernel';
if (mode !== 'kernel' && mode !== 'composed' && mode !== 'step') throw new Error(`usage: depthwise-memory.js kernel|composed|step, received ${mode}`);
const calls = Number(process.argv[3] ?? 3);
// Peak memory grows with the batch: the composed form at batch 32 needs more memory than a shared machine has.
const batch = Number(process.argv[4] ?? 32);
setSeed(1);
const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** MobileNetV2 (224x224 input) up to its third block's output, [56, 56, 24]. */
function firstBlocks(): Model {
  const conv = (filters: number, name: string) => new Conv2D({ filters, kernelSize: 1, useBias: false, name });
  const bn = (name: string) => new BatchNormalization({ name });
  const relu6 = (name: string) => new ReLU({ maxValue: 6, name });
  const chain = (x: SymbolicTensor, ...layers: { apply(x: SymbolicTensor): unknown }[]) => layers.reduce((h, l) => l.apply(h) as SymbolicTensor, x);
  const input = Input({ shape: [224, 224, 3] });
  let x = chain(input, new ZeroPadding2D({ padding: [[0, 1], [0, 1]] }), new Conv2D({ filters: 32, kernelSize: 3, strides: 2, useBias: false }), bn('bn_conv1'), relu6('conv1_relu'));
  x = chain(x, new DepthwiseConv2D({ kernelSize: 3, padding: 'same', useBias: false }), bn('dw0_bn'), relu6('dw0_relu'), conv(16, 'project0'), bn('project0_bn'));
  x = chain(x, conv(96, 'expand1'), bn('expand1_bn'), relu6('expand1_relu'), new ZeroPadding2D({ padding: [[0, 1], [0, 1]] }));
  x = chain(x, new DepthwiseConv2D({ kernelSize: 3, strides: 2, useBias: false }), bn('dw1_bn'), relu6('dw1_relu'), conv(24, 'project1'), bn('project1_bn'));
  const y = chain(x, conv(144, 'expand2'), bn('expand2_bn'), relu6('expand2_relu'), new DepthwiseConv2D({ kernelSize: 3, padding: 'same', useBias: false }), bn('dw2_bn'), relu6('dw2_relu'), conv(24, 'project2'), bn('project2_bn'));
  return new Model({ inputs: input, outputs: new Add().apply([x, y]) as SymbolicTensor });
}

let call: () => void;
if (mode === 'step') {
  const model = firstBlocks();
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const x = randomUniform([batch, 224, 224, 3]), y = randomUniform([batch, 56, 56, 24]);
  call = () => void model.trainOnBatch(x, y);
} else {
  const op = mode === 'kernel' ? depthwiseConv2d : depthwiseConv2dComposed;
  const x = randomUniform([batch, 112, 112, 32], { minval: -1, maxval: 1 }), k = randomUniform([3, 3, 32, 1], { minval: -1, maxval: 1 });
  const projection = randomUniform([batch, 112, 112, 32]);
  const loss = valueAndGrad((a: Tensor, b: Tensor) => sum(mul(op(a, b, { padding: 'same' }), projection)));
  call = () => loss(x, k).grads.forEach((g) => g.data());
}
const rows: { seconds: number; peakRssMiB: number }[] = [];
for (let i = 0; i < calls; i++) {
  // Native memory goes back through finalizers, which run only when the event loop turns (fit yields
  // between batches); a loop that never yields grows by every call's tensors.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const start = performance.now();
  call();
  rows.push({ seconds: Number(((performance.now() - start) / 1000).toFixed(2)), peakRssMiB: peakMiB() });
}
console.log(JSON.stringify({ mode, batch, backend: backendInfo(), calls: rows }));
