import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Sequential } from '../models/sequential.js';
import { SGD } from '../optimizers/sgd.js';
import { randomNormal, tensor } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm, constraintFromConfig, getConstraint, serializeConstraint } from './constraints.js';

const EPS = 1e-7;
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a}, expected ${b}`);

test('the projections, by hand: column norms of [[3, 0], [4, 0.5]] are 5 and 0.5', () => {
  const w = tensor([[3, 0], [4, 0.5]], { dtype: 'float64' });
  const maxNorm = new MaxNorm({ maxValue: 2 }).apply(w).toArray() as number[][];
  near(maxNorm[0]![0]!, (3 * 2) / (5 + EPS), 'MaxNorm scales the long column to norm 2');
  near(maxNorm[1]![1]!, (0.5 * 0.5) / (0.5 + EPS), 'and leaves the short one');
  const unit = new UnitNorm().apply(w).toArray() as number[][];
  near(unit[1]![0]!, 4 / (5 + EPS), 'UnitNorm');
  near(unit[1]![1]!, 0.5 / (0.5 + EPS), 'UnitNorm');
  const mm = new MinMaxNorm({ minValue: 1, maxValue: 3, rate: 0.5 }).apply(w).toArray() as number[][];
  near(mm[0]![0]!, (3 * (0.5 * 3 + 0.5 * 5)) / (5 + EPS), 'MinMaxNorm moves 5 halfway to 3');
  near(mm[1]![1]!, (0.5 * (0.5 * 1 + 0.5 * 0.5)) / (0.5 + EPS), 'and 0.5 halfway to 1');
  assert.deepEqual(new NonNeg().apply(tensor([[-1, 2], [0, -3]])).toArray(), [[0, 2], [0, 0]]);
  const rows = new UnitNorm({ axis: 1 }).apply(w).toArray() as number[][];
  near(rows[0]![0]!, 3 / (3 + EPS), 'axis 1 normalizes rows');
  const all = new MaxNorm({ maxValue: 1, axis: [0, 1] }).apply(w);
  near(Math.sqrt(all.square().sum().item()), 1, 'several axes at once');
});

test('an optimizer step is followed by the projection (Keras applies constraints after each update)', async () => {
  setSeed(1);
  const model = new Sequential([
    new Dense({ units: 8, inputShape: [5], activation: 'relu', kernelConstraint: new MaxNorm({ maxValue: 0.5 }), biasConstraint: 'nonNeg' }),
    new Dense({ units: 1, kernelConstraint: 'unitNorm' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
  const x = randomNormal([64, 5]), y = x.sum(1, { keepDims: true }).mul(-3);
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
  const [k1, b1, k2] = model.getWeights() as [ReturnType<typeof tensor>, ReturnType<typeof tensor>, ReturnType<typeof tensor>];
  const norms = k1.square().sum(0).sqrt().data();
  assert.ok(norms.every((n) => n <= 0.5 + 1e-6), `column norms ${Array.from(norms)}`);
  assert.ok(norms.some((n) => n > 0.49), 'the cap was reached (the constraint acted)');
  assert.ok(b1.data().every((v) => v >= 0), 'NonNeg bias');
  near(Math.sqrt(k2.square().sum().item()), 1, 'UnitNorm kernel');
});

test('constraints on Conv2D kernels, and saved with the layer', () => {
  const conv = new Conv2D({ filters: 2, kernelSize: 3, kernelConstraint: new MaxNorm({ maxValue: 1, axis: [0, 1, 2] }) });
  assert.deepEqual(conv.getConfig()['kernel_constraint'], { class_name: 'MaxNorm', config: { max_value: 1, axis: [0, 1, 2] } });
  assert.equal(conv.getConfig()['bias_constraint'], null);
});

test('names, saved forms and errors', () => {
  assert.ok(getConstraint('max_norm') instanceof MaxNorm);
  assert.ok(getConstraint('nonNeg') instanceof NonNeg);
  assert.throws(() => getConstraint('maxnrom'), /did you mean 'maxNorm'/);
  for (const c of [new MaxNorm({ maxValue: 3, axis: 1 }), new NonNeg(), new UnitNorm({ axis: [0, 1] }), new MinMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.3 })]) {
    const saved = serializeConstraint(c, 'test', 'constraint')!;
    assert.deepEqual(serializeConstraint(constraintFromConfig(saved, 'test')!, 'test', 'constraint'), saved);
  }
  assert.ok(constraintFromConfig({ class_name: 'max_norm', config: { max_value: 2, axis: 0 } }, 'k') instanceof MaxNorm, "Keras 2's snake_case class names");
  assert.throws(() => constraintFromConfig({ class_name: 'Clip', config: {} }, 'model.json: x.kernel_constraint'), /kernel_constraint expected a known constraint class/);
  assert.throws(() => new MinMaxNorm({ minValue: 2, maxValue: 1 }), /'minValue' \(2\) must not exceed option 'maxValue' \(1\)/);
  // @ts-expect-error: a misspelt option
  assert.throws(() => new MaxNorm({ max: 2 }), /MaxNorm: unknown option 'max'/);
  assert.throws(() => new Dense({ units: 2, kernelConstraint: 'clip' }), /Dense 'dense.*': argument 'kernelConstraint' expected one of 'maxNorm'/);
});
