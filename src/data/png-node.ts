/**
 * Node only: the small PNG files of a folder decoded on the main thread by pngjs, when nothing but
 * decoding is asked of them. sharp's fixed cost per call (a libvips pipeline: about 0.4–0.8 ms of CPU)
 * is ten times the whole decode of a 28 × 28 PNG (about 50 µs), and it competes with training for the
 * same cores: with sharp alone, a convnet trained from a folder of MNIST-sized PNG files ran at 0.40 of
 * its speed from tensors in memory.
 *
 * The shortcut is taken only where it gives the bytes sharp gives: 8-bit PNG files (grayscale, RGB,
 * palette, with or without alpha or transparency) already at the size asked, without an embedded ICC
 * profile (sharp would convert through it). Every other file goes to sharp.
 */
import { PNG } from 'pngjs';
import type { ImageSpec } from './image-folder.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image's height × width × spec.channels bytes, or null when sharp must decode it. */
export function decodePlainPng(bytes: Uint8Array, spec: ImageSpec): Uint8Array | null {
  if (!plainPngAtSize(bytes, spec.width, spec.height)) return null;
  const rgba = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)).data;
  if (spec.channels === 4) return new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
  const pixels = spec.width * spec.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
  return rgb;
}

/** Reads the PNG header and the chunks before the image data (lengths and names only). */
function plainPngAtSize(bytes: Uint8Array, width: number, height: number): boolean {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(16) !== width || view.getUint32(20) !== height || bytes[24] !== 8) return false;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (type === 'IDAT') return true;
    if (type === 'iCCP') return false;
    at += 12 + view.getUint32(at);
  }
  return false;
}
