// @every-backend: test/backends.test.ts runs this file again on each backend that loads.
/**
 * Backprop gives gradient memory back early (see GradientMemory in src/tensor/tape.ts). These tests use
 * tensors large enough to live in a backend's own memory, and check that what is returned to the caller
 * is never among what was given back, whatever the backend.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lw from '../src/index.js';

const N = 300; // 300 x 300 float32 = 360 KB, above the native backend's recycling threshold

test('returned gradients stay intact while later steps reuse memory', () => {
  lw.setSeed(5);
  const x = lw.randomNormal([N, N]);
  const expected = Array.from(x.data(), (v) => (v > 0 ? 2 : 0));
  const [g] = lw.grad((a) => lw.sum(lw.mul(lw.relu(a), 2)))(x);
  for (let i = 0; i < 5; i++) lw.grad((a) => lw.sum(lw.square(lw.exp(lw.mul(a, 0.01)))))(x);
  assert.deepEqual(Array.from(g!.data()), expected);
});

test('a gradient passed through unchanged (identity backward rules) is kept, not recycled', () => {
  const x = lw.ones([N, N]);
  const y = lw.ones([N, N]);
  const [gx, gy] = lw.grad((a, b) => lw.sum(lw.reshape(lw.add(a, b), [-1])))(x, y);
  for (let i = 0; i < 3; i++) lw.grad((a) => lw.sum(lw.mul(a, a)))(x);
  assert.equal(gx!.size, N * N);
  assert.ok(Array.from(gx!.data()).every((v) => v === 1));
  assert.ok(Array.from(gy!.data()).every((v) => v === 1));
});

test('variable gradients survive the optimizer step and the next step', () => {
  const w = new lw.Variable(lw.fill([N, N], 0.5));
  const first = lw.variableGrads(() => lw.sum(lw.square(w))).grads.get(w)!;
  lw.variableGrads(() => lw.sum(lw.mul(w, 3)));
  assert.ok(Array.from(first.data()).every((v) => v === 1));
});
