// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * Optimizers against values computed by hand from the published (Keras) update rules, for two steps on
 * the parameter [1, -2] with gradients [0.5, -1] then [-0.2, 0.3], in float64 so the comparison is exact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { Variable } from '../tensor/variable.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { getOptimizer } from './index.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay } from './schedules.js';
import { SGD } from './sgd.js';

const GRADS = [[0.5, -1], [-0.2, 0.3]];

function steps(optimizer: Optimizer, grads = GRADS, start = [1, -2], dtype: 'float32' | 'float64' = 'float64'): number[][] {
  const v = new Variable(tensor(start, { dtype }));
  return grads.map((g) => {
    optimizer.applyGradients(new Map([[v, tensor(g, { dtype })]]));
    return v.toArray() as number[];
  });
}

function assertSteps(actual: number[][], expected: number[][], tolerance = 1e-12): void {
  expected.forEach((row, s) => row.forEach((e, i) => {
    assert.ok(Math.abs(actual[s]![i]! - e) <= tolerance, `step ${s + 1}, element ${i}: ${actual[s]![i]} vs ${e}`);
  }));
}

describe('update rules, two steps each', () => {
  test('SGD: p -= lr * g (Keras default lr 0.01)', () => {
    assertSteps(steps(new SGD()), [[0.995, -1.99], [0.997, -1.993]]);
  });

  test('SGD with momentum 0.9: v = 0.9 v - lr g; p += v', () => {
    // v1 = [-0.05, 0.1], p1 = [0.95, -1.9]; v2 = 0.9 v1 - 0.1 g2 = [-0.025, 0.06], p2 = [0.925, -1.84].
    assertSteps(steps(new SGD({ learningRate: 0.1, momentum: 0.9 })), [[0.95, -1.9], [0.925, -1.84]]);
  });

  test('SGD with Nesterov momentum: p += 0.9 v - lr g', () => {
    // p1 = 1 + 0.9(-0.05) - 0.05 = 0.905; v2 = 0.9(-0.05) + 0.02 = -0.025; p2 = 0.905 + 0.9(-0.025) + 0.02 = 0.9025.
    assertSteps(steps(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })), [[0.905, -1.81], [0.9025, -1.786]]);
  });

  test('RMSprop (lr 0.001, rho 0.9, epsilon 1e-7)', () => {
    assertSteps(steps(new RMSprop()), [[0.9968377286643679, -1.9968377239209694], [0.9980663165799476, -1.9977911860286686]]);
  });

  test('RMSprop centered with momentum 0.9', () => {
    assertSteps(steps(new RMSprop({ centered: true, momentum: 0.9 })), [[0.9966666740740494, -1.996666668518517], [0.9949100180824324, -1.9946379555384803]]);
  });

  test('Adam (lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7), bias-corrected', () => {
    assertSteps(steps(new Adam()), [[0.9990000063245154, -1.9990000031622677], [0.9986544025069336, -1.9985721558672702]]);
  });

  test('Adam with AMSGrad keeps the largest second moment', () => {
    const grads = [[0.5, -1], [0.01, 0]];
    assertSteps(steps(new Adam({ amsgrad: true }), grads), [[0.9990000063245154, -1.9990000031622677], [0.998315404776634, -1.9983302821389013]]);
    assertSteps(steps(new Adam(), grads), [[0.9990000063245154, -1.9990000031622677], [0.9983151993050022, -1.9983299470280949]]);
  });

  test('AdamW: weights decay by lr * 0.004 before each Adam step', () => {
    assertSteps(steps(new AdamW()), [[0.9989960063245154, -1.9989920031622677], [0.9986464065229083, -1.9985561598992576]]);
  });

  test('Adagrad (lr 0.001, initial accumulator 0.1, epsilon 1e-7)', () => {
    assertSteps(steps(new Adagrad()), [[0.9991548458660078, -1.9990465374540936], [0.9994751021325594, -1.999321546991647]]);
  });

  test('float32 variables follow the same rules', () => {
    assertSteps(steps(new Adam(), GRADS, [1, -2], 'float32'), [[0.9990000063245154, -1.9990000031622677], [0.9986544025069336, -1.9985721558672702]], 1e-6);
  });
});

describe('the base class', () => {
  /** One update of zero-valued variables, one per gradient; returns the variables. */
  const one = (optimizer: Optimizer, grads: number[][]): Variable[] => {
    const pairs = grads.map((g) => [new Variable(tensor(g.map(() => 0), { dtype: 'float64' })), tensor(g, { dtype: 'float64' })] as const);
    optimizer.applyGradients(new Map(pairs));
    return pairs.map(([v]) => v);
  };

  test('clipnorm rescales each gradient to the norm; clipvalue clips elementwise', () => {
    const [a] = one(new SGD({ learningRate: 1, clipnorm: 1 }), [[3, 4]]);
    assertSteps([a!.toArray() as number[]], [[-0.6, -0.8]]);
    const [b] = one(new SGD({ learningRate: 1, clipvalue: 0.5 }), [[3, -0.25]]);
    assert.deepEqual(b!.toArray(), [-0.5, 0.25]);
  });

  test('globalClipnorm rescales all gradients together', () => {
    const [a, b] = one(new SGD({ learningRate: 1, globalClipnorm: 1 }), [[3], [4]]);
    assert.ok(Math.abs(a!.item() + 0.6) < 1e-12 && Math.abs(b!.item() + 0.8) < 1e-12);
  });

  test('iterations count the updates; the learning rate follows a schedule', () => {
    const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const opt = new SGD({ learningRate: schedule });
    assert.equal(opt.learningRate, 0.1);
    const v = new Variable(tensor([0], { dtype: 'float64' }));
    for (let i = 0; i < 5; i++) opt.applyGradients(new Map([[v, tensor([1], { dtype: 'float64' })]]));
    assert.equal(opt.iterations, 5);
    assert.ok(Math.abs(opt.learningRate - 0.07071067811865477) < 1e-15);
    assert.throws(() => (opt.learningRate = 0.5), /follows the schedule ExponentialDecay/);
  });

  test('slots are created per variable with their initial values, and frozen variables are skipped', () => {
    const opt = new Adagrad();
    const v = new Variable(tensor([1, 2], { dtype: 'float64' }));
    const frozen = new Variable(tensor([5], { dtype: 'float64' }), { trainable: false });
    opt.applyGradients(new Map([[v, tensor([0, 0], { dtype: 'float64' })], [frozen, tensor([1], { dtype: 'float64' })]]));
    assert.deepEqual(opt.slotsOf(v)['accumulator']!.toArray(), [0.1, 0.1]);
    assert.deepEqual(frozen.toArray(), [5]);
  });

  test('names resolve in Keras and camelCase spellings; unknown names list the known ones', () => {
    assert.ok(getOptimizer('rmsprop') instanceof RMSprop);
    assert.ok(getOptimizer('RMSprop') instanceof RMSprop);
    assert.ok(getOptimizer('adamW') instanceof AdamW);
    assert.equal(getOptimizer('sgd').learningRate, 0.01);
    assert.throws(() => getOptimizer('adamm'), /argument 'optimizer' expected one of 'sgd', 'rmsprop', 'adam', 'adamw', 'adagrad'.*received "adamm"/);
    assert.throws(() => new Adam({ learningRate: -1 }), /Adam: option 'learningRate' expected a non-negative number or a schedule, received -1/);
    assert.throws(() => new SGD({ clipnorm: 1, globalClipnorm: 1 }), /at most one of 'clipnorm' and 'globalClipnorm'/);
  });
});

describe('learning-rate schedules', () => {
  test('ExponentialDecay, continuous and staircase', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    assert.equal(s.at(9), 0.1);
    assert.equal(s.at(15), 0.05);
    assert.equal(s.at(20), 0.025);
  });

  test('InverseTimeDecay and PiecewiseConstantDecay', () => {
    assert.equal(new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }).at(2), 0.05);
    const p = new PiecewiseConstantDecay([100, 200], [1, 0.5, 0.1]);
    assert.deepEqual([p.at(0), p.at(100), p.at(101), p.at(200), p.at(201)], [1, 1, 0.5, 0.5, 0.1]);
    assert.throws(() => new PiecewiseConstantDecay([1], [1]), /one more value than boundaries/);
  });
});
