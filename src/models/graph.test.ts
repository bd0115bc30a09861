/**
 * The graph beyond one chain of layers: a layer shared by two branches (one set of weights, gradients
 * summed), models nested in models (both ways), freezing (weights unchanged, batch normalization in
 * inference mode), feature extraction from an inner layer's output, getLayer, and masks travelling from
 * the layer that makes them to the layers that read them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import type { CallOptions } from '../layers/index.js';
import { Add, BatchNormalization, Dense, Input, Layer } from '../layers/index.js';
import { notEqual } from '../ops/index.js';
import { SGD } from '../optimizers/index.js';
import { randomNormal, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../util/random.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

const values = (t: Tensor): number[] => Array.from(t.data());

function maxDifference(a: Tensor, b: Tensor): number {
  return a.sub(b).abs().max().item();
}

describe('shared layers', () => {
  test('a siamese net: one layer applied twice has one set of weights, and its gradient is the sum over both uses', () => {
    const left = Input({ shape: [2], name: 'left' });
    const right = Input({ shape: [2], name: 'right' });
    const shared = new Dense({ units: 1, useBias: false, name: 'shared' });
    const model = new Model({ inputs: [left, right], outputs: new Add().apply([shared.apply(left), shared.apply(right)]) });
    assert.equal(model.weights.length, 1, 'one kernel');
    assert.equal(model.countParams(), 2);
    assert.equal(shared.inboundNodes.length, 2);
    assert.throws(() => shared.output, /Dense 'shared'\.output: the layer was applied 2 times \(a shared layer\); use inboundNodes\[i\]\.outputs/);
    const k = [0.5, -0.25];
    shared.setWeights([tensor([[k[0]!], [k[1]!]])]);
    const xl = [[1, 2], [0, 1], [2, -1]], xr = [[3, 0], [-1, 1], [1, 1]], y = [[1], [0], [2]];
    // prediction = k·xl + k·xr; d mean((pred - y)^2) / dk = 2/n * sum((pred - y) * (xl + xr)).
    const pred = xl.map((l, i) => k[0]! * (l[0]! + xr[i]![0]!) + k[1]! * (l[1]! + xr[i]![1]!));
    const grad = [0, 1].map((j) => (2 / 3) * pred.reduce((s, p, i) => s + (p - y[i]![0]!) * (xl[i]![j]! + xr[i]![j]!), 0));
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
    model.trainOnBatch({ left: xl, right: xr }, y);
    const after = values(shared.getWeights()[0]!);
    after.forEach((v, j) => assert.ok(Math.abs(v - (k[j]! - 0.05 * grad[j]!)) < 1e-6, `kernel ${j}: ${v}`));
  });
});

describe('nested models', () => {
  test('a Sequential inside a functional model and a functional model inside a Sequential share their weights and train as one', async () => {
    setSeed(7);
    const encoder = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [4], name: 'enc_1' }), new Dense({ units: 2, name: 'enc_2' })], );
    const input = Input({ shape: [4], name: 'features' });
    const outer = new Model({ inputs: input, outputs: new Dense({ units: 1, name: 'head' }).apply(encoder.apply(input)) });
    assert.deepEqual(outer.layers.map((l) => l.name), ['features', encoder.name, 'head']);
    assert.equal(outer.countParams(), encoder.countParams() + 3);
    assert.equal(outer.getLayer(1), encoder);
    const x = randomNormal([5, 4]);
    const byParts = encoder.predictOnBatch(x).matmul(outer.getLayer('head').getWeights()[0]!).add(outer.getLayer('head').getWeights()[1]!);
    assert.ok(maxDifference(outer.predictOnBatch(x), byParts) < 1e-6);

    // Back the other way: the functional model as one layer of a Sequential.
    const stacked = new Sequential([outer, new Dense({ units: 2, activation: 'softmax', name: 'top' })]);
    assert.deepEqual(stacked.outputShape, [null, 2]);
    stacked.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const before = values(encoder.getLayer('enc_1').getWeights()[0]!);
    await stacked.fit(x, tensor([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]), { epochs: 2, verbose: 0 });
    assert.notDeepEqual(values(encoder.getLayer('enc_1').getWeights()[0]!), before, 'training the outer model trains the inner one');
    assert.ok(maxDifference(outer.predictOnBatch(x), encoder.predictOnBatch(x).matmul(outer.getLayer('head').getWeights()[0]!).add(outer.getLayer('head').getWeights()[1]!)) < 1e-6);
    stacked.summary({ printFn: (text) => assert.match(text, new RegExp(`${outer.name} \\(Model\\)\\s+\\(None, 1\\)\\s+${outer.countParams()}`)) });
  });
});

describe('freezing', () => {
  test('a frozen layer keeps its weights through fit, and a frozen BatchNormalization runs in inference mode', async () => {
    setSeed(3);
    const model = new Sequential([
      new Dense({ units: 4, inputShape: [3], name: 'base' }),
      new BatchNormalization({ name: 'bn' }),
      new Dense({ units: 1, name: 'top' }),
    ]);
    const bn = model.getLayer('bn') as BatchNormalization;
    bn.setWeights([tensor([1.5, 1, 1, 0.5]), tensor([0, 0.1, 0, 0]), tensor([0.2, -0.1, 0, 0.3]), tensor([2, 1, 0.5, 1])]);
    model.layers[0]!.trainable = false;
    bn.trainable = false;
    assert.equal(model.trainableWeights.length, 2, 'only the top layer trains');
    const frozen = [...model.layers[0]!.getWeights(), ...bn.getWeights()].map(values);
    const top = values(model.getLayer('top').getWeights()[0]!);
    const x = randomNormal([16, 3]);
    // In training mode the frozen layer normalizes with its moving statistics, exactly as at inference.
    const [training] = model.callAll([x], { training: true });
    assert.ok(maxDifference(training!, model.predictOnBatch(x)) === 0, 'frozen BatchNormalization ignores training: true');
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(x, randomNormal([16, 1]), { epochs: 2, batchSize: 4, verbose: 0 });
    assert.deepEqual([...model.layers[0]!.getWeights(), ...bn.getWeights()].map(values), frozen, 'frozen weights and moving statistics unchanged');
    assert.notDeepEqual(values(model.getLayer('top').getWeights()[0]!), top, 'the top layer trained');
    // Unfrozen, BatchNormalization uses the batch's statistics again in training.
    bn.trainable = true;
    assert.ok(maxDifference(model.callAll([x], { training: true })[0]!, model.predictOnBatch(x)) > 1e-3);
  });

  test('freezing a nested model freezes every layer in it', () => {
    const inner = new Sequential([new Dense({ units: 2, inputShape: [2] }), new Dense({ units: 2 })]);
    const outer = new Sequential([inner, new Dense({ units: 1 })]);
    inner.trainable = false;
    assert.equal(outer.trainableWeights.length, 2);
    assert.ok(inner.layers.every((l) => !l.trainable));
    assert.equal(outer.nonTrainableWeights.length, 4);
    inner.trainable = true;
    assert.equal(outer.trainableWeights.length, 6);
  });
});

describe('feature extraction', () => {
  test('a model from base.inputs to an inner layer\'s output shares the base\'s weights', async () => {
    setSeed(4);
    const base = new Sequential([
      new Dense({ units: 5, activation: 'relu', inputShape: [3], name: 'h1' }),
      new Dense({ units: 4, activation: 'tanh', name: 'h2' }),
      new Dense({ units: 2, activation: 'softmax', name: 'out' }),
    ]);
    const extractor = new Model({ inputs: base.inputs, outputs: base.getLayer('h2').output });
    assert.deepEqual(extractor.outputShape, [null, 4]);
    assert.equal(extractor.countParams(), 3 * 5 + 5 + 5 * 4 + 4, 'the weights of h1 and h2');
    const x = randomNormal([6, 3]);
    const [k1, b1] = base.getLayer('h1').getWeights() as [Tensor, Tensor];
    const [k2, b2] = base.getLayer('h2').getWeights() as [Tensor, Tensor];
    const byHand = (): Tensor => x.matmul(k1).add(b1).relu().matmul(k2).add(b2).tanh();
    assert.ok(maxDifference(await extractor.predict(x), byHand()) < 1e-6);
    base.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    await base.fit(x, tensor([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]), { epochs: 1, verbose: 0 });
    const [k1b, b1b] = base.getLayer('h1').getWeights() as [Tensor, Tensor];
    const [k2b, b2b] = base.getLayer('h2').getWeights() as [Tensor, Tensor];
    assert.ok(maxDifference(await extractor.predict(x), x.matmul(k1b).add(b1b).relu().matmul(k2b).add(b2b).tanh()) < 1e-6, 'training the base moves the extractor');
  });

  test('getLayer by name or index, with errors that list the layers', () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [2], name: 'only' })]);
    assert.equal(model.getLayer('only'), model.getLayer(0));
    assert.throws(() => model.getLayer('nope'), /getLayer: no layer is named 'nope'; the layers are 'only'/);
    assert.throws(() => model.getLayer(3), /getLayer: argument 'nameOrIndex' expected an index below 1/);
    assert.throws(() => model.getLayer(-1 as number), /argument 'nameOrIndex' expected a non-empty string or a non-negative integer/);
    assert.throws(() => new Dense({ units: 1 }).output, /has not been applied to a symbolic tensor/);
  });
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

/** Records the mask it was given. */
class MaskReader extends Layer {
  seen: (Tensor | null | undefined)[] = [];

  constructor(options: { supportsMasking?: boolean } = {}) {
    super({});
    this.supportsMasking = options.supportsMasking ?? false;
  }

  call(x: Tensor, options: CallOptions): Tensor {
    this.seen.push(options.mask);
    return x;
  }
}

describe('masks', () => {
  test('a mask travels from the layer that makes it through layers that keep it, and stops at one that does not', () => {
    const input = Input({ shape: [3] });
    const passing = new MaskReader({ supportsMasking: true });
    const dropping = new MaskReader();
    const last = new MaskReader();
    const h = passing.apply(new MaskZeros().apply(input));
    const model = new Model({ inputs: input, outputs: last.apply(dropping.apply(new Dense({ units: 3 }).apply(h))) });
    model.predictOnBatch(tensor([[1, 0, 2], [0, 0, 3]]));
    assert.deepEqual(passing.seen[0]!.toArray(), [[true, false, true], [false, false, true]]);
    assert.deepEqual(dropping.seen[0]!.toArray(), [[true, false, true], [false, false, true]], 'Dense keeps the mask');
    assert.equal(last.seen[0], undefined, 'a layer without supportsMasking drops it');
  });

  test('a nested model passes its output mask on', () => {
    const innerInput = Input({ shape: [2] });
    const inner = new Model({ inputs: innerInput, outputs: new MaskZeros().apply(innerInput) });
    const input = Input({ shape: [2] });
    const direct = new MaskReader();
    const model = new Model({ inputs: input, outputs: direct.apply(inner.apply(input)) });
    model.predictOnBatch(tensor([[0, 1]]));
    assert.deepEqual(direct.seen[0]!.toArray(), [[false, true]]);
  });
});
