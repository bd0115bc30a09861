/** Augmentation layers: known transforms by hand, inactive outside training, seeded, the same on every backend. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableBackends, backend, setBackend } from '../backend/index.js';
import '../ops/tensor-methods.js';
import * as ops from '../ops/index.js';
import { randomUniform, tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Rng, setSeed } from '../util/random.js';
import type { ImageAugmentation } from './image-augmentation.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomCrop } from './random-crop.js';
import { RandomFlip } from './random-flip.js';
import { RandomRotation } from './random-rotation.js';
import { RandomTranslation } from './random-translation.js';
import { RandomZoom } from './random-zoom.js';
import { resizeImages } from './preprocessing.js';
import { checkLayerGradients, float64Input } from './testing.js';

const near = (got: Tensor | ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void => {
  const d = Array.from('data' in got ? (got as Tensor).data() : got);
  assert.equal(d.length, want.length, `length ${d.length} != ${want.length}`);
  d.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= tol, `[${i}] ${v} != ${want[i]}`));
};
const image = (rows: number[][]): Tensor => tensor(rows).reshape([1, rows.length, rows[0]!.length, 1]);
const train = { training: true };

const all = (): ImageAugmentation[] => [
  new RandomFlip(), new RandomRotation({ factor: 0.2 }), new RandomZoom({ heightFactor: 0.3 }), new RandomTranslation({ heightFactor: 0.2, widthFactor: 0.2 }),
  new RandomContrast({ factor: 0.5 }), new RandomBrightness({ factor: 0.2 }),
];

test('augmentations pass images unchanged outside training, and change them in training', () => {
  setSeed(1);
  const x = randomUniform([4, 6, 7, 3], { minval: 0, maxval: 255 });
  for (const layer of all()) {
    near(layer.apply(x), x.data(), 0);
    near(layer.apply(x, { training: false }), x.data(), 0);
    const y = layer.apply(x, train);
    assert.deepEqual(y.shape, x.shape);
    assert.ok(ops.sub(y, x).abs().max().item() > 0.1, `${layer.constructor.name} changed nothing in training`);
  }
});

test('RandomFlip: each image flipped left-right or not, by hand; vertical flips top-bottom', () => {
  setSeed(2);
  const rows = [[1, 2, 3], [4, 5, 6]];
  const x = tensor(Array.from({ length: 16 }, () => rows)).reshape([16, 2, 3, 1]);
  const y = new RandomFlip({ mode: 'horizontal' }).apply(x, train).reshape([16, 6]).toArray() as number[][];
  const kept = [1, 2, 3, 4, 5, 6], flipped = [3, 2, 1, 6, 5, 4];
  for (const r of y) assert.ok(String(r) === String(kept) || String(r) === String(flipped), `not a horizontal flip: ${r}`);
  assert.ok(y.some((r) => String(r) === String(flipped)) && y.some((r) => String(r) === String(kept)), 'both outcomes appear in 16 draws');
  const v = new RandomFlip({ mode: 'vertical' }).apply(x, train).reshape([16, 6]).toArray() as number[][];
  for (const r of v) assert.ok(String(r) === String(kept) || String(r) === String([4, 5, 6, 1, 2, 3]), `not a vertical flip: ${r}`);
});

test('RandomRotation: a quarter turn (factor [0.25, 0.25]) turns the image counter-clockwise', () => {
  const x = image([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  near(new RandomRotation({ factor: [0.25, 0.25] }).apply(x, train), [3, 6, 9, 2, 5, 8, 1, 4, 7]);
  near(new RandomRotation({ factor: [0.5, 0.5], interpolation: 'nearest' }).apply(x, train), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
});

test('RandomZoom: zooming in 2x about the centre reads the middle of a linear image', () => {
  // f(y, x) = 8y + 4x; zoom 0.5 reads input (0.5 x + 0.75, 0.5 y + 0.75).
  const x = image([0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => 8 * r + 4 * c)));
  const want = [0, 1, 2, 3].flatMap((r) => [0, 1, 2, 3].map((c) => 8 * (0.5 * r + 0.75) + 4 * (0.5 * c + 0.75)));
  near(new RandomZoom({ heightFactor: [-0.5, -0.5] }).apply(x, train), want);
  // Zooming out 2x with constant fill: output (x, y) reads (2x - 2, 2y - 2), so the image shrinks to the middle 3x3.
  const five = image([0, 1, 2, 3, 4].map((r) => [0, 1, 2, 3, 4].map((c) => 5 * r + c)));
  const out = new RandomZoom({ heightFactor: [1, 1], fillMode: 'constant', interpolation: 'nearest', fillValue: -1 }).apply(five, train);
  const middle = (r: number, c: number) => (r >= 1 && r <= 3 && c >= 1 && c <= 3 ? 5 * (2 * r - 2) + (2 * c - 2) : -1);
  near(out, [0, 1, 2, 3, 4].flatMap((r) => [0, 1, 2, 3, 4].map((c) => middle(r, c))));
});

test('RandomTranslation: a quarter of the height down, with constant fill and with reflect', () => {
  const x = image([[1, 2], [3, 4], [5, 6], [7, 8]]);
  const opts = { heightFactor: [0.25, 0.25] as const, widthFactor: 0, interpolation: 'nearest' as const };
  near(new RandomTranslation({ ...opts, fillMode: 'constant' }).apply(x, train), [0, 0, 1, 2, 3, 4, 5, 6]);
  near(new RandomTranslation(opts).apply(x, train), [1, 2, 1, 2, 3, 4, 5, 6]);
  near(new RandomTranslation({ ...opts, fillMode: 'wrap' }).apply(x, train), [7, 8, 1, 2, 3, 4, 5, 6]);
});

test('RandomContrast and RandomBrightness: by hand, clipped to the value range', () => {
  const x = image([[10, 250], [30, 110]]); // mean 100
  near(new RandomBrightness({ factor: [0.1, 0.1] }).apply(x, train), [35.5, 255, 55.5, 135.5]);
  near(new RandomBrightness({ factor: [-0.5, -0.5], valueRange: [0, 1] }).apply(image([[0.2, 0.9]]), train), [0, 0.4]);
  const f = new Rng(9).uniform(0.5, 1.5);
  near(new RandomContrast({ factor: 0.5, seed: 9 }).apply(x, train), [10, 250, 30, 110].map((v) => Math.min(255, Math.max(0, (v - 100) * f + 100))), 1e-4);
});

test('RandomCrop: a window of the image in training, the resized image otherwise', () => {
  setSeed(4);
  const rows = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]];
  const layer = new RandomCrop({ height: 2, width: 2 });
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const [a, b, c, d] = Array.from(layer.apply(image(rows), train).data());
    assert.ok(b === a! + 1 && c === a! + 5 && d === a! + 6, `not a 2x2 window: ${[a, b, c, d]}`);
    seen.add(String(a));
  }
  assert.ok(seen.size > 4, `the windows move: ${[...seen]}`);
  near(layer.apply(image(rows)), resizeImages(image(rows), 2, 2, { interpolation: 'bilinear', cropToAspectRatio: true }).data());
  assert.deepEqual(layer.apply(image([[1, 2]]), train).shape, [1, 2, 2, 1], 'smaller images are resized');
});

test('augmentations are seeded: same seed, same images; the layer seed gives its own sequence; every backend agrees', () => {
  const x = randomUniform([3, 9, 8, 2], { minval: 0, maxval: 1 });
  const run = (layers: ImageAugmentation[]): Float32Array => {
    setSeed(11);
    return Float32Array.from(layers.reduce((t, l) => l.apply(t, train), x).data());
  };
  const first = run(all());
  near(run(all()), first, 0);
  const seeded = (): Float32Array => Float32Array.from(new RandomRotation({ factor: 0.3, seed: 5 }).apply(x, train).data());
  near(seeded(), seeded(), 0);
  const before = availableBackends().find((name) => name === backend())!;
  try {
    for (const name of availableBackends()) {
      setBackend(name);
      near(run(all()), first, 1e-3);
    }
  } finally {
    setBackend(before);
  }
});

test('geometric augmentations are differentiable with respect to the images', () => {
  checkLayerGradients(new RandomRotation({ factor: 0.1, dtype: 'float64' }), float64Input([2, 4, 5, 2]), train);
  checkLayerGradients(new RandomZoom({ heightFactor: 0.2, widthFactor: 0.3, fillMode: 'constant', dtype: 'float64' }), float64Input([1, 5, 4, 1]), train);
});

test('clear errors', () => {
  assert.throws(() => new RandomFlip({ mode: 'diagonal' as never }), /option 'mode' expected one of/);
  assert.throws(() => new RandomRotation({ factor: [0.3, 0.1] }), /lower <= upper/);
  assert.throws(() => new RandomZoom({ heightFactor: [-1.5, 0] }), /option 'heightFactor' expected bounds in/);
  assert.throws(() => new RandomContrast({ factor: 1.5 }), /option 'factor' expected a number or a \[lower, upper\] pair in \[0, 1\]/);
  assert.throws(() => new RandomRotation({ factor: 0.1, fill_mode: 'wrap' } as never), /unknown option 'fill_mode' \(did you mean 'fillMode'\?\)/);
  assert.throws(() => new RandomFlip().apply(tensor([1, 2, 3]), train), /expected images of rank 4/);
});
