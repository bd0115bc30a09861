import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor, zeros } from '../tensor/creation.js';
import { AveragePooling1D } from './average-pooling-1d.js';
import { ConfigReader } from './config.js';
import { Cropping1D } from './cropping-1d.js';
import { GlobalAveragePooling1D } from './global-average-pooling-1d.js';
import { GlobalMaxPooling1D } from './global-max-pooling-1d.js';
import { MaxPooling1D } from './max-pooling-1d.js';
import { checkLayerGradients, float64Input } from './testing.js';
import { UpSampling1D } from './up-sampling-1d.js';
import { ZeroPadding1D } from './zero-padding-1d.js';

// [1, 5, 2]: channel 0 counts up, channel 1 down.
const x = () => tensor([[[1, 10], [2, 9], [3, 8], [4, 7], [5, 6]]]);

test('MaxPooling1D and AveragePooling1D: hand-computed windows, valid and same padding', () => {
  assert.deepEqual(new MaxPooling1D().apply(x()).toArray(), [[[2, 10], [4, 8]]]);
  assert.deepEqual(new MaxPooling1D({ poolSize: 2, padding: 'same' }).apply(x()).toArray(), [[[2, 10], [4, 8], [5, 6]]]);
  assert.deepEqual(new AveragePooling1D({ poolSize: 3, strides: 1 }).apply(x()).toArray(), [[[2, 9], [3, 8], [4, 7]]]);
  // Same padding averages over the steps inside the input only, as Keras does.
  assert.deepEqual(new AveragePooling1D({ poolSize: [2], padding: 'same' }).apply(x()).toArray(), [[[1.5, 9.5], [3.5, 7.5], [5, 6]]]);
  assert.deepEqual(new MaxPooling1D({ poolSize: 3, strides: 2 }).computeOutputShape([null, 9, 4]), [null, 4, 4]);
  assert.deepEqual(new MaxPooling1D().computeOutputShape([null, null, 4]), [null, null, 4]);
});

test('GlobalAveragePooling1D and GlobalMaxPooling1D: over all steps, keepdims, and over the steps a mask keeps', () => {
  assert.deepEqual(new GlobalAveragePooling1D().apply(x()).toArray(), [[3, 8]]);
  assert.deepEqual(new GlobalMaxPooling1D().apply(x()).toArray(), [[5, 10]]);
  assert.deepEqual(new GlobalMaxPooling1D({ keepdims: true }).apply(x()).shape, [1, 1, 2]);
  assert.deepEqual(new GlobalAveragePooling1D({ keepdims: true }).computeOutputShape([null, 7, 3]), [null, 1, 3]);
  const two = tensor([[[1, 10], [2, 9], [3, 8], [4, 7], [5, 6]], [[-1, 0], [-2, 4], [9, 9], [9, 9], [9, 9]]], { dtype: 'float64' });
  const mask = tensor([[true, true, false, true, false], [true, true, false, false, false]], { dtype: 'bool' });
  assert.deepEqual(new GlobalAveragePooling1D({ dtype: 'float64' }).apply(two, { mask }).toArray(), [[7 / 3, 26 / 3], [-1.5, 2]]);
  assert.deepEqual(new GlobalMaxPooling1D().apply(two, { mask }).toArray(), [[4, 10], [-1, 4]]);
  // Numbers as a mask: nonzero keeps. A sequence with nothing kept pools to 0.
  assert.deepEqual(new GlobalMaxPooling1D().apply(two, { mask: tensor([[0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]) }).toArray(), [[0, 0], [-1, 0]]);
  assert.deepEqual(new GlobalAveragePooling1D().apply(two, { mask: tensor([[0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]) }).toArray(), [[0, 0], [-1, 0]]);
  assert.throws(() => new GlobalAveragePooling1D({ name: 'g' }).apply(two, { mask: tensor([[1, 1]]) }), /GlobalAveragePooling1D 'g': option 'mask' expected shape \[2, 5\]/);
});

test('UpSampling1D, ZeroPadding1D and Cropping1D: steps repeated, added and cut', () => {
  const s = tensor([[[1], [2], [3]]]);
  assert.deepEqual(new UpSampling1D().apply(s).toArray(), [[[1], [1], [2], [2], [3], [3]]]);
  assert.deepEqual(new UpSampling1D({ size: 3 }).computeOutputShape([null, 4, 2]), [null, 12, 2]);
  assert.deepEqual(new ZeroPadding1D().apply(s).toArray(), [[[0], [1], [2], [3], [0]]]);
  assert.deepEqual(new ZeroPadding1D({ padding: [2, 0] }).apply(s).toArray(), [[[0], [0], [1], [2], [3]]]);
  assert.deepEqual(new Cropping1D().apply(s).toArray(), [[[2]]]);
  assert.deepEqual(new Cropping1D({ cropping: [0, 2] }).apply(s).toArray(), [[[1]]]);
  assert.deepEqual(new Cropping1D({ cropping: [1, 2] }).computeOutputShape([null, null, 3]), [null, null, 3]);
});

test('1-D poolings and edges: input gradients match finite differences', () => {
  checkLayerGradients(new MaxPooling1D({ poolSize: 2, padding: 'same', dtype: 'float64' }), float64Input([2, 5, 3]));
  checkLayerGradients(new AveragePooling1D({ poolSize: 3, strides: 2, dtype: 'float64' }), float64Input([2, 7, 2]));
  checkLayerGradients(new GlobalAveragePooling1D({ dtype: 'float64' }), float64Input([2, 4, 3]), { mask: tensor([[true, false, true, true], [false, true, false, false]], { dtype: 'bool' }) });
  checkLayerGradients(new GlobalMaxPooling1D({ dtype: 'float64' }), float64Input([2, 4, 3]), { mask: tensor([[true, false, true, true], [false, true, false, false]], { dtype: 'bool' }) });
  checkLayerGradients(new UpSampling1D({ size: 2, dtype: 'float64' }), float64Input([2, 3, 2]));
  checkLayerGradients(new ZeroPadding1D({ padding: [1, 2], dtype: 'float64' }), float64Input([1, 3, 2]));
  checkLayerGradients(new Cropping1D({ cropping: [1, 1], dtype: 'float64' }), float64Input([1, 4, 2]));
});

test('1-D layers: bad options, wrong ranks and empty sequences name the layer and the argument', () => {
  assert.throws(() => new MaxPooling1D({ pool_size: 2 } as never), /MaxPooling1D.*pool_size/);
  assert.throws(() => new AveragePooling1D({ poolSize: 0 }), /AveragePooling1D.*poolSize/);
  assert.throws(() => new AveragePooling1D({ padding: 'causal' as never }), /AveragePooling1D.*padding/);
  assert.throws(() => new GlobalMaxPooling1D({ keepDims: true } as never), /GlobalMaxPooling1D.*keepDims/);
  assert.throws(() => new ZeroPadding1D({ padding: [1, 2, 3] as never }), /ZeroPadding1D.*padding/);
  assert.throws(() => new Cropping1D({ cropping: -1 }), /Cropping1D.*cropping/);
  assert.throws(() => new UpSampling1D({ size: 1.5 }), /UpSampling1D.*size/);
  for (const layer of [new MaxPooling1D({ name: 'p' }), new GlobalAveragePooling1D({ name: 'p' }), new UpSampling1D({ name: 'p' }), new ZeroPadding1D({ name: 'p' }), new Cropping1D({ name: 'p' })]) {
    assert.throws(() => layer.apply(zeros([2, 3])), new RegExp(`${layer.constructor.name} 'p'.*rank 3`));
    assert.throws(() => layer.apply(zeros([2, 0, 3])), new RegExp(`${layer.constructor.name} 'p'.*at least one step`));
  }
  assert.throws(() => new MaxPooling1D({ poolSize: 4 }).apply(zeros([1, 3, 1])), /MaxPooling1D.*spans 4 steps but the input has 3/);
  assert.throws(() => new Cropping1D({ cropping: [2, 1] }).apply(zeros([1, 3, 1])), /Cropping1D.*leaves no step/);
});

test('1-D layers: Keras configs read back', () => {
  for (const [make, from] of [
    [() => new MaxPooling1D({ poolSize: 3, strides: 1, padding: 'same' }), (c: ConfigReader) => MaxPooling1D.fromConfig(c)],
    [() => new AveragePooling1D({ poolSize: 2 }), (c: ConfigReader) => AveragePooling1D.fromConfig(c)],
    [() => new GlobalMaxPooling1D({ keepdims: true }), (c: ConfigReader) => GlobalMaxPooling1D.fromConfig(c)],
    [() => new GlobalAveragePooling1D(), (c: ConfigReader) => GlobalAveragePooling1D.fromConfig(c)],
    [() => new UpSampling1D({ size: 3 }), (c: ConfigReader) => UpSampling1D.fromConfig(c)],
    [() => new ZeroPadding1D({ padding: [1, 2] }), (c: ConfigReader) => ZeroPadding1D.fromConfig(c)],
    [() => new Cropping1D({ cropping: 2 }), (c: ConfigReader) => Cropping1D.fromConfig(c)],
  ] as const) {
    const config = make().getConfig();
    assert.deepEqual(from(new ConfigReader(config, 'layer')).getConfig(), config);
  }
  // Keras writes a single number for a symmetric padding, and lists of one for pool sizes.
  assert.deepEqual(ZeroPadding1D.fromConfig(new ConfigReader({ name: 'z', padding: 2 }, 'z')).padding, [2, 2]);
  assert.equal(MaxPooling1D.fromConfig(new ConfigReader({ name: 'm', pool_size: [3], strides: null }, 'm')).strides, 3);
});
