/**
 * A finite-difference gradient check for every differentiable op, in float64 on the reference backend.
 * The table is typed over DifferentiableOp: adding an op to ops/op-names.ts without a check here is a
 * compile error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../src/ops/tensor-methods.js';
import * as ops from '../src/ops/index.js';
import type { DifferentiableOp } from '../src/ops/index.js';
import { tensor } from '../src/tensor/creation.js';
import { valueAndGrad } from '../src/tensor/tape.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { setSeed } from '../src/util/random.js';
import type { CheckOptions } from './grad-check.js';
import { checkGradients, rand } from './grad-check.js';

interface Case {
  name: string;
  inputs: () => Tensor[];
  f: (...xs: Tensor[]) => Tensor;
  options?: CheckOptions;
}

const pos = (shape: number[]) => rand(shape, { low: 0.3, high: 2 });
const r = (shape: number[], kinks: number[] = []) => rand(shape, { kinks });
/** Small values keep hard-sigmoid gates away from their kinks at +-2.5. */
const small = (shape: number[]) => rand(shape, { low: -0.8, high: 0.8 });
const stepMask = tensor([[true, false, true, true], [false, true, true, false]]);

const unary = (f: (x: Tensor) => Tensor, make = (s: number[]) => r(s, [0])): Case[] => [
  { name: '[3, 4]', inputs: () => [make([3, 4])], f },
  { name: 'scalar', inputs: () => [make([])], f },
];

const binary = (f: (a: Tensor, b: Tensor) => Tensor, make = (s: number[]) => r(s), makeB = make): Case[] => [
  { name: 'same shape', inputs: () => [make([2, 3]), makeB([2, 3])], f },
  { name: 'broadcast row', inputs: () => [make([2, 3]), makeB([3])], f },
  { name: 'broadcast both', inputs: () => [make([2, 1]), makeB([1, 3])], f },
  { name: 'scalar operand', inputs: () => [make([]), makeB([2, 3])], f },
];

const conv = (opts: ops.Conv2dOptions, x: number[], w: number[]): Case => ({
  name: JSON.stringify({ ...opts, x, w }),
  inputs: () => [r(x), r(w), r([w[3]!])],
  f: (a, b, c) => ops.conv2d(a, b, { ...opts, bias: c }),
});

const transposed = (opts: ops.Conv2dTransposeOptions, x: number[], w: number[]): Case => ({
  name: JSON.stringify({ ...opts, x, w }),
  inputs: () => [r(x), r(w)],
  f: (a, b) => ops.conv2dTranspose(a, b, opts),
});

const depthwise = (opts: ops.DepthwiseConv2dOptions, x: number[], w: number[]): Case => ({
  name: JSON.stringify({ ...opts, x, w }),
  inputs: () => [r(x), r(w)],
  f: (a, b) => ops.depthwiseConv2d(a, b, opts),
});

const volume = (f: typeof ops.conv3dTranspose, opts: ops.Conv3dTransposeOptions, x: number[], w: number[]): Case => ({
  name: JSON.stringify({ ...opts, x, w }),
  inputs: () => [r(x), r(w)],
  f: (a, b) => f(a, b, opts),
});

const pool3 = (f: typeof ops.maxPool3d, opts: ops.Pool3dOptions, x: number[]): Case => ({
  name: JSON.stringify({ ...opts, x }),
  inputs: () => [r(x)],
  f: (a) => f(a, opts),
});

const pool = (f: typeof ops.maxPool2d, opts: ops.Pool2dOptions, x: number[]): Case => ({
  name: JSON.stringify({ ...opts, x }),
  inputs: () => [r(x)],
  f: (a) => f(a, opts),
});

const checks: Record<DifferentiableOp, Case[]> = {
  add: binary(ops.add),
  sub: binary(ops.sub),
  mul: binary(ops.mul),
  div: binary(ops.div, r, (s) => rand(s, { low: 0.5, high: 2 })),
  neg: unary(ops.neg),
  pow: binary(ops.pow, pos, r),
  sqrt: unary(ops.sqrt, pos),
  rsqrt: unary(ops.rsqrt, pos),
  square: unary(ops.square),
  exp: unary(ops.exp),
  log: unary(ops.log, pos),
  log1p: unary(ops.log1p, pos),
  abs: unary(ops.abs),
  reciprocal: unary(ops.reciprocal),
  maximum: binary(ops.maximum),
  minimum: binary(ops.minimum),
  clip: unary((x) => ops.clip(x, -1, 1), (s) => r(s, [-1, 1])),
  where: [
    { name: 'broadcast condition', inputs: () => [r([2, 3]), r([3])], f: (a, b) => ops.where(tensor([[true], [false]]), a, b) },
  ],
  cast: [
    { name: 'float64 -> float32 -> float64', inputs: () => [r([2, 2])], f: (x) => ops.mul(ops.cast(ops.cast(x, 'float32'), 'float64'), 1), options: { step: 1e-2, tolerance: 1e-5 } },
  ],
  squaredDifference: binary(ops.squaredDifference),
  relu: unary(ops.relu),
  leakyRelu: unary((x) => ops.leakyRelu(x, 0.2)),
  elu: unary((x) => ops.elu(x, 0.7)),
  selu: unary(ops.selu),
  gelu: unary(ops.gelu),
  sigmoid: unary(ops.sigmoid),
  tanh: unary(ops.tanh),
  softplus: unary(ops.softplus),
  relu6: unary(ops.relu6, (s) => r(s, [0, 6])).concat([{ name: 'around 6', inputs: () => [rand([3, 4], { low: 4, high: 8, kinks: [6] })], f: ops.relu6 }]),
  swish: unary(ops.swish),
  mish: unary(ops.mish),
  hardSigmoid: unary(ops.hardSigmoid, (s) => rand(s, { low: -5, high: 5, kinks: [-2.5, 2.5] })),
  hardSwish: unary(ops.hardSwish, (s) => rand(s, { low: -5, high: 5, kinks: [-3, 3] })),
  softsign: unary(ops.softsign),
  sum: [
    { name: 'all', inputs: () => [r([2, 3, 4])], f: (x) => ops.sum(x) },
    { name: 'axes [0, 2] keepDims', inputs: () => [r([2, 3, 4])], f: (x) => ops.sum(x, [0, 2], { keepDims: true }) },
    { name: 'axis -1', inputs: () => [r([2, 3, 4])], f: (x) => ops.sum(x, -1) },
  ],
  mean: [
    { name: 'axis 1', inputs: () => [r([2, 3, 4])], f: (x) => ops.mean(x, 1) },
    { name: 'axes [0, 2]', inputs: () => [r([2, 3, 4])], f: (x) => ops.mean(x, [0, 2]) },
  ],
  max: [
    { name: 'axis 1', inputs: () => [r([3, 5])], f: (x) => ops.max(x, 1) },
    { name: 'all', inputs: () => [r([3, 5])], f: (x) => ops.max(x) },
  ],
  min: [{ name: 'axes [0, 2] keepDims', inputs: () => [r([2, 3, 4])], f: (x) => ops.min(x, [0, 2], { keepDims: true }) }],
  prod: [{ name: 'axis 0', inputs: () => [rand([3, 4], { low: 0.5, high: 1.5 })], f: (x) => ops.prod(x, 0) }],
  logSumExp: [
    { name: 'axis -1', inputs: () => [r([3, 5])], f: (x) => ops.logSumExp(x, -1) },
    { name: 'all, large values', inputs: () => [rand([4], { low: 500, high: 502 })], f: (x) => ops.logSumExp(x) },
  ],
  variance: [{ name: 'axis 0', inputs: () => [r([5, 3])], f: (x) => ops.variance(x, 0) }],
  reshape: [{ name: '[2, 6] -> [3, -1]', inputs: () => [r([2, 6])], f: (x) => ops.reshape(x, [3, -1]) }],
  transpose: [
    { name: 'default', inputs: () => [r([2, 3])], f: (x) => ops.transpose(x) },
    { name: 'perm [2, 0, 1]', inputs: () => [r([2, 3, 4])], f: (x) => ops.transpose(x, [2, 0, 1]) },
  ],
  expandDims: [{ name: 'axis 1', inputs: () => [r([2, 3])], f: (x) => ops.expandDims(x, 1) }],
  squeeze: [{ name: 'axis 1', inputs: () => [r([2, 1, 3])], f: (x) => ops.squeeze(x, 1) }],
  slice: [{ name: 'middle block', inputs: () => [r([4, 5])], f: (x) => ops.slice(x, [1, 2], [2, -1]) }],
  concat: [
    { name: 'axis 1, three inputs', inputs: () => [r([2, 1]), r([2, 3]), r([2, 2])], f: (a, b, c) => ops.concat([a, b, c], 1) },
    { name: 'axis 0', inputs: () => [r([1, 3]), r([2, 3])], f: (a, b) => ops.concat([a, b], 0) },
  ],
  stack: [{ name: 'axis 1', inputs: () => [r([2, 3]), r([2, 3])], f: (a, b) => ops.stack([a, b], 1) }],
  gather: [
    { name: 'axis 0 with repeats', inputs: () => [r([4, 3])], f: (x) => ops.gather(x, [2, 0, 2, 3], 0) },
    { name: 'axis 1, 2-D indices', inputs: () => [r([2, 4, 2])], f: (x) => ops.gather(x, [[1, 1], [3, 0]], 1) },
  ],
  pad: [{ name: 'both sides', inputs: () => [r([2, 3])], f: (x) => ops.pad(x, [[1, 0], [2, 1]], 0.5) }],
  broadcastTo: [{ name: '[3, 1] -> [2, 3, 4]', inputs: () => [r([3, 1])], f: (x) => ops.broadcastTo(x, [2, 3, 4]) }],
  matmul: [
    { name: '2-D', inputs: () => [r([3, 4]), r([4, 2])], f: (a, b) => ops.matmul(a, b) },
    { name: 'transposeA', inputs: () => [r([4, 3]), r([4, 2])], f: (a, b) => ops.matmul(a, b, { transposeA: true }) },
    { name: 'transposeB', inputs: () => [r([3, 4]), r([2, 4])], f: (a, b) => ops.matmul(a, b, { transposeB: true }) },
    { name: 'both transposed', inputs: () => [r([4, 3]), r([2, 4])], f: (a, b) => ops.matmul(a, b, { transposeA: true, transposeB: true }) },
    { name: 'batched', inputs: () => [r([2, 3, 4]), r([2, 4, 2])], f: (a, b) => ops.matmul(a, b) },
    { name: 'batch broadcast', inputs: () => [r([2, 3, 4]), r([4, 2])], f: (a, b) => ops.matmul(a, b) },
  ],
  linear: (['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'leakyRelu', 'softplus'] as const).map((activation) => ({
    name: activation,
    inputs: () => [r([3, 4]), r([4, 5]), r([5])],
    f: (x: Tensor, w: Tensor, b: Tensor) => ops.linear(x, w, { bias: b, activation }),
  })),
  conv2d: [
    conv({ padding: 'valid' }, [2, 5, 6, 2], [3, 3, 2, 3]),
    conv({ padding: 'same', groups: 2, activation: 'tanh' }, [1, 4, 5, 4], [3, 2, 2, 6]),
    conv({ padding: 'same' }, [1, 5, 4, 2], [3, 2, 2, 2]),
    conv({ padding: 'valid', strides: 2 }, [1, 7, 6, 2], [3, 3, 2, 2]),
    conv({ padding: 'same', strides: [2, 3] }, [1, 6, 7, 1], [2, 3, 1, 2]),
    conv({ padding: 'valid', dilations: 2 }, [1, 6, 7, 1], [2, 2, 1, 2]),
    conv({ padding: 'same', activation: 'relu' }, [1, 4, 5, 2], [3, 3, 2, 2]),
  ],
  maxPool2d: [
    pool(ops.maxPool2d, { poolSize: 2 }, [2, 4, 6, 2]),
    pool(ops.maxPool2d, { poolSize: 3, strides: 2, padding: 'same' }, [1, 5, 7, 2]),
    pool(ops.maxPool2d, { poolSize: [2, 3], strides: 1 }, [1, 4, 5, 1]),
    {
      // A relu conv output: the pool folds the relu derivative into its gradient (some windows are all 0).
      name: 'after conv2d with relu',
      inputs: () => [r([2, 6, 6, 2]), r([3, 3, 2, 3])],
      f: (x, w) => ops.maxPool2d(ops.conv2d(x, w, { bias: tensor([-1, 0.5, -3], { dtype: 'float64' }), activation: 'relu' })),
    },
  ],
  avgPool2d: [
    pool(ops.avgPool2d, { poolSize: 2 }, [2, 4, 6, 2]),
    pool(ops.avgPool2d, { poolSize: 3, strides: 2, padding: 'same' }, [1, 5, 7, 2]),
  ],
  globalAvgPool2d: [{ name: 'non-square', inputs: () => [r([2, 3, 4, 2])], f: (x) => ops.globalAvgPool2d(x) }],
  globalMaxPool2d: [{ name: 'non-square', inputs: () => [r([2, 3, 4, 2])], f: (x) => ops.globalMaxPool2d(x) }],
  conv2dTranspose: [
    transposed({ padding: 'valid' }, [2, 3, 4, 2], [3, 3, 3, 2]),
    transposed({ padding: 'same', strides: 2 }, [1, 3, 2, 2], [3, 3, 2, 2]),
    transposed({ padding: 'valid', strides: [2, 3] }, [1, 2, 3, 1], [2, 2, 2, 1]),
    transposed({ padding: 'same', strides: 2, outputPadding: 0 }, [1, 3, 3, 1], [3, 3, 1, 1]),
    transposed({ padding: 'valid', dilations: 2 }, [1, 3, 2, 1], [2, 2, 2, 1]),
  ],
  depthwiseConv2d: [
    depthwise({ padding: 'valid' }, [2, 4, 5, 3], [3, 3, 3, 1]),
    depthwise({ padding: 'same', strides: 2 }, [1, 5, 4, 2], [3, 3, 2, 2]),
    depthwise({ padding: 'same', dilations: [2, 1] }, [1, 5, 4, 2], [2, 3, 2, 1]),
    {
      name: 'fused bias and tanh',
      inputs: () => [r([2, 4, 3, 2]), r([3, 2, 2, 2]), r([4])],
      f: (a, b, c) => ops.depthwiseConv2d(a, b, { padding: 'same', bias: c, activation: 'tanh' }),
    },
    {
      name: 'composed form',
      inputs: () => [r([1, 5, 4, 2]), r([3, 3, 2, 2])],
      f: (a, b) => ops.depthwiseConv2dComposed(a, b, { padding: 'same', strides: 2 }),
    },
  ],
  conv3d: [
    volume(ops.conv3d, { padding: 'valid' }, [1, 3, 4, 3, 2], [2, 2, 2, 2, 2]),
    volume(ops.conv3d, { padding: 'same', strides: [2, 1, 2] }, [2, 3, 3, 4, 1], [3, 2, 3, 1, 2]),
    volume(ops.conv3d, { padding: 'valid', dilations: [2, 1, 1] }, [1, 4, 3, 3, 1], [2, 2, 2, 1, 1]),
  ],
  conv3dTranspose: [
    volume(ops.conv3dTranspose, { padding: 'valid' }, [1, 2, 3, 2, 2], [2, 2, 2, 2, 2]),
    volume(ops.conv3dTranspose, { padding: 'same', strides: [2, 1, 2] }, [1, 2, 2, 3, 1], [3, 2, 3, 2, 1]),
    volume(ops.conv3dTranspose, { padding: 'same', strides: 2, outputPadding: [1, 0, 1] }, [1, 2, 2, 2, 1], [3, 3, 3, 1, 1]),
  ],
  maxPool3d: [
    pool3(ops.maxPool3d, { poolSize: 2 }, [2, 4, 4, 2, 2]),
    pool3(ops.maxPool3d, { poolSize: [3, 2, 2], strides: [2, 1, 2], padding: 'same' }, [1, 5, 3, 4, 2]),
  ],
  avgPool3d: [
    pool3(ops.avgPool3d, { poolSize: 2 }, [2, 4, 4, 2, 2]),
    pool3(ops.avgPool3d, { poolSize: [3, 2, 2], strides: [2, 1, 2], padding: 'same' }, [1, 5, 3, 4, 2]),
  ],
  globalAvgPool3d: [{ name: 'non-cubic', inputs: () => [r([2, 2, 3, 4, 2])], f: (x) => ops.globalAvgPool3d(x) }],
  globalMaxPool3d: [{ name: 'non-cubic', inputs: () => [r([2, 2, 3, 4, 2])], f: (x) => ops.globalMaxPool3d(x) }],
  upSampling2d: [
    { name: 'nearest [2, 3]', inputs: () => [r([2, 3, 2, 2])], f: (x) => ops.upSampling2d(x, [2, 3]) },
    { name: 'bilinear 2', inputs: () => [r([1, 3, 4, 2])], f: (x) => ops.upSampling2d(x, 2, { interpolation: 'bilinear' }) },
    { name: 'bilinear [3, 1]', inputs: () => [r([2, 2, 3, 1])], f: (x) => ops.upSampling2d(x, [3, 1], { interpolation: 'bilinear' }) },
    { name: 'composed forms', inputs: () => [r([1, 3, 2, 2])], f: (x) => ops.add(ops.upSampling2dComposed(x, 2, { interpolation: 'bilinear' }), ops.upSampling2dComposed(x, 2)) },
  ],
  upSampling3d: [{ name: '[2, 1, 3]', inputs: () => [r([1, 2, 3, 2, 2])], f: (x) => ops.upSampling3d(x, [2, 1, 3]) }],
  softmax: [
    { name: 'last axis', inputs: () => [r([3, 4])], f: (x) => ops.softmax(x) },
    { name: 'axis 0', inputs: () => [r([3, 4])], f: (x) => ops.softmax(x, 0) },
  ],
  logSoftmax: [
    { name: 'last axis', inputs: () => [r([3, 4])], f: (x) => ops.logSoftmax(x) },
    { name: 'axis 1 of 3-D', inputs: () => [r([2, 3, 2])], f: (x) => ops.logSoftmax(x, 1) },
  ],
  layerNorm: [
    { name: '[3, 5]', inputs: () => [r([3, 5]), r([5]), r([5])], f: (x, g, b) => ops.layerNorm(x, g, b) },
    { name: '[2, 3, 4], epsilon 0.1', inputs: () => [r([2, 3, 4]), r([4]), r([4])], f: (x, g, b) => ops.layerNorm(x, g, b, { epsilon: 0.1 }) },
    { name: 'one column (the output is beta)', inputs: () => [r([4, 1]), r([1]), r([1])], f: (x, g, b) => ops.layerNorm(x, g, b) },
  ],
  lstmSequence: [
    { name: 'sigmoid gates', inputs: () => [small([2, 4, 12]), small([3, 12]), small([2, 3]), small([2, 3])], f: (xp, k, h, c) => ops.lstmSequence(xp, k, h, c) },
    {
      name: 'masked, hard sigmoid gates',
      inputs: () => [small([2, 4, 12]), small([3, 12]), small([2, 3]), small([2, 3])],
      f: (xp, k, h, c) => ops.lstmSequence(xp, k, h, c, { mask: stepMask, recurrentActivation: 'hardSigmoid' }),
    },
  ],
  gruSequence: [
    { name: 'reset after', inputs: () => [small([2, 4, 9]), small([3, 9]), small([9]), small([2, 3])], f: (xp, k, b, h) => ops.gruSequence(xp, k, b, h) },
    { name: 'reset after, masked', inputs: () => [small([2, 4, 9]), small([3, 9]), small([9]), small([2, 3])], f: (xp, k, b, h) => ops.gruSequence(xp, k, b, h, { mask: stepMask }) },
    {
      name: 'reset before, masked, hard sigmoid gates',
      inputs: () => [small([2, 4, 9]), small([3, 9]), small([2, 3])],
      f: (xp, k, h) => ops.gruSequence(xp, k, null, h, { resetAfter: false, mask: stepMask, recurrentActivation: 'hardSigmoid' }),
    },
  ],
  dropout: [
    {
      name: 'rate 0.5, fixed mask',
      inputs: () => [r([4, 5])],
      f: (x) => {
        setSeed(3);
        return ops.dropout(x, 0.5);
      },
    },
  ],
  imageTransform: [
    // Rotation, zoom and shift away from integer coordinates, so bilinear weights are smooth in the images.
    ...(['constant', 'reflect', 'wrap', 'nearest'] as const).map((fillMode) => ({
      name: `bilinear, fillMode ${fillMode}`,
      inputs: () => [r([2, 4, 5, 2])],
      f: (x: Tensor) => ops.imageTransform(x, tensor([[0.8, -0.5, 1.3, 0.45, 0.9, -0.7, 0, 0]]), { fillMode, fillValue: 0.5 }),
    })),
    { name: 'nearest, resized to 3x7', inputs: () => [r([1, 4, 5, 3])], f: (x) => ops.imageTransform(x, tensor([[0.6, 0, 0.1, 0, 1.2, 0.3, 0, 0]]), { interpolation: 'nearest', outputSize: [3, 7] }) },
  ],
};

/**
 * Ops composed of the ops above, with no backward rule of their own: checked all the same, since their
 * composition decides where the gradient goes (padding, groups, masks, layouts).
 */
const composites: Record<string, Case[]> = {
  conv1d: [
    { name: 'valid, bias', inputs: () => [r([2, 6, 3]), r([3, 3, 2]), r([2])], f: (x, w, b) => ops.conv1d(x, w, { bias: b }) },
    { name: 'same, strides 2', inputs: () => [r([1, 7, 2]), r([3, 2, 3])], f: (x, w) => ops.conv1d(x, w, { padding: 'same', strides: 2 }) },
    { name: 'causal, dilation 2, tanh', inputs: () => [r([2, 6, 2]), r([2, 2, 2]), r([2])], f: (x, w, b) => ops.conv1d(x, w, { padding: 'causal', dilation: 2, bias: b, activation: 'tanh' }) },
    { name: 'groups 2', inputs: () => [r([1, 5, 4]), r([2, 2, 4]), r([4])], f: (x, w, b) => ops.conv1d(x, w, { groups: 2, bias: b, padding: 'same' }) },
  ],
  maxPool1d: [{ name: 'pool 2, same', inputs: () => [r([2, 5, 3])], f: (x) => ops.maxPool1d(x, { poolSize: 2, padding: 'same' }) }],
  avgPool1d: [{ name: 'pool 3, strides 1', inputs: () => [r([2, 5, 2])], f: (x) => ops.avgPool1d(x, { poolSize: 3, strides: 1 }) }],
  upSampling1d: [{ name: 'size 3', inputs: () => [r([2, 3, 2])], f: (x) => ops.upSampling1d(x, 3) }],
  einsum: [
    { name: 'projection abc,cde->abde', inputs: () => [r([2, 3, 4]), r([4, 2, 3])], f: (a, b) => ops.einsum('abc,cde->abde', a, b) },
    { name: 'attention scores aecd,abcd->acbe', inputs: () => [r([2, 3, 2, 2]), r([2, 4, 2, 2])], f: (a, b) => ops.einsum('aecd,abcd->acbe', a, b) },
    { name: 'attention combine acbe,aecd->abcd', inputs: () => [r([2, 2, 3, 4]), r([2, 4, 2, 3])], f: (a, b) => ops.einsum('acbe,aecd->abcd', a, b) },
    { name: 'a letter summed out abc,d->a', inputs: () => [r([2, 3, 2]), r([3])], f: (a, b) => ops.einsum('abc,d->a', a, b) },
  ],
  maskedSoftmax: [
    {
      name: 'mask broadcast over heads, one row fully masked',
      inputs: () => [r([2, 2, 3, 4])],
      f: (x) => ops.maskedSoftmax(x, tensor([[[[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]]], [[[1, 1, 1, 1], [0, 1, 1, 0], [0, 0, 1, 1]]]], { dtype: 'bool' })),
    },
  ],
};

describe('gradient checks (float64, central differences)', () => {
  for (const [op, cases] of [...Object.entries(checks), ...Object.entries(composites)]) {
    for (const c of cases) {
      test(`${op}: ${c.name}`, () => checkGradients(c.f, c.inputs(), c.options));
    }
  }
});

describe('gradient accumulation and graph shape', () => {
  test('a tensor used several times gets the sum of its gradients', () => {
    const x = tensor([1.5, -2], { dtype: 'float64' });
    const { grads } = valueAndGrad((a) => ops.sum(ops.add(ops.mul(a, a), ops.mul(a, 3))))(x);
    assert.deepEqual(grads[0]!.toArray(), [2 * 1.5 + 3, 2 * -2 + 3]);
  });

  test('a 20,000-op chain backpropagates without overflowing the stack', () => {
    const x = tensor([1], { dtype: 'float64' });
    const { grads } = valueAndGrad((a) => {
      let y = a;
      for (let i = 0; i < 20000; i++) y = ops.add(y, 1e-4);
      return ops.sum(y);
    })(x);
    assert.equal(grads[0]!.item(), 1);
  });

  test('conv2d(relu) then maxPool2d gives the same gradients fused as with separate relu', () => {
    const x = rand([2, 6, 6, 2]), w = rand([3, 3, 2, 3]), b = tensor([-1, 0.5, -3], { dtype: 'float64' });
    const fused = valueAndGrad((a, c) => ops.sum(ops.maxPool2d(ops.conv2d(a, c, { bias: b, activation: 'relu' }))))(x, w);
    const separate = valueAndGrad((a, c) => ops.sum(ops.maxPool2d(ops.relu(ops.conv2d(a, c, { bias: b })))))(x, w);
    assert.deepEqual(fused.grads.map((g) => g.toArray()), separate.grads.map((g) => g.toArray()));
  });

  test('dropout keeps the expected fraction and rescales the rest', () => {
    setSeed(11);
    const y = ops.dropout(tensor(new Float32Array(10000).fill(1)), 0.3);
    const values = y.data();
    const kept = values.filter((v) => v !== 0);
    assert.ok(Math.abs(kept.length / 10000 - 0.7) < 0.02, `kept ${kept.length}`);
    assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
  });
});
