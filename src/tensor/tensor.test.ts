// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eye, fill, ones, randomNormal, randomUniform, range, scalar, tensor, truncatedNormal, zeros } from './creation.js';
import { setSeed } from '../util/random.js';
import { Variable } from './variable.js';

test('tensor() infers shape and dtype from nested arrays', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor([[true], [false]]).dtype, 'bool');
  assert.deepEqual(tensor([true, false]).toArray(), [true, false]);
  assert.equal(tensor(7).rank, 0);
});

test('tensor() from a typed array takes a shape and copies the data', () => {
  const src = new Float32Array([1, 2, 3, 4, 5, 6]);
  const t = tensor(src, { shape: [3, 2] });
  src[0] = 100;
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.equal(tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.equal(tensor([1, 2], { dtype: 'float64' }).data().constructor, Float64Array);
});

test('data() returns a copy, so tensors stay immutable', () => {
  const t = tensor([1, 2]);
  t.data()[0] = 9;
  assert.deepEqual(t.toArray(), [1, 2]);
});

test('creation helpers', () => {
  assert.deepEqual(zeros([2]).toArray(), [0, 0]);
  assert.deepEqual(ones([1, 2], 'int32').toArray(), [[1, 1]]);
  assert.deepEqual(fill([2], 3.5).toArray(), [3.5, 3.5]);
  assert.deepEqual(range(0, 5, { step: 2 }).toArray(), [0, 2, 4]);
  assert.deepEqual(range(3, 0, { step: -1 }).toArray(), [3, 2, 1]);
  assert.deepEqual(eye(2, { m: 3 }).toArray(), [[1, 0, 0], [0, 1, 0]]);
  assert.equal(scalar(2).item(), 2);
});

test('random tensors repeat under the same seed and have the asked distribution', () => {
  setSeed(42);
  const a = randomNormal([1000]).data();
  setSeed(42);
  const b = randomNormal([1000]).data();
  assert.deepEqual(a, b);
  const n = Array.from(randomNormal([20000], { mean: 3, stddev: 2 }).data());
  const mean = n.reduce((s, v) => s + v, 0) / n.length;
  const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
  assert.ok(Math.abs(mean - 3) < 0.05 && Math.abs(sd - 2) < 0.05, `mean ${mean} sd ${sd}`);
  const u = randomUniform([5000], { minval: -1, maxval: 1 }).data();
  assert.ok(u.every((v) => v >= -1 && v < 1));
  const t = truncatedNormal([5000], { stddev: 0.5 }).data();
  assert.ok(t.every((v) => Math.abs(v) <= 1));
});

test('toString shows dtype, shape and elided values', () => {
  assert.equal(tensor([[1, 2], [3, 4]]).toString(), 'Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]');
  assert.match(range(0, 100).toString(), /\[0, 1, 2, …, 97, 98, 99\]/);
  assert.equal(tensor(0.5).toString(), 'Tensor float32 []\n0.5000');
});

test('item() and bad input name what was expected', () => {
  assert.throws(() => tensor([1, 2]).item(), /item: expected a tensor with exactly one element, received shape \[2\]/);
  assert.throws(() => tensor([[1, 2], [3]]), /not rectangular: expected an array of length 2 at \[1\]/);
  assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), /argument 'shape' \[2, 2\] does not match the 3 values/);
  assert.throws(() => zeros([2.5]), /zeros|fill: argument 'shape' expected a shape of non-negative integers, received \[2.5\]/);
  assert.throws(() => tensor('abc' as never), /argument 'values' expected a number, boolean, nested array or typed array, received "abc"/);
});

test('Variable.assign copies values and checks the shape', () => {
  const v = new Variable(tensor([1, 2]), { name: 'w' });
  v.assign(tensor([3, 4]));
  assert.deepEqual(v.toArray(), [3, 4]);
  assert.throws(() => v.assign(tensor([1, 2, 3])), /Variable 'w'.assign: expected shape \[2\], received \[3\]/);
  assert.equal(v.requiresGrad, true);
  v.trainable = false;
  assert.equal(v.requiresGrad, false);
});
