import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as farmhash from 'farmhash-modern';
import { tensor } from '../tensor/creation.js';
import { fingerprint64 } from '../util/fingerprint.js';
import { Hashing } from './hashing.js';

test('Fingerprint64 agrees with the farmhash-modern package on lengths 0 to 300', () => {
  for (let len = 0; len <= 300; len++) {
    // farmhash-modern (a port) departs from FarmHash's reference code on lengths that are multiples of 64 from 128 on;
    // layerwise follows the reference (its loop runs while the pointer has not reached the last block).
    if (len >= 128 && len % 64 === 0) continue;
    for (let t = 0; t < 2; t++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 131 + t * 17 + len) & 255);
      assert.equal(fingerprint64(bytes), farmhash.fingerprint64(bytes), `length ${len}`);
    }
  }
});

test('Hashing: Keras\'s and TensorFlow\'s documented bins', () => {
  assert.deepEqual(new Hashing({ numBins: 3 }).encode([['A'], ['B'], ['C'], ['D'], ['E']]).toArray(), [[1], [0], [1], [1], [2]]);
  assert.deepEqual(new Hashing({ numBins: 3 }).encode(['Hello', 'TensorFlow', '2.x']).toArray(), [0, 2, 2]);
  const masked = new Hashing({ numBins: 3, maskValue: '' });
  assert.deepEqual(masked.encode([['A'], ['B'], [''], ['C'], ['D']]).toArray(), [[1], [1], [0], [2], [2]]);
});

test('Hashing: integers hash as their decimal text, inside a model; encoded outputs; errors', () => {
  const layer = new Hashing({ numBins: 7 });
  const y = layer.apply(tensor([[12, 1138], [-5, 0]]));
  assert.equal(y.dtype, 'int32');
  const want = ['12', '1138', '-5', '0'].map((s) => Number(farmhash.fingerprint64(s) % 7n));
  assert.deepEqual(Array.from(y.data()), want);
  const oneHot = new Hashing({ numBins: 7, outputMode: 'one_hot' }).apply(tensor([12]));
  assert.deepEqual(Array.from(oneHot.data()), Array.from({ length: 7 }, (_, i) => (i === want[0] ? 1 : 0)));
  assert.throws(() => layer.apply(tensor([1.5])), /expected whole-number tokens \(strings go through encode\), received 1.5/);
  assert.throws(() => new Hashing({ numBins: 1, maskValue: 0 }), /must be at least 2 with a maskValue/);
});
