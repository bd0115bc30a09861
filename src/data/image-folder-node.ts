/**
 * Node only: imageDatasetFromDirectory over a directory on disk (or picked files), decoded and resized by
 * sharp (libvips, prebuilt for each platform by its npm package) on libuv's threads, so `parallel` decodes
 * run on several cores without worker threads. See image-folder.ts for the samples and the options.
 *
 *   const [train, validation] = imageDatasetFromDirectory('photos/', {
 *     imageSize: [28, 28], colorMode: 'grayscale', validationSplit: 0.2, subset: 'both', seed: 1337 });
 */
import { readFileSync } from 'node:fs';
import type { Dataset } from './dataset.js';
import { listFolder } from './folder-node.js';
import type { ImageDecoder, ImageFolderOptions, LabeledImage, PickedFile } from './image-folder.js';
import { centredCrop, imageFolderDatasets, pickedFolder } from './image-folder.js';
import { decodePlainPng } from './png-node.js';
import { ValueError, describe } from '../util/errors.js';

const KERNELS = { bilinear: 'linear', nearest: 'nearest', bicubic: 'cubic', lanczos3: 'lanczos3' } as const;

/**
 * Decodes a file (by path) or a blob's bytes to height × width RGB or RGBA bytes: with sharp, or, for a
 * PNG file already at the size asked, with pngjs on this thread (png-node.ts says why).
 */
export const sharpImageDecoder: ImageDecoder<string | Blob> = async (source, spec) => {
  let input: string | Buffer = typeof source === 'string' ? source : Buffer.from(await source.arrayBuffer());
  if (typeof input === 'string' && input.toLowerCase().endsWith('.png')) input = readFileSync(input);
  if (typeof input !== 'string') {
    try {
      const pixels = decodePlainPng(input, spec);
      if (pixels !== null) return pixels;
    } catch {
      // A damaged file: sharp's message says what is wrong with it.
    }
  }
  const { default: sharp } = await import('sharp');
  let image = sharp(input, { failOn: 'error' });
  if (spec.cropToAspectRatio) {
    const { width, height } = await image.metadata();
    if (width === undefined || height === undefined) throw new Error('its size cannot be read');
    const [left, top, w, h] = centredCrop(width, height, spec.width / spec.height);
    image = image.extract({ left, top, width: w, height: h });
  }
  image = image.resize(spec.width, spec.height, { fit: 'fill', kernel: KERNELS[spec.interpolation] }).toColourspace('srgb');
  image = spec.channels === 4 ? image.ensureAlpha() : image.removeAlpha();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== spec.channels || info.width !== spec.width || info.height !== spec.height) {
    throw new Error(`sharp gave ${info.width}x${info.height}x${info.channels} pixels for ${spec.width}x${spec.height}x${spec.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
};

/**
 * The images of a folder with one subfolder per class (PNG, JPEG, GIF, BMP, WebP; other files are
 * ignored), as `{ x, y }` samples: x float32 [height, width, channels] with values 0–255, y the label.
 * Batched by 32 unless `batchSize` says otherwise; a new order every epoch unless `shuffle: false`.
 */
export function imageDatasetFromDirectory(directory: string | Iterable<PickedFile>, options: ImageFolderOptions & { subset: 'both' }): [Dataset<LabeledImage>, Dataset<LabeledImage>];
export function imageDatasetFromDirectory(directory: string | Iterable<PickedFile>, options?: ImageFolderOptions): Dataset<LabeledImage>;
export function imageDatasetFromDirectory(directory: string | Iterable<PickedFile>, options: ImageFolderOptions = {}): Dataset<LabeledImage> | [Dataset<LabeledImage>, Dataset<LabeledImage>] {
  const where = 'imageDatasetFromDirectory';
  let parts: Dataset<LabeledImage>[];
  if (typeof directory === 'string') {
    const folder = listFolder(where, directory);
    parts = imageFolderDatasets(where, directory, folder.files, folder.folders, sharpImageDecoder, options);
  } else if (typeof directory === 'object' && directory !== null && Symbol.iterator in directory) {
    const folder = pickedFolder(where, directory);
    parts = imageFolderDatasets(where, folder.root, folder.files, folder.folders, sharpImageDecoder, options);
  } else {
    throw new ValueError(`${where}: argument 'directory' expected a directory path, received ${describe(directory)}`);
  }
  return options.subset === 'both' ? [parts[0]!, parts[1]!] : parts[0]!;
}
