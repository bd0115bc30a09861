import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import type { ImageSpec } from './image-folder.js';
import { decodePlainPng } from './png-node.js';

const [W, H] = [7, 5];
const spec = (channels: 3 | 4, width = W, height = H): ImageSpec => ({ height, width, channels, interpolation: 'bilinear', cropToAspectRatio: false });

/** Pixels that differ per pixel and channel, with every alpha level. */
const raw = (channels: number) => Uint8Array.from({ length: W * H * channels }, (_, i) => (i * 53 + 17) % 256);

/** What the sharp path gives for these bytes: the reference the shortcut must equal. */
async function bySharp(png: Buffer, channels: 3 | 4): Promise<Uint8Array> {
  let image = sharp(png).toColourspace('srgb');
  image = channels === 4 ? image.ensureAlpha() : image.removeAlpha();
  return new Uint8Array(await image.raw().toBuffer());
}

const KINDS: [string, () => Promise<Buffer>][] = [
  ['8-bit grayscale', () => sharp(raw(1), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().toBuffer()],
  ['8-bit grayscale with alpha', () => sharp(raw(2), { raw: { width: W, height: H, channels: 2 } }).toColourspace('b-w').png().toBuffer()],
  ['8-bit RGB', () => sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer()],
  ['8-bit RGBA', () => sharp(raw(4), { raw: { width: W, height: H, channels: 4 } }).png().toBuffer()],
  ['palette', () => sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).png({ palette: true, colours: 256 }).toBuffer()],
  ['palette with transparency', () => sharp(raw(4), { raw: { width: W, height: H, channels: 4 } }).png({ palette: true, colours: 256 }).toBuffer()],
  ['interlaced RGB', () => sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).png({ progressive: true }).toBuffer()],
];

test('a plain PNG at the size asked decodes on this thread to the bytes sharp gives', async () => {
  for (const [kind, make] of KINDS) {
    const png = await make();
    for (const channels of [3, 4] as const) {
      const fast = decodePlainPng(png, spec(channels));
      assert.ok(fast !== null, `${kind}: the shortcut is taken`);
      assert.deepEqual(fast, await bySharp(png, channels), `${kind}, ${channels} channels`);
    }
  }
});

test('PNG files the shortcut leaves to sharp: another size, fewer or more bits, an ICC profile, not a PNG', async () => {
  const rgb = await sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
  assert.equal(decodePlainPng(rgb, spec(3, W + 1, H)), null, 'resizing is sharp\'s');
  const deep = await sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
  assert.equal(deep[24], 16);
  assert.equal(decodePlainPng(deep, spec(3)), null, '16-bit');
  const small = await sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).png({ palette: true, colours: 4 }).toBuffer();
  assert.equal(small[24], 2);
  assert.equal(decodePlainPng(small, spec(3)), null, '2-bit palette');
  const icc = await sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).withIccProfile('p3').png().toBuffer();
  assert.ok(icc.includes(Buffer.from('iCCP')));
  assert.equal(decodePlainPng(icc, spec(3)), null, 'an embedded profile');
  const jpeg = await sharp(raw(3), { raw: { width: W, height: H, channels: 3 } }).jpeg().toBuffer();
  assert.equal(decodePlainPng(jpeg, spec(3)), null, 'a JPEG');
  assert.equal(decodePlainPng(rgb.subarray(0, 20), spec(3)), null, 'cut before its size');
});
