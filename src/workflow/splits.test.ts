import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { range } from '../tensor/creation.js';
import { rng, setSeed } from '../util/random.js';
import type { Fold } from './splits.js';
import { KFold, RepeatedKFold, StratifiedKFold, holdOutIndices, trainTestSplit } from './splits.js';

/** The invariants of one repeat of K-fold over n samples. */
function checkRepeat(folds: Fold[], n: number, k: number): void {
  assert.equal(folds.length, k);
  const seen = new Uint8Array(n);
  for (const f of folds) {
    for (const i of f.test) seen[i]!++;
    assert.equal(f.train.length + f.test.length, n, 'train is the complement of test');
    const inTest = new Set(f.test);
    assert.ok(f.train.every((i) => !inTest.has(i)), 'train and test are disjoint');
    assert.ok([f.train, f.test].every((a) => a.every((v, j) => j === 0 || v > a[j - 1]!)), 'indices ascending, no duplicates');
  }
  assert.ok(seen.every((c) => c === 1), 'every sample is in exactly one test fold');
  const sizes = folds.map((f) => f.test.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `test fold sizes differ by at most one: ${sizes}`);
}

/** Labels of n samples over c classes with uneven class sizes. */
function labels(n: number, c: number): number[] {
  return Array.from({ length: n }, () => Math.min(c - 1, Math.floor(rng().next() ** 2 * c)));
}

test('KFold and StratifiedKFold: disjoint test folds cover every sample once, sizes within one (property, many sizes)', () => {
  setSeed(11);
  for (let trial = 0; trial < 300; trial++) {
    const k = 2 + rng().int(9);
    const n = k + rng().int(60);
    checkRepeat(new KFold({ folds: k }).split(n), n, k);
    checkRepeat(new KFold({ folds: k, shuffle: false }).split(n), n, k);
    const y = labels(n, 1 + rng().int(5));
    const folds = new StratifiedKFold({ folds: k }).split(y);
    checkRepeat(folds, n, k);
    for (const c of new Set(y)) {
      const perFold = folds.map((f) => Array.from(f.test).filter((i) => y[i] === c).length);
      assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${c} spread evenly: ${perFold}`);
    }
  }
});

test('RepeatedKFold: each repeat is a full K-fold with a new shuffle; seeded runs repeat exactly', () => {
  setSeed(5);
  const folds = new RepeatedKFold({ folds: 4, repeats: 3 }).split(23);
  assert.equal(folds.length, 12);
  for (let r = 0; r < 3; r++) checkRepeat(folds.filter((f) => f.repeat === r), 23, 4);
  assert.notDeepEqual(folds[0]!.test, folds[4]!.test, 'a fresh shuffle each repeat');
  setSeed(5);
  assert.deepEqual(new RepeatedKFold({ folds: 4, repeats: 3 }).split(23), folds);
  const y = labels(40, 3);
  const stratified = new RepeatedKFold({ folds: 5, repeats: 2, stratify: true }).split(y);
  for (let r = 0; r < 2; r++) checkRepeat(stratified.filter((f) => f.repeat === r), 40, 5);
});

test('KFold without shuffle cuts contiguous blocks, the first n mod K one larger; one-hot labels stratify by class', () => {
  assert.deepEqual(new KFold({ folds: 3, shuffle: false }).split(7).map((f) => [...f.test]), [[0, 1, 2], [3, 4], [5, 6]]);
  const oneHot = [[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]];
  for (const f of new StratifiedKFold({ folds: 3 }).split(oneHot)) {
    assert.deepEqual(Array.from(f.test).map((i) => oneHot[i]![1]).sort(), [0, 1]);
  }
  assert.throws(() => new KFold({ folds: 1 }), /option 'folds' expected an integer >= 2, received 1/);
  assert.throws(() => new KFold({ folds: 5 }).split(3), /5 folds need at least 5 samples, received 3/);
  assert.throws(() => new StratifiedKFold().split(10), /expected the labels to stratify by/);
});

test('trainTestSplit: sizes, disjoint parts, stratified proportions within one sample (property)', () => {
  setSeed(2);
  for (let trial = 0; trial < 200; trial++) {
    const n = 4 + rng().int(80);
    const testSize = rng().uniform(0.05, 0.7);
    const y = labels(n, 1 + rng().int(4));
    const { train, test } = holdOutIndices(n, { testSize }, y);
    const nTest = Math.ceil(testSize * n);
    if (nTest >= n) continue;
    assert.equal(test.length, nTest);
    assert.equal(train.length + test.length, n);
    assert.equal(new Set([...train, ...test]).size, n);
    for (const c of new Set(y)) {
      const count = y.filter((v) => v === c).length;
      const inTest = Array.from(test).filter((i) => y[i] === c).length;
      assert.ok(Math.abs(inTest - (nTest * count) / n) < 1, `class ${c}: ${inTest} of ${count} in a test part of ${nTest}/${n}`);
    }
  }
  const x = range(0, 20).reshape([10, 2]);
  const split = trainTestSplit(x, range(0, 10), { testSize: 3 });
  assert.deepEqual(split.xTest.shape, [3, 2]);
  assert.deepEqual(split.xTrain.shape, [7, 2]);
  assert.deepEqual((split.yTest.toArray() as number[]).map((v) => v * 2), (split.xTest.toArray() as number[][]).map((r) => r[0]), 'x and y rows stay together');
  assert.deepEqual([...trainTestSplit(x, range(0, 10), { testSize: 0.2, shuffle: false }).testIndices], [8, 9]);
  assert.throws(() => trainTestSplit(x, range(0, 9)), /the same number of samples, received 10 and 9/);
  assert.throws(() => trainTestSplit(x, range(0, 10), { testSize: 1.5 }), /option 'testSize' expected a fraction in \(0, 1\) or a whole number/);
  assert.throws(() => trainTestSplit(x, range(0, 10), { testSize: 10 }), /leaves no training samples/);
});
