import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import { bytesSplits, bytesTensor, loadOutcome, splitsBytes, storeOutcome, tensorBytes } from './cluster-codec.js';

test('tensors, splits and results survive the trip through Redis exactly', () => {
  for (const t of [
    tensor([[1.5, -2], [3, 4.25]]),
    tensor([1, 2, 3], { dtype: 'int32' }),
    tensor([0.1, 1e-300], { dtype: 'float64' }),
    tensor([true, false, true]),
    tensor([], { shape: [0, 3] }),
  ]) {
    const { meta, bytes } = tensorBytes(t);
    // A Buffer at an odd offset in a bigger one, as a reply from Redis may be.
    const padded = Buffer.concat([Buffer.from([7]), bytes]).subarray(1);
    const back = bytesTensor(JSON.parse(JSON.stringify(meta)), padded);
    assert.equal(back.dtype, t.dtype);
    assert.deepEqual(back.shape, t.shape);
    assert.deepEqual(back.data(), t.data());
  }
  const splits = [{ train: Int32Array.from([0, 2, 4]), test: Int32Array.from([1, 3]) }, { train: Int32Array.from([1]), test: new Int32Array(0) }];
  assert.deepEqual(bytesSplits(splitsBytes(splits)), splits);
  const outcome = { scores: { loss: 0.1 + 0.2, auc: NaN }, history: { loss: [Infinity, 1 / 3, -Infinity], val_loss: [NaN, 2] } };
  const back = loadOutcome(JSON.parse(JSON.stringify(storeOutcome(outcome))));
  assert.deepEqual(back, outcome, 'NaN and ±Infinity come back, and every double exactly');
});
