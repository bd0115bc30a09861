/** Preprocessing layers against values computed by hand and the examples of Keras's documentation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { CategoryEncoding } from './category-encoding.js';
import { CenterCrop } from './center-crop.js';
import { Discretization } from './discretization.js';
import { IntegerLookup, StringLookup } from './index-lookup.js';
import { Rescaling } from './rescaling.js';
import { Resizing } from './resizing.js';

const near = (got: Tensor, want: number[], tol = 1e-5): void => {
  const d = Array.from(got.data());
  assert.equal(d.length, want.length, `length ${d.length} != ${want.length}`);
  d.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= tol, `[${i}] ${v} != ${want[i]}`));
};

/** A one-channel image [1, h, w, 1] from rows. */
const image = (rows: number[][]): Tensor => tensor(rows).reshape([1, rows.length, rows[0]!.length, 1]);

test('Rescaling: Uint8 pixels to [0, 1] and to [-1, 1]', () => {
  const pixels = tensor(new Uint8Array([0, 255, 51]));
  const y = new Rescaling({ scale: 1 / 255 }).apply(pixels);
  assert.equal(y.dtype, 'float32');
  near(y, [0, 1, 0.2]);
  near(new Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(pixels), [-1, 1, 51 / 127.5 - 1]);
  assert.throws(() => new Rescaling({ scale: 1, ofset: 2 } as never), /unknown option 'ofset' \(did you mean 'offset'\?\)/);
  assert.throws(() => new Rescaling({} as never), /option 'scale' expected a finite number, received undefined/);
});

test('Resizing: bilinear with half-pixel centres, clamped at the edges (a linear image stays linear)', () => {
  // f(y, x) = 8y + 4x upsampled 2x: output centre i reads input coordinate (i + 0.5) / 2 - 0.5, clamped.
  const c = [0, 0.25, 0.75, 1];
  const want = c.flatMap((cy) => c.map((cx) => 8 * cy + 4 * cx));
  const y = new Resizing({ height: 4, width: 4 }).apply(image([[0, 4], [8, 12]]));
  assert.deepEqual(y.shape, [1, 4, 4, 1]);
  near(y, want);
  // Downsampling 4x4 -> 2x2 reads coordinates 0.5 and 2.5 (averages of neighbours).
  const big = image([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
  near(new Resizing({ height: 2, width: 2 }).apply(big), [2.5, 4.5, 10.5, 12.5]);
  // Nearest: floor((i + 0.5) * 2) = 1 and 3.
  near(new Resizing({ height: 2, width: 2, interpolation: 'nearest' }).apply(big), [5, 7, 13, 15]);
});

test('Resizing: cropToAspectRatio resizes the largest centred window; one image of rank 3; Uint8 input', () => {
  // 2x4 to 1x1 with crop: the centred 2x2 window (columns 1-2), averaged.
  const x = image([[0, 10, 20, 30], [40, 50, 60, 70]]);
  near(new Resizing({ height: 1, width: 1, cropToAspectRatio: true }).apply(x), [(10 + 20 + 50 + 60) / 4]);
  near(new Resizing({ height: 1, width: 1 }).apply(x), [(10 + 20 + 50 + 60) / 4]); // stretched: centre of columns 1.5
  near(new Resizing({ height: 1, width: 2, cropToAspectRatio: true }).apply(x), [(0 + 10 + 40 + 50) / 4, (20 + 30 + 60 + 70) / 4]);
  const one = new Resizing({ height: 1, width: 1, interpolation: 'nearest' }).apply(tensor(new Uint8Array([1, 2, 3, 4])).reshape([2, 2, 1]));
  assert.deepEqual(one.shape, [1, 1, 1]);
  assert.throws(() => new Resizing({ height: 2, width: 2, interpolation: 'bicubic' as never }), /option 'interpolation' expected one of "bilinear", "nearest"/);
  assert.throws(() => new Resizing({ height: 2, width: 2 }).apply(tensor([[1, 2]])), /expected images of rank 4/);
});

test('CenterCrop: the centred window; a smaller image is resized up', () => {
  const x = image([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]]);
  near(new CenterCrop({ height: 2, width: 3 }).apply(x), [6, 7, 8, 11, 12, 13]);
  const up = new CenterCrop({ height: 4, width: 4 }).apply(image([[0, 4], [8, 12]]));
  assert.deepEqual(up.shape, [1, 4, 4, 1]);
  near(up, [0, 0.25, 0.75, 1].flatMap((cy) => [0, 0.25, 0.75, 1].map((cx) => 8 * cy + 4 * cx)));
});

test('CategoryEncoding: Keras\'s examples for oneHot, multiHot and count', () => {
  const oneHot = new CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).apply(tensor([3, 2, 0, 1]));
  assert.deepEqual(oneHot.toArray(), [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  const rows = tensor([[0, 1], [0, 0], [1, 2], [3, 1]]);
  assert.deepEqual(new CategoryEncoding({ numTokens: 4 }).apply(rows).toArray(), [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
  assert.deepEqual(new CategoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(rows).toArray(), [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
  assert.deepEqual(new CategoryEncoding({ numTokens: 3, outputMode: 'oneHot' }).apply(tensor([[2], [0]])).shape, [2, 3]);
  assert.deepEqual(new CategoryEncoding({ numTokens: 3, outputMode: 'oneHot' }).apply(tensor([[2, 1], [0, 0]])).shape, [2, 2, 3]);
  assert.throws(() => new CategoryEncoding({ numTokens: 4 }).apply(tensor([1, 4])), /expected whole-number indices in \[0, 4\), received 4 at position 1/);
  assert.throws(() => new CategoryEncoding({ numTokens: 4, outputMode: 'oneHott' as never }), /did you mean "oneHot"/);
});

test('Discretization: given boundaries and adapted ones (Keras\'s examples)', () => {
  const x = tensor([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]);
  const given = new Discretization({ binBoundaries: [0, 1, 2] });
  const y = given.apply(x);
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(y.toArray(), [[0, 2, 3, 1], [1, 3, 2, 1]]);
  const learnt = new Discretization({ numBins: 4, epsilon: 0.01 }).adapt(x);
  assert.deepEqual(learnt.binBoundaries, [0, 0.5, Math.fround(1.3)]); // the float32 data's values
  assert.deepEqual(learnt.apply(x).toArray(), [[0, 2, 3, 2], [1, 3, 3, 1]]);
  assert.deepEqual(new Discretization({ binBoundaries: [0, 1], outputMode: 'oneHot' }).apply(tensor([-1, 0.5, 7])).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.throws(() => new Discretization({}), /give option 'binBoundaries', or option 'numBins' and call adapt/);
  assert.throws(() => new Discretization({ binBoundaries: [1, 0] }), /option 'binBoundaries' expected an increasing array/);
  assert.throws(() => new Discretization({ numBins: 3 }).apply(x), /call adapt\(data\) first/);
});

test('IntegerLookup: Keras\'s examples (given vocabulary, adapt, mask token, multiHot)', () => {
  const data = tensor([[12, 1138, 42], [42, 1000, 36]]);
  const given = new IntegerLookup({ vocabulary: [12, 36, 1138, 42] });
  assert.deepEqual(given.apply(data).toArray(), [[1, 3, 4], [4, 0, 2]]);
  const adapted = new IntegerLookup().adapt(data);
  assert.deepEqual(adapted.vocabulary, [-1, 42, 1138, 1000, 36, 12]);
  assert.deepEqual(adapted.apply(data).toArray(), [[5, 2, 1], [1, 3, 4]]);
  const masked = new IntegerLookup({ vocabulary: [12, 36, 1138, 42], maskToken: 0 });
  assert.deepEqual(masked.apply(tensor([[12, 1138, 42], [42, 0, 36]])).toArray(), [[2, 4, 5], [5, 0, 3]]);
  const multiHot = new IntegerLookup({ vocabulary: [12, 36, 1138, 42], outputMode: 'multi_hot' });
  assert.deepEqual(multiHot.apply(tensor([[12, 1138, 42, 42], [42, 7, 36, 7]])).toArray(), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
  const twoOov = new IntegerLookup({ vocabulary: [12], numOovIndices: 2 });
  assert.deepEqual(twoOov.apply(tensor([12, 7, 8])).toArray(), [2, 1, 0]);
  assert.deepEqual(new IntegerLookup({ maxTokens: 3 }).adapt([5, 5, 6, 6, 6, 7]).vocabulary, [-1, 6, 5]);
  assert.throws(() => new IntegerLookup({ vocabulary: [1, 1] }), /the vocabulary holds 1 twice/);
  assert.throws(() => new IntegerLookup({ vocabulary: [1] }).apply(tensor([0.5])), /expected whole-number tokens, received 0.5/);
});

test('StringLookup: Keras\'s examples, in the data pipeline', () => {
  const data = [['a', 'c', 'd'], ['d', 'z', 'b']];
  assert.deepEqual(new StringLookup({ vocabulary: ['a', 'b', 'c', 'd'] }).encode(data).toArray(), [[1, 3, 4], [4, 0, 2]]);
  const adapted = new StringLookup().adapt(data);
  assert.deepEqual(adapted.vocabulary, ['[UNK]', 'd', 'z', 'c', 'b', 'a']);
  assert.deepEqual(adapted.encode(data).toArray(), [[5, 3, 1], [1, 2, 4]]);
  assert.deepEqual(new StringLookup({ vocabulary: ['a', 'b'], outputMode: 'count' }).encode([['a', 'a', 'q']]).toArray(), [[1, 2, 0]]);
  assert.deepEqual(new StringLookup({ vocabulary: ['a'] }).encode(['a', 'x']).shape, [2]);
});
