import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import '../ops/tensor-methods.js';
import { setSeed } from '../util/random.js';
import { imageDatasetFromDirectory } from './image-folder-node.js';
import { TextVectorizer } from './text-vectorizer.js';
import { textDatasetFromDirectory } from './text-folder-node.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-folders-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Pixels of a 4 x 6 RGB image that differ per image (seeded by k) and per pixel. */
function pixels(k: number): Uint8Array {
  return Uint8Array.from({ length: 4 * 6 * 3 }, (_, i) => (k * 37 + i * 11) % 256);
}

/** Writes folder/<class>/<name>.png for each entry; returns the pixels by relative path. */
async function imageFolder(name: string, classes: Record<string, number>): Promise<{ dir: string; images: Map<string, Uint8Array> }> {
  const dir = join(root, name);
  const images = new Map<string, Uint8Array>();
  let k = 0;
  for (const [cls, count] of Object.entries(classes)) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (let i = 0; i < count; i++, k++) {
      const px = pixels(k);
      await sharp(px, { raw: { width: 6, height: 4, channels: 3 } }).png().toFile(join(dir, cls, `img${i}.png`));
      images.set(`${cls}/img${i}.png`, px);
    }
  }
  return { dir, images };
}

/** The sample's pixels as the bytes they were written from. */
const bytesOf = (x: { data(): ArrayLike<number> }) => Uint8Array.from(x.data() as ArrayLike<number>);

async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (m: string) => seen.push(m);
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

test('images: classes from subfolders in sorted order, PNG pixels exact, labels int or categorical', async () => {
  const { dir, images } = await imageFolder('basic', { zebra: 2, ant: 3, moth: 1 });
  const ds = imageDatasetFromDirectory(dir, { imageSize: [4, 6], batchSize: null, shuffle: false });
  assert.equal(ds.size, 6);
  const samples = await ds.toArray();
  const expected = [...images.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  assert.deepEqual(samples.map((s) => s.y.item()), [0, 0, 0, 1, 2, 2], 'ant, moth, zebra');
  samples.forEach((s, i) => {
    assert.deepEqual(s.x.shape, [4, 6, 3]);
    assert.equal(s.x.dtype, 'float32');
    assert.deepEqual(bytesOf(s.x), expected[i]![1], `pixels of ${expected[i]![0]}`);
  });
  const gray = await imageDatasetFromDirectory(dir, { imageSize: [4, 6], batchSize: null, shuffle: false, colorMode: 'grayscale', labelMode: 'categorical' }).take(1).toArray();
  const px = expected[0]![1];
  const luma = Array.from({ length: 24 }, (_, p) => 0.2989 * px[p * 3]! + 0.587 * px[p * 3 + 1]! + 0.114 * px[p * 3 + 2]!);
  assert.deepEqual(gray[0]!.x.shape, [4, 6, 1]);
  (gray[0]!.x.data() as Float32Array).forEach((v, p) => assert.ok(Math.abs(v - luma[p]!) < 1e-3));
  assert.deepEqual(gray[0]!.y.toArray(), [1, 0, 0]);
  const rgba = await imageDatasetFromDirectory(dir, { imageSize: [4, 6], batchSize: null, shuffle: false, colorMode: 'rgba' }).take(1).toArray();
  assert.deepEqual((rgba[0]!.x.data() as Float32Array).filter((_, i) => i % 4 === 3), new Float32Array(24).fill(255));
  const [batch] = await imageDatasetFromDirectory(dir, { imageSize: [2, 3], batchSize: 4, shuffle: false }).take(1).toArray();
  assert.deepEqual(batch!.x.shape, [4, 2, 3, 3]);
  assert.deepEqual(batch!.y.toArray(), [0, 0, 0, 1]);
  assert.throws(() => imageDatasetFromDirectory(dir, { labelMode: 'binary' }), /labelMode 'binary' needs exactly 2 classes, but .* holds 3 \(ant, moth, zebra\)/);
  assert.throws(() => imageDatasetFromDirectory(dir, { classNames: ['ant', 'bee'] }), /option 'classNames' names "bee", which .* does not hold as subfolders/);
  assert.throws(() => imageDatasetFromDirectory(dir, { image_size: [2, 2] } as never), /unknown option 'image_size'/);
});

test('images: resizing keeps a flat colour, JPEG decodes close to its source, crops keep the centre', async () => {
  const dir = join(root, 'resize');
  mkdirSync(join(dir, 'a'), { recursive: true });
  await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 200, g: 100, b: 50 } } }).png().toFile(join(dir, 'a', 'flat.png'));
  const px = pixels(3);
  await sharp(px, { raw: { width: 6, height: 4, channels: 3 } }).resize(60, 40, { kernel: 'nearest' }).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toFile(join(dir, 'a', 'photo.jpg'));
  const [flat, photo] = await imageDatasetFromDirectory(dir, { imageSize: [8, 8], batchSize: null, shuffle: false }).toArray();
  assert.ok([...(flat!.x.data() as Float32Array)].every((v, i) => v === [200, 100, 50][i % 3]));
  // The JPEG at its own size: the centre of each 10 x 10 block is the source pixel, up to JPEG's loss.
  const full = await imageDatasetFromDirectory(dir, { imageSize: [40, 60], batchSize: null, shuffle: false }).skip(1).toArray();
  const values = full[0]!.x.data() as Float32Array;
  let diff = 0;
  for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) for (let c = 0; c < 3; c++) diff += Math.abs(values[((y * 10 + 5) * 60 + x * 10 + 5) * 3 + c]! - px[(y * 6 + x) * 3 + c]!);
  assert.ok(diff / px.length < 3, `mean difference ${(diff / px.length).toFixed(2)} between the JPEG and its source`);
  assert.deepEqual(photo!.x.shape, [8, 8, 3]);
  const cropped = await imageDatasetFromDirectory(dir, { imageSize: [10, 10], batchSize: null, shuffle: false, cropToAspectRatio: true }).take(1).toArray();
  assert.deepEqual(cropped[0]!.x.shape, [10, 10, 3]);
});

test('images: a seeded validation split; the two subsets never overlap and the order repeats with the seed', async () => {
  const { dir } = await imageFolder('split', { a: 10, b: 10 });
  const key = (s: { x: { data(): ArrayLike<number> } }) => Array.from(bytesOf(s.x).subarray(0, 6)).join();
  const options = { imageSize: [4, 6] as const, batchSize: null, validationSplit: 0.25, seed: 42 };
  const train = await imageDatasetFromDirectory(dir, { ...options, subset: 'training' }).toArray();
  const validation = await imageDatasetFromDirectory(dir, { ...options, subset: 'validation' }).toArray();
  assert.equal(train.length, 15);
  assert.equal(validation.length, 5);
  const all = new Set([...train, ...validation].map(key));
  assert.equal(all.size, 20, 'every image in exactly one subset');
  const [t2, v2] = imageDatasetFromDirectory(dir, { ...options, subset: 'both' });
  assert.deepEqual((await t2.toArray()).map(key), train.map(key), 'the same seed gives the same split and order');
  assert.deepEqual(new Set((await v2.toArray()).map(key)), new Set(validation.map(key)));
  const epochs = imageDatasetFromDirectory(dir, { ...options, subset: 'training' });
  const e0 = (await epochs.toArray()).map(key);
  const e1 = (await epochs.toArray()).map(key);
  assert.notDeepEqual(e0, e1, 'a new order every epoch');
  assert.deepEqual(new Set(e0), new Set(e1));
  assert.throws(() => imageDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training', seed: undefined }), /needs the same seed in both: pass the option 'seed' \(or call setSeed first\)/);
  setSeed(5);
  assert.doesNotThrow(() => imageDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' }));
});

test('images: an unreadable image, a non-image file, an empty class folder, a missing folder', async () => {
  const { dir } = await imageFolder('damaged', { a: 2, b: 2 });
  writeFileSync(join(dir, 'a', 'notes.txt'), 'not an image');
  writeFileSync(join(dir, 'b', 'broken.png'), 'this is text, not a PNG');
  await assert.rejects(imageDatasetFromDirectory(dir, { imageSize: [4, 6], shuffle: false }).toArray(),
    /imageDatasetFromDirectory: b\/broken\.png in .*damaged cannot be decoded as an image: .*\(pass onError: 'skip' to leave such files out\)/);
  let samples: unknown[] = [];
  const warned = await warnings(async () => (samples = await imageDatasetFromDirectory(dir, { imageSize: [4, 6], batchSize: null, shuffle: false, onError: 'skip' }).toArray()));
  assert.equal(samples.length, 4, 'notes.txt is not an image file and is ignored; broken.png is skipped');
  assert.match(warned.join('\n'), /layerwise: imageDatasetFromDirectory: skipped b\/broken\.png in .* cannot be decoded as an image/);
  mkdirSync(join(dir, 'c'));
  writeFileSync(join(dir, 'c', 'readme.md'), 'empty');
  assert.throws(() => imageDatasetFromDirectory(dir), /class folder "c" of .*damaged holds no image files \(it holds 1 other files, e\.g\. c\/readme\.md\): remove the folder, or pass onError: 'skip'/);
  const kept = await warnings(async () => {
    const ds = imageDatasetFromDirectory(dir, { imageSize: [4, 6], batchSize: null, shuffle: false, onError: 'skip', labelMode: 'categorical' });
    const first = await ds.take(1).toArray();
    assert.deepEqual(first[0]!.y.shape, [3], 'the empty class keeps its place');
  });
  assert.match(kept.join('\n'), /class folder "c" .* holds no image files.*the class keeps its label 2/);
  assert.throws(() => imageDatasetFromDirectory(join(root, 'nowhere')), /nowhere does not exist/);
});

test('texts: classes from subfolders, batches of strings that TextVectorizer takes; damaged files named', async () => {
  const dir = join(root, 'texts');
  const docs: Record<string, string[]> = { neg: ['awful plot', 'bad acting, bad film'], pos: ['a great film', 'great acting', 'loved it'] };
  for (const [cls, texts] of Object.entries(docs)) {
    mkdirSync(join(dir, cls), { recursive: true });
    texts.forEach((t, i) => writeFileSync(join(dir, cls, `${i}.txt`), t));
  }
  writeFileSync(join(dir, 'pos', 'ignored.md'), 'not a .txt file');
  const single = await textDatasetFromDirectory(dir, { batchSize: null, shuffle: false }).toArray();
  assert.deepEqual(single.map((s) => [s.x, s.y.item()]), [['awful plot', 0], ['bad acting, bad film', 0], ['a great film', 1], ['great acting', 1], ['loved it', 1]]);
  const batches = await textDatasetFromDirectory(dir, { batchSize: 2, seed: 1 }).toArray();
  assert.deepEqual(batches.map((b) => b.x.length), [2, 2, 1]);
  const texts = batches.flatMap((b) => b.x);
  const vectorizer = new TextVectorizer({ outputMode: 'multiHot' }).adapt(texts);
  const encoded = vectorizer.transform(batches[0]!.x);
  assert.deepEqual(encoded.shape, [2, vectorizer.vocabulary.length]);
  const gi = vectorizer.vocabulary.indexOf('great');
  assert.deepEqual(batches[0]!.x.map((t, i) => (encoded.toArray() as number[][])[i]![gi]), batches[0]!.x.map((t) => (t.includes('great') ? 1 : 0)));
  assert.deepEqual((await textDatasetFromDirectory(dir, { batchSize: null, shuffle: false, maxLength: 5 }).take(1).toArray())[0]!.x, 'awful');
  writeFileSync(join(dir, 'neg', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  await assert.rejects(textDatasetFromDirectory(dir, { shuffle: false }).toArray(), /textDatasetFromDirectory: neg\/latin1\.txt in .*texts cannot be read as UTF-8 text/);
  let kept: unknown[] = [];
  const warned = await warnings(async () => (kept = await textDatasetFromDirectory(dir, { batchSize: null, onError: 'skip' }).toArray()));
  assert.equal(kept.length, 5);
  assert.match(warned.join('\n'), /skipped neg\/latin1\.txt/);
  mkdirSync(join(dir, 'zzz'));
  assert.throws(() => textDatasetFromDirectory(dir), /class folder "zzz" of .*texts holds no text \(\.txt\) files: remove the folder/);
});
