import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { conv1d } from '../ops/index.js';
import { tensor, zeros } from '../tensor/creation.js';
import { Conv1D } from './conv1d.js';
import { Input } from './input-layer.js';
import { ConfigReader } from './config.js';
import { checkLayerGradients, float64Input } from './testing.js';

test('Conv1D: output shapes for valid, same and causal padding, strides and dilation', () => {
  const shape = (options: Partial<ConstructorParameters<typeof Conv1D>[0]>) =>
    new Conv1D({ filters: 4, kernelSize: 3, ...options }).computeOutputShape([null, 10, 2]);
  assert.deepEqual(shape({}), [null, 8, 4]);
  assert.deepEqual(shape({ padding: 'same' }), [null, 10, 4]);
  assert.deepEqual(shape({ padding: 'causal' }), [null, 10, 4]);
  assert.deepEqual(shape({ strides: 2 }), [null, 4, 4]);
  assert.deepEqual(shape({ strides: [3], padding: 'same' }), [null, 4, 4]);
  assert.deepEqual(shape({ dilationRate: 2 }), [null, 6, 4]);
  assert.deepEqual(new Conv1D({ filters: 2, kernelSize: 3 }).computeOutputShape([null, null, 5]), [null, null, 2], 'an unknown length stays unknown');
  const layer = new Conv1D({ filters: 6, kernelSize: [5], groups: 2 });
  assert.deepEqual(layer.apply(zeros([2, 7, 4])).shape, [2, 3, 6]);
  assert.deepEqual(layer.weights[0]!.shape, [5, 2, 6], "Keras's kernel layout [kernelSize, channels / groups, filters]");
  assert.equal(layer.countParams(), 5 * 2 * 6 + 6);
});

test('Conv1D: computes the conv1d op with bias and activation; causal step t sees steps <= t only', () => {
  const layer = new Conv1D({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2, activation: 'tanh', dtype: 'float64', biasInitializer: 'randomNormal' });
  const x = float64Input([2, 6, 2]);
  const y = layer.apply(x);
  const [kernel, bias] = layer.weights as [typeof layer.weights[0], typeof layer.weights[0]];
  const expected = conv1d(x, kernel, { padding: 'causal', dilation: 2 }).add(bias).tanh();
  assert.ok(y.sub(expected).abs().max().item() < 1e-12);
  // Changing the last step changes only the last output step.
  const later = x.toArray() as number[][][];
  later[0]![5]![0] = 7;
  const y2 = layer.apply(tensor(later, { dtype: 'float64' }));
  const diff = (y2.sub(y).abs().toArray() as number[][][])[0]!.map((row) => Math.max(...row));
  assert.deepEqual(diff.map((d) => d > 0), [false, false, false, false, false, true]);
});

test('Conv1D: a hand-computed valid convolution', () => {
  const layer = new Conv1D({ filters: 1, kernelSize: 2, useBias: false, kernelInitializer: 'ones' });
  // [1, 4, 1] -> sums of neighbours.
  assert.deepEqual(layer.apply(tensor([[[1], [2], [3], [4]]])).toArray(), [[[3], [5], [7]]]);
});

test('Conv1D: weight and input gradients match finite differences', () => {
  checkLayerGradients(new Conv1D({ filters: 2, kernelSize: 3, activation: 'tanh', dtype: 'float64', biasInitializer: 'randomNormal' }), float64Input([2, 5, 3]));
  checkLayerGradients(new Conv1D({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', dtype: 'float64' }), float64Input([1, 5, 2]));
  checkLayerGradients(new Conv1D({ filters: 4, kernelSize: 2, padding: 'causal', dilationRate: 2, groups: 2, activation: 'gelu', dtype: 'float64' }), float64Input([2, 5, 4]));
});

test('Conv1D: bad options, wrong ranks and empty sequences name the layer and the argument', () => {
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, kernel_size: 3 } as never), /Conv1D.*kernel_size/);
  assert.throws(() => new Conv1D({ filters: 0, kernelSize: 3 }), /Conv1D.*filters/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, padding: 'full' as never }), /Conv1D.*padding/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), /Conv1D.*'strides' and 'dilationRate'/);
  assert.throws(() => new Conv1D({ filters: 3, kernelSize: 3, groups: 2 }), /Conv1D.*'groups' \(2\) must divide option 'filters' \(3\)/);
  const layer = new Conv1D({ filters: 2, kernelSize: 3, name: 'c1' });
  assert.throws(() => layer.apply(zeros([4, 3])), /Conv1D 'c1'.*rank 3/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 3 }).apply(zeros([1, 0, 3])), /Conv1D.*at least one step/);
  assert.throws(() => new Conv1D({ filters: 2, kernelSize: 5 }).apply(Input({ shape: [3, 1] })), /Conv1D.*spans 5 steps but the input has 3/);
  layer.apply(zeros([1, 5, 3]));
  assert.throws(() => layer.apply(zeros([1, 5, 2])), /Conv1D 'c1'.*last dimension 3/);
});

test('Conv1D: its Keras config reads back (Keras spells sizes as lists of one)', () => {
  const layer = new Conv1D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c' });
  const config = layer.getConfig();
  assert.deepEqual([config['kernel_size'], config['strides'], config['dilation_rate'], config['padding']], [[3], [2], [1], 'same']);
  const back = Conv1D.fromConfig(new ConfigReader(config, 'Conv1D'));
  assert.deepEqual(back.getConfig(), config);
  assert.throws(() => Conv1D.fromConfig(new ConfigReader({ ...config, data_format: 'channels_first' }, 'Conv1D')), /channels/);
});
