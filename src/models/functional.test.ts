// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { Add, Concatenate, Dense, Input } from '../layers/index.js';
import { randomNormal } from '../tensor/creation.js';
import { setSeed } from '../util/random.js';
import { Model } from './model.js';

test('a branching functional model: residual Add and Concatenate', async () => {
  setSeed(2);
  const input = Input({ shape: [4], name: 'features' });
  const hidden = new Dense({ units: 4, activation: 'relu', name: 'hidden' }).apply(input);
  const residual = new Add({ name: 'residual' }).apply([input, hidden]);
  const side = new Dense({ units: 2, name: 'side' }).apply(input);
  const joined = new Concatenate({ name: 'joined' }).apply([residual, side]);
  const output = new Dense({ units: 3, activation: 'softmax', name: 'out' }).apply(joined);
  const model = new Model({ inputs: input, outputs: output });

  assert.deepEqual(model.layers.map((l) => l.name), ['features', 'hidden', 'residual', 'side', 'joined', 'out']);
  assert.deepEqual(model.outputShape, [null, 3]);
  assert.equal(model.countParams(), 20 + 10 + 21);
  const x = randomNormal([5, 4]);
  const y = await model.predict(x);
  assert.deepEqual(y.shape, [5, 3]);
  // The same computation written by hand with the layers' weights.
  const [hk, hb, sk, sb, ok, ob] = model.weights;
  const h = x.add(x.matmul(hk!).add(hb!).relu());
  const expected = h.reshape([5, 4]).matmul(ok!.slice([0, 0], [4, 3])).add(x.matmul(sk!).add(sb!).matmul(ok!.slice([4, 0], [2, 3]))).add(ob!).softmax();
  assert.ok(y.sub(expected).abs().max().item() < 1e-5);

  const text = model.summary({ printFn: () => undefined });
  assert.match(text, /Connected to/);
  // As Keras prints a graph: what feeds a layer as layer[node][tensor], one connection per line.
  assert.match(text, /joined \(Concatenate\)\s+\(None, 6\)\s+0\s+residual\[0\]\[0\]\n\s+side\[0\]\[0\]\n/);
});

test('functional models reject a wrong input shape and a disconnected graph', async () => {
  const input = Input({ shape: [3] });
  const model = new Model({ inputs: input, outputs: new Dense({ units: 1 }).apply(input), name: 'small' });
  await assert.rejects(model.predict(randomNormal([2, 4])), /predict: argument 'x' expected samples of shape \[3\] \(the input of Model 'small' is \[null, 3\]\), received x of shape \[2, 4\]/);
  const other = Input({ shape: [3], name: 'other' });
  assert.throws(() => new Model({ inputs: input, outputs: new Dense({ units: 1 }).apply(other) }), /the graph is disconnected: InputLayer 'other'/);
  assert.throws(() => new Model({ inputs: input, outputs: 'nope' as never }), /Model: option 'outputs' expected a symbolic tensor or a non-empty array of them/);
});

test('a Model without inputs and outputs must override call', () => {
  assert.throws(() => new Model({ name: 'bare' }).call(randomNormal([1, 2])), /Model 'bare': a Model made without inputs and outputs must override call\(\)/);
});
