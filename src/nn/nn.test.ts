import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { valueAndGrad } from '../tensor/tape.js';
import { setSeed } from '../util/random.js';
import { activationNames, getActivation } from './activations.js';
import { computeFans, getInitializer, glorotUniform, heNormal, heUniform, lecunNormal } from './initializers.js';
import { getRegularizer, l1, l1l2, l2 } from './regularizers.js';

describe('activations', () => {
  const xs = [-2, -0.5, 0.5, 2];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const expected: Record<string, (v: number) => number> = {
    linear: (v) => v,
    relu: (v) => Math.max(v, 0),
    leakyRelu: (v) => (v > 0 ? v : 0.3 * v),
    elu: (v) => (v > 0 ? v : Math.expm1(v)),
    selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)),
    sigmoid: sig,
    tanh: Math.tanh,
    softplus: (v) => Math.log1p(Math.exp(v)),
    relu6: (v) => Math.min(Math.max(v, 0), 6),
    swish: (v) => v * sig(v),
    softsign: (v) => v / (1 + Math.abs(v)),
    hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
    hardSwish: (v) => v * Math.min(Math.max(v / 6 + 0.5, 0), 1),
    mish: (v) => v * Math.tanh(Math.log1p(Math.exp(v))),
    exponential: Math.exp,
  };

  test('elementwise activations compute their formulas', () => {
    for (const [name, f] of Object.entries(expected)) {
      const y = getActivation(name).apply(tensor(xs, { dtype: 'float64' })).toArray() as number[];
      y.forEach((v, i) => assert.ok(Math.abs(v - f(xs[i]!)) < 1e-12, `${name}(${xs[i]}) = ${v}, expected ${f(xs[i]!)}`));
    }
  });

  test('softmax, logSoftmax and gelu', () => {
    const row = tensor([[1, 2, 3]], { dtype: 'float64' });
    const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assert.ok(Math.abs((getActivation('softmax').apply(row).toArray() as number[][])[0]![2]! - Math.exp(3) / total) < 1e-12);
    assert.ok(Math.abs((getActivation('log_softmax').apply(row).toArray() as number[][])[0]![0]! - (1 - Math.log(total))) < 1e-12);
    const g = getActivation('gelu').apply(tensor([1], { dtype: 'float64' })).item();
    assert.ok(Math.abs(g - 0.8413) < 2e-3, `gelu(1) = ${g}`);
  });

  test('every name resolves in camelCase and snake_case; fusable ones say so', () => {
    for (const name of activationNames()) {
      assert.equal(getActivation(name).name, name);
      const snake = name.replace(/([A-Z])/g, '_$1').toLowerCase();
      assert.equal(getActivation(snake).name, name);
    }
    assert.equal(getActivation('relu').fusable, 'relu');
    assert.equal(getActivation('softmax').fusable, null);
    assert.equal(getActivation(undefined).name, 'linear');
    assert.equal(getActivation('silu').name, 'swish');
    assert.equal(getActivation('hard_silu').name, 'hardSwish');
    assert.equal(getActivation('hard_swish').name, 'hardSwish');
    const custom = getActivation(function double(x) {
      return x.mul(2);
    });
    assert.deepEqual([custom.name, custom.fusable], ['double', null]);
    assert.throws(() => getActivation('sigmoidd'), /expected one of 'linear', 'relu'.*received "sigmoidd"/);
  });
});

describe('initializers', () => {
  test('fans: [in, out] for dense kernels, receptive field times channels for conv kernels', () => {
    assert.deepEqual(computeFans([784, 64]), { fanIn: 784, fanOut: 64 });
    assert.deepEqual(computeFans([3, 3, 32, 64]), { fanIn: 288, fanOut: 576 });
    assert.deepEqual(computeFans([10]), { fanIn: 10, fanOut: 10 });
  });

  const stats = (typed: ArrayLike<number>) => {
    const values = Array.from(typed);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    return { mean, std, max: Math.max(...values.map(Math.abs)) };
  };

  test('glorotUniform: uniform in ±sqrt(6 / (fanIn + fanOut))', () => {
    setSeed(3);
    const w = glorotUniform().init([3, 3, 32, 64], 'float32').data() as Float32Array;
    const limit = Math.sqrt(6 / (288 + 576));
    const { std, max } = stats(w);
    assert.ok(max <= limit);
    assert.ok(Math.abs(std - limit / Math.sqrt(3)) < 0.02 * limit);
  });

  test('heNormal, heUniform, lecunNormal: variance 2/fanIn or 1/fanIn, truncated at two stddevs', () => {
    setSeed(4);
    const he = stats(heNormal().init([400, 300], 'float64').data() as Float64Array);
    assert.ok(Math.abs(he.std - Math.sqrt(2 / 400)) < 0.02 * Math.sqrt(2 / 400), `he std ${he.std}`);
    assert.ok(he.max <= 2 * Math.sqrt(2 / 400) / 0.87962566103423978 + 1e-12);
    const heU = stats(heUniform().init([400, 300], 'float64').data() as Float64Array);
    assert.ok(heU.max <= Math.sqrt(6 / 400));
    const lecun = stats(lecunNormal().init([400, 300], 'float64').data() as Float64Array);
    assert.ok(Math.abs(lecun.std - Math.sqrt(1 / 400)) < 0.02 * Math.sqrt(1 / 400));
  });

  test('constant initializers, Keras defaults by name, repeatable with the seed', () => {
    assert.deepEqual(getInitializer('zeros').init([2], 'float32').toArray(), [0, 0]);
    assert.deepEqual(getInitializer('ones').init([2], 'float32').toArray(), [1, 1]);
    setSeed(1);
    const a = getInitializer('random_normal').init([1000], 'float64').data() as Float64Array;
    assert.ok(Math.abs(stats(a).std - 0.05) < 0.005, 'RandomNormal stddev 0.05');
    setSeed(1);
    assert.deepEqual(getInitializer('randomNormal').init([1000], 'float64').data(), a);
    assert.ok(stats(getInitializer('random_uniform').init([1000], 'float64').data() as Float64Array).max <= 0.05);
    assert.throws(() => getInitializer('glorot'), /argument 'initializer' expected one of 'glorotUniform'/);
  });
});

describe('regularizers', () => {
  const w = tensor([1, -2, 3], { dtype: 'float64' });

  test('l1, l2 and l1l2 penalties (Keras default factor 0.01)', () => {
    assert.ok(Math.abs(l1().apply(w).item() - 0.06) < 1e-12);
    assert.ok(Math.abs(l2(0.1).apply(w).item() - 1.4) < 1e-12);
    assert.ok(Math.abs(l1l2({ l1: 0.1, l2: 0.1 }).apply(w).item() - 2) < 1e-12);
    assert.equal(getRegularizer('l2').name, 'l2');
  });

  test('the penalty has the expected gradient: l1 sign(w) + 2 l2 w', () => {
    const { grads } = valueAndGrad((x) => l1l2({ l1: 0.1, l2: 0.5 }).apply(x))(w);
    assert.deepEqual(grads[0]!.toArray(), [1.1, -2.1, 3.1]);
  });
});
