import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { Model } from '../models/model.js';
import { notEqual } from '../ops/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer } from './layer.js';
import { Multiply } from './multiply.js';
import { ELU } from './elu.js';
import { Input } from './input-layer.js';
import { LeakyReLU } from './leaky-relu.js';
import { PReLU } from './prelu.js';
import { ReLU } from './relu.js';
import { Softmax } from './softmax.js';
import { assertConfigRoundTrip, checkLayerGradients, float64Input } from './testing.js';
import { ThresholdedReLU } from './thresholded-relu.js';

const xs = [-3, -1, -0.25, 0.5, 1.5, 4, 7];
const values = (layer: { apply(x: ReturnType<typeof tensor>): ReturnType<typeof tensor> }) => Array.from(layer.apply(tensor(xs, { dtype: 'float64' })).data());

test("ReLU: Keras's relu(x, negative_slope, max_value, threshold), value by value", () => {
  assert.deepEqual(values(new ReLU()), xs.map((v) => Math.max(v, 0)));
  assert.deepEqual(values(new ReLU({ maxValue: 6 })), xs.map((v) => Math.min(Math.max(v, 0), 6)));
  assert.deepEqual(values(new ReLU({ negativeSlope: 0.1 })), xs.map((v) => (v > 0 ? v : 0.1 * v)));
  // With a threshold: x where x > threshold; below it negativeSlope * (x - threshold).
  assert.deepEqual(values(new ReLU({ threshold: 1, negativeSlope: 0.5, maxValue: 5 })), xs.map((v) => (v > 1 ? Math.min(v, 5) : 0.5 * (v - 1))));
  assert.equal(new ReLU({ maxValue: 6 }).outputActivation, 'relu6');
});

test('LeakyReLU, ELU and ThresholdedReLU', () => {
  assert.deepEqual(values(new LeakyReLU()), xs.map((v) => (v > 0 ? v : 0.3 * v)));
  assert.deepEqual(values(new LeakyReLU({ alpha: 0.2 })), xs.map((v) => (v > 0 ? v : 0.2 * v)), "TensorFlow.js's and Keras 2's name");
  assert.throws(() => new LeakyReLU({ alpha: 0.2, negativeSlope: 0.1 }), /name the same slope; give one/);
  const elu = values(new ELU({ alpha: 0.5 }));
  xs.forEach((v, i) => assert.ok(Math.abs(elu[i]! - (v > 0 ? v : 0.5 * Math.expm1(v))) < 1e-15));
  assert.deepEqual(values(new ThresholdedReLU({ theta: 1 })), xs.map((v) => (v > 1 ? v : 0)));
});

test('PReLU: one learned slope per value, shared along sharedAxes; starts as a ReLU', () => {
  const layer = new PReLU({ sharedAxes: [1, 2] });
  const y = layer.apply(tensor([[[[-1, 2], [3, -4]]]]));
  assert.deepEqual(layer.weights[0]!.shape, [1, 1, 2]);
  assert.deepEqual(y.toArray(), [[[[0, 2], [3, 0]]]]);
  layer.setWeights([tensor([[[0.5, 0.25]]])]);
  assert.deepEqual(layer.apply(tensor([[[[-1, 2], [3, -4]]]])).toArray(), [[[[-0.5, 2], [3, -1]]]]);
  assert.deepEqual(new PReLU().apply(Input({ shape: [3, 4] })).shape, [null, 3, 4]);
  assert.throws(() => new PReLU({ sharedAxes: [3], name: 'prelu_check' }).apply(Input({ shape: [3, 4] })), /PReLU 'prelu_check': option 'sharedAxes' names axis 3/);
  assert.throws(() => new PReLU({ name: 'prelu_check2' }).apply(Input({ shape: [null, 4] })), /axis 1 of the input must be known \(or shared\)/);
});

test('Softmax: over one axis or several, and with a mask given to the call', () => {
  const x = tensor([[1, 2, 3], [1, 1, 1]], { dtype: 'float64' });
  const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
  const y = new Softmax().apply(x).toArray() as number[][];
  assert.ok(Math.abs(y[0]![2]! - Math.exp(3) / total) < 1e-12);
  const both = new Softmax({ axis: [0, 1] }).apply(x).data();
  const all = Math.exp(1) * 3 + Math.exp(2) + Math.exp(3) + Math.exp(1);
  assert.ok(Math.abs(both[2]! - Math.exp(3) / all) < 1e-12, 'normalized over both axes together');
  const masked = new Softmax().apply(x, { mask: tensor([[true, true, false], [true, false, false]]) }).toArray() as number[][];
  const e = Math.exp(1) + Math.exp(2);
  assert.ok(Math.abs(masked[0]![0]! - Math.exp(1) / e) < 1e-12 && masked[0]![2] === 0);
  assert.deepEqual(masked[1], [1, 0, 0]);
});

test('gradients (input and PReLU slopes) match finite differences', () => {
  const away = float64Input([2, 5], 3, -3, 3);
  checkLayerGradients(new ReLU({ maxValue: 2, threshold: 0.5, negativeSlope: 0.2, dtype: 'float64' }), away);
  checkLayerGradients(new LeakyReLU({ negativeSlope: 0.1, dtype: 'float64' }), away);
  checkLayerGradients(new ELU({ alpha: 0.7, dtype: 'float64' }), away);
  checkLayerGradients(new ThresholdedReLU({ theta: 0.4, dtype: 'float64' }), away);
  checkLayerGradients(new Softmax({ axis: 0, dtype: 'float64' }), away);
  checkLayerGradients(new Softmax({ dtype: 'float64' }), away, { mask: tensor([[true, false, true, true, false], [false, true, true, true, true]]) });
  const prelu = new PReLU({ sharedAxes: 1, alphaInitializer: 'randomUniform', dtype: 'float64' });
  checkLayerGradients(prelu, float64Input([2, 3, 2], 5));
});

test('configs round-trip', () => {
  for (const layer of [
    new ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }), new LeakyReLU({ negativeSlope: 0.2 }), new PReLU({ sharedAxes: [1, 2], alphaConstraint: 'nonNeg' }),
    new ELU({ alpha: 0.3 }), new Softmax({ axis: [1, 2] }), new ThresholdedReLU({ theta: 0.5 }),
  ]) {
    assertConfigRoundTrip(layer);
  }
});

/** Makes a mask (true where the input is not 0) and passes values through. */
class MaskZeros extends Layer {
  override computeMask(inputs: readonly Tensor[]): Tensor {
    return notEqual(inputs[0]!, 0);
  }

  call(x: Tensor): Tensor {
    return x;
  }
}

test('in a model, Softmax takes the mask a layer upstream made, through layers that keep it', async () => {
  const input = Input({ shape: [3] });
  const masked = new MaskZeros().apply(input);
  const model = new Model({ inputs: input, outputs: new Softmax().apply(new LeakyReLU().apply(new Multiply().apply([masked, masked]))) });
  const y = model.predictOnBatch(tensor([[1, 0, 2], [0, 0, 3]])) as Tensor;
  const e = Math.exp(1) + Math.exp(4);
  const rows = y.toArray() as number[][];
  assert.ok(Math.abs(rows[0]![0]! - Math.exp(1) / e) < 1e-6 && rows[0]![1] === 0);
  assert.deepEqual(rows[1], [0, 0, 1]);
});
