/**
 * Models with several inputs and outputs: data as arrays (input order) or records (by name), a loss and
 * metrics per output and lossWeights, with every number checked against a hand computation from the
 * layers' weights.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { Concatenate, Dense, Input } from '../layers/index.js';
import { CategoricalAccuracy } from '../metrics/index.js';
import { SGD } from '../optimizers/index.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';

// in_a: 2 features, in_b: 1. out_a = Dense(1) on [in_a, in_b]; out_b = softmax(Dense(2) on in_a).
const KA = [[0.5], [-1], [2]], BA = [0.25];
const KB = [[1, -1], [0.5, 0.5]], BB = [0, 0.1];
const XA = [[1, 2], [0, -1], [3, 0.5], [-2, 1]];
const XB = [[1], [2], [-1], [0]];
const YA = [[1], [0], [2], [-1]];
const YB = [[1, 0], [0, 1], [0, 1], [1, 0]];

function twoByTwo(): Model {
  const a = Input({ shape: [2], name: 'in_a' });
  const b = Input({ shape: [1], name: 'in_b' });
  const outA = new Dense({ units: 1, name: 'out_a' }).apply(new Concatenate().apply([a, b]));
  const outB = new Dense({ units: 2, activation: 'softmax', name: 'out_b' }).apply(a);
  const model = new Model({ inputs: [a, b], outputs: [outA, outB] });
  model.getLayer('out_a').setWeights([tensor(KA), tensor(BA)]);
  model.getLayer('out_b').setWeights([tensor(KB), tensor(BB)]);
  return model;
}

/** The two outputs computed in plain numbers from the weights above. */
function byHand(): { a: number[]; p: number[][] } {
  const a = XA.map((x, i) => x[0]! * KA[0]![0]! + x[1]! * KA[1]![0]! + XB[i]![0]! * KA[2]![0]! + BA[0]!);
  const p = XA.map((x) => {
    const z = [0, 1].map((j) => x[0]! * KB[0]![j]! + x[1]! * KB[1]![j]! + BB[j]!);
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    return e.map((v) => v / (e[0]! + e[1]!));
  });
  return { a, p };
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

function close(actual: readonly number[], expected: readonly number[], message: string): void {
  assert.equal(actual.length, expected.length, message);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5 * Math.max(1, Math.abs(expected[i]!)), `${message}: [${actual}] vs [${expected}]`));
}

describe('several inputs and outputs', () => {
  test('names, shapes, predictAll from arrays or records; predict refuses a two-output model', async () => {
    const model = twoByTwo();
    assert.deepEqual(model.inputNames, ['in_a', 'in_b']);
    assert.deepEqual(model.outputNames, ['out_a', 'out_b']);
    const { a, p } = byHand();
    for (const x of [[XA, XB], { in_b: XB, in_a: XA }]) {
      const [ya, yb] = await model.predictAll(x);
      close(Array.from(ya!.data()), a, 'out_a');
      close(Array.from(yb!.data()), p.flat(), 'out_b');
    }
    await assert.rejects(model.predict([XA, XB]), /predict: Model '.*' has 2 outputs \(out_a, out_b\); predictAll returns one tensor per output/);
    await assert.rejects(model.predictAll([XA]), /argument 'x' expected 2 values, one per input \('in_a', 'in_b'\), received an array of 1/);
    await assert.rejects(model.predictAll({ in_a: XA, in_c: XB }), /argument 'x' names input 'in_c', which the model does not have; its inputs are 'in_a', 'in_b'/);
    await assert.rejects(model.predictAll([XA, [[1, 2], [3, 4], [5, 6], [7, 8]]]), /argument 'x \('in_b'\)' expected samples of shape \[1\] \(input 'in_b' of Model '.*' is \[null, 1\]\), received it of shape \[4, 2\]/);
  });

  test('a loss and metrics per output and lossWeights: evaluate equals the hand computation, in Keras\'s order', async () => {
    const model = twoByTwo();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: { out_a: 'mse', out_b: 'categorical_crossentropy' }, metrics: { out_b: ['accuracy'] }, lossWeights: { out_b: 0.5 } });
    const { a, p } = byHand();
    const lossA = mean(a.map((v, i) => (v - YA[i]![0]!) ** 2));
    const lossB = mean(p.map((row, i) => -Math.log(row[YB[i]!.indexOf(1)]!)));
    const accuracy = mean(p.map((row, i) => (row.indexOf(Math.max(...row)) === YB[i]!.indexOf(1) ? 1 : 0)));
    const expected = [lossA + 0.5 * lossB, lossA, lossB, accuracy];
    close(await model.evaluate([XA, XB], [YA, YB], { verbose: 0 }), expected, 'arrays');
    close(await model.evaluate({ in_a: XA, in_b: XB }, { out_b: YB, out_a: YA }, { verbose: 0 }), expected, 'records');
    // The same loss for every output, and metrics for every output, name each output's values.
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
    const history = await model.fit([XA, XB], [YA, YB], { epochs: 1, verbose: 0, validationData: [[XA, XB], [YA, YB]] });
    assert.deepEqual(Object.keys(history.history), [
      'loss', 'out_a_loss', 'out_b_loss', 'out_a_accuracy', 'out_b_accuracy', 'val_loss', 'val_out_a_loss', 'val_out_b_loss', 'val_out_a_accuracy', 'val_out_b_accuracy',
    ]);
  });

  test('lossWeights scale each output\'s gradient: one SGD step equals the hand-computed one', () => {
    const model = twoByTwo();
    const lr = 0.1, wA = 2, wB = 0.5;
    model.compile({ optimizer: new SGD({ learningRate: lr }), loss: ['mse', 'categorical_crossentropy'], lossWeights: [wA, wB] });
    const { a, p } = byHand();
    const n = XA.length;
    // d(wA * mean((a - y)^2)) / d kernel = wA * 2 / n * sum((a - y) * input); the inputs of out_a are [in_a, in_b].
    const inputsA = XA.map((x, i) => [...x, XB[i]![0]!]);
    const gradKA = [0, 1, 2].map((k) => (wA * 2 / n) * inputsA.reduce((s, row, i) => s + (a[i]! - YA[i]![0]!) * row[k]!, 0));
    const gradBA = (wA * 2 / n) * a.reduce((s, v, i) => s + v - YA[i]![0]!, 0);
    // Softmax with cross-entropy: d/dz = (p - y) / n, times wB.
    const gradKB = [0, 1].map((k) => [0, 1].map((j) => (wB / n) * XA.reduce((s, x, i) => s + (p[i]![j]! - YB[i]![j]!) * x[k]!, 0)));
    const gradBB = [0, 1].map((j) => (wB / n) * p.reduce((s, row, i) => s + row[j]! - YB[i]![j]!, 0));
    model.trainOnBatch([XA, XB], [YA, YB]);
    const [ka, ba] = model.getLayer('out_a').getWeights() as [Tensor, Tensor];
    const [kb, bb] = model.getLayer('out_b').getWeights() as [Tensor, Tensor];
    close(Array.from(ka.data()), KA.map((r, k) => r[0]! - lr * gradKA[k]!), 'out_a kernel');
    close(Array.from(ba.data()), [BA[0]! - lr * gradBA], 'out_a bias');
    close(Array.from(kb.data()), KB.flatMap((r, k) => r.map((v, j) => v - lr * gradKB[k]![j]!)), 'out_b kernel');
    close(Array.from(bb.data()), BB.map((v, j) => v - lr * gradBB[j]!), 'out_b bias');
  });

  test('sample weights per output', async () => {
    const model = twoByTwo();
    model.compile({ loss: ['mse', 'categorical_crossentropy'] });
    const { a } = byHand();
    const w = [1, 0, 2, 1];
    const [, lossA, lossB] = await model.evaluate([XA, XB], [YA, YB], { verbose: 0, sampleWeight: { out_a: w } });
    // Keras's reduction: sum(loss * weight) / batch size.
    close([lossA!], [a.reduce((s, v, i) => s + (v - YA[i]![0]!) ** 2 * w[i]!, 0) / 4], 'weighted out_a loss');
    const [, , unweighted] = await model.evaluate([XA, XB], [YA, YB], { verbose: 0 });
    close([lossB!], [unweighted!], 'out_b unweighted');
  });

  test('compile\'s per-output options are checked against the outputs', () => {
    const model = twoByTwo();
    assert.throws(() => model.compile({ loss: { out_a: 'mse' } }), /compile: option 'loss' has no value for output 'out_b'; give one for each of 'out_a', 'out_b'/);
    assert.throws(() => model.compile({ loss: ['mse'] }), /option 'loss' expected 2 values, one per output \('out_a', 'out_b'\), received an array of 1/);
    assert.throws(() => model.compile({ loss: 'mse', metrics: { out_c: ['accuracy'] } }), /option 'metrics' names output 'out_c', which the model does not have/);
    assert.throws(() => model.compile({ loss: 'mse', lossWeights: [1, -1] }), /option 'lossWeights' expected non-negative finite numbers, received -1 for output 'out_b'/);
    const shared = new CategoricalAccuracy();
    assert.throws(() => model.compile({ loss: 'mse', metrics: [shared] }), /uses the Metric 'categorical_accuracy' for two outputs; a Metric object keeps one output's running value/);
  });

  test('classWeight needs one output', async () => {
    const model = twoByTwo();
    model.compile({ loss: 'mse' });
    await assert.rejects(model.fit([XA, XB], [YA, YB], { classWeight: { 0: 2 }, verbose: 0 }), /fit: option 'classWeight' applies to models with one output/);
  });
});
